"""Rasa's REST channel, with a reply to every message and a 400 for a malformed request.

Its name stays "rest": the webhook is still /webhooks/rest/webhook. Rasa's own channel
answers 500 to a body that is JSON but not an object (`null`, `[]`, `"hi"`, an empty body),
`[]` to a message that is not a string, and files every request without a sender under one
shared conversation, "default", where one client could read what another proved. Here each
of those is refused with 400 and a reason, before any of it reaches the assistant.

What is passed on follows shopassist/channels/inbound.py: bodies over 64 KB get 413, the
message is stored as far as NLU reads it, metadata only as the verified customer, and the
sender is stored as `rest:<sender>` (shopassist/channels/sessions.py), so a REST caller
never reaches a socket.io conversation. New conversations per client address are limited
(429); behind proxies the address is the one they forwarded (shopassist/proxies.py).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request

from shopassist import proxies
from shopassist.channels import inbound, sessions
from shopassist.channels.guard import guarded

MAX_SENDER_LENGTH = inbound.MAX_SENDER_LENGTH - len("socketio:")  # room for any prefix


def _body(request: Request) -> Dict[str, Any]:
    body = request.json  # Sanic answers 400 itself to text that is not JSON
    if not isinstance(body, dict):
        raise InvalidUsage("the body must be a JSON object with 'sender' and 'message'")
    return body


class GuardedRestInput(RestInput):
    def __init__(self) -> None:
        super().__init__()
        self.new_conversations = inbound.NewConversationLimit()

    async def _extract_sender(self, req: Request) -> Optional[str]:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip():
            raise InvalidUsage("'sender' must be a non-empty string naming the conversation")
        if len(sender) > MAX_SENDER_LENGTH or "\x00" in sender:
            raise InvalidUsage(f"'sender' must be at most {MAX_SENDER_LENGTH} characters")
        return sessions.conversation_id(self.name(), sender)

    def _extract_message(self, req: Request) -> Optional[str]:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("'message' must be a string")
        return inbound.stored_text(message)

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # not the client's claim: takeover replies go by this name

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("'metadata' must be a JSON object")
        return inbound.stored_metadata(metadata, proxies.client_address(request))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message))
        # Client addresses through the trusted proxies (shopassist/proxies.py).
        blueprint.listener("before_server_start")(proxies.on_start)

        # Sanic reads a body before any middleware runs, up to REQUEST_MAX_SIZE (100 MB,
        # for the whole server); after routing, this route's limit is lowered, so a larger
        # body is refused (413) as it arrives, declared length or chunked.
        @blueprint.signal("http.routing.after")
        async def limit_body(request: Request, **_: Any) -> None:
            if request.stream is not None:
                request.stream.request_max_size = min(
                    request.stream.request_max_size, inbound.MAX_BODY_BYTES
                )

        @blueprint.middleware("request")
        async def limit_new_conversations(request: Request):
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if len(request.body or b"") > inbound.MAX_BODY_BYTES:  # if the signal did not run
                raise PayloadTooLarge("a request is at most 64 KB")
            try:
                sender = await self._extract_sender(request)
            except InvalidUsage:
                return None  # the handler gives the reason
            address = proxies.client_address(request)
            if not self.new_conversations.allow(address, sender):
                note = "too many new conversations from this address; try again in a minute"
                return response.json({"error": note}, status=429)
            return None

        return blueprint
