"""Rasa's REST channel, with a reply to every message and a 400 for a malformed request.

Its name stays "rest": the webhook is still /webhooks/rest/webhook. Rasa's own channel
answers 500 to a body that is JSON but not an object (`null`, `[]`, `"hi"`, an empty body),
`[]` to a message that is not a string, and files every request without a sender under one
shared conversation, "default", where one client could read what another proved. Here each
of those is refused with 400 and a reason, before any of it reaches the assistant.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from shopassist.channels.guard import guarded

MAX_SENDER_LENGTH = 255  # the tracker store's sender_id column


def _body(request: Request) -> Dict[str, Any]:
    body = request.json  # Sanic answers 400 itself to text that is not JSON
    if not isinstance(body, dict):
        raise InvalidUsage("the body must be a JSON object with 'sender' and 'message'")
    return body


class GuardedRestInput(RestInput):
    async def _extract_sender(self, req: Request) -> Optional[str]:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip():
            raise InvalidUsage("'sender' must be a non-empty string naming the conversation")
        if len(sender) > MAX_SENDER_LENGTH or "\x00" in sender:
            raise InvalidUsage(f"'sender' must be at most {MAX_SENDER_LENGTH} characters")
        return sender

    def _extract_message(self, req: Request) -> Optional[str]:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("'message' must be a string")
        return message

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # not the client's claim: takeover replies go by this name

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("'metadata' must be a JSON object")
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(guarded(on_new_message))
