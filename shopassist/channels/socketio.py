"""Rasa 3.6's socket.io channel, with session persistence that works on python-socketio 5.10+.

Rasa 3.6 joins a browser's socket to its session's room with `sio.enter_room(...)` without
`await`; since python-socketio 5.10 that is a coroutine, so the socket never joins and
every reply, emitted to the session's room, reaches nobody ("coroutine
'AsyncServer.enter_room' was never awaited"; RasaHQ/rasa issue 13027, fix in PR 13168).
This channel registers its own handlers (`session_request` with the `await`) on a server it
builds; it keeps Rasa's configuration, output and mounting (SocketBlueprint). Its name
stays "socketio", so Rasa's HTTP API can still address it as that.
Like the REST channel, every message gets a reply (shopassist.channels.guard), and a
malformed one a reason instead of an exception in the server's log and silence: Rasa's
handler raised on a payload that is not an object with a string `message`, and dropped a
message without a `session_id` without a word.

Sessions are issued by the server (shopassist/channels/sessions.py): `session_request`
with an id this server signed rejoins that conversation (the web chat after a reload);
anything else (no id, a made-up or altered one, a 100,000-character one) gets a new
session. A session another socket holds is not shared: the newcomer gets a new one. Each
socket speaks only in the session it was confirmed, whatever `session_id` its messages
name; Rasa stores it as `socketio:<id>`. The limits and the metadata rules are the REST
channel's (shopassist/channels/inbound.py): 64 KB per message, text as far as NLU reads,
only the verified customer, new sessions per address limited, and only the shop's own
origins may connect.

An agent who takes a conversation over (shopassist/console/takeover.py) speaks through
Rasa's HTTP API; their messages reach the chat with their name and avatar (`speaker`) and
whether they joined or left (`takeover`), which Rasa's output dropped. While they type, the
console posts to /webhooks/socketio/typing (with the JWT Rasa's API takes: the same
caller, the same proof), and the chat gets `agent_typing` {"typing": true|false}; nothing
is stored.

Text a model is still writing (a knowledge answer, shopassist/generation/drafts.py) is shown
as it comes: the action server posts the text so far to /webhooks/socketio/draft with a JWT
naming that one conversation (shopassist.auth.draft_token, keyed from the action servers'
secret), and the chat gets `bot_draft` {"stream_id", "text"} (or {"stream_id", "discard":
true}); nothing is stored. The checked reply, which Rasa sends as usual, carries the same
`stream_id` and takes the draft's place in the chat, whichever text passed the check.

A text that comes with a card (an order, the recent orders, a product) is sent as one
message with it, for the chat to draw the card in the text's place; a message with a
customer's order details is marked `private`, for the chat to keep it out of the browser's
storage.

Each answer carries `message_at`, its bot event's timestamp as the tracker keeps it (on the
last bubble of a text split in several, and on an order card): the chat's "Helpful" / "Not
helpful" posts it back to /webhooks/socketio/feedback with the session id
(shopassist/channels/answer_feedback.py), and the console shows it next to that answer.

A photo of damaged goods is posted to /webhooks/socketio/damage-photo with the session id
(shopassist/channels/damage_photos.py); the assistant's thanks goes out through this
channel's output, like any reply.

With several Rasa servers, set SHOPASSIST_SOCKETIO_REDIS_URL (e.g. redis://host:6379/1):
the servers then share socket.io's rooms through Redis (python-socketio's
AsyncRedisManager), so a message for a customer's session, such as an agent's takeover reply
sent through any server's HTTP API, reaches the socket whichever server holds it.
SHOPASSIST_SOCKETIO_CHANNEL names the Redis channel (default "shopassist-socketio").
"""

from __future__ import annotations

import inspect
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from socketio import AsyncServer

from shopassist import proxies
from shopassist.auth import draft_token, rasa_api
from shopassist.channels import answer_feedback, damage_photos, inbound, sessions
from shopassist.channels.guard import guarded
from shopassist.settings import Settings, get_settings
from shopassist.store.models import message_key

logger = logging.getLogger(__name__)

MALFORMED = (
    "Sorry, I couldn't read that message. Please send it as text (a 'message' string with "
    "the 'session_id' of this chat)."
)
NO_SESSION = "This chat has no session yet: please reload the page."
TYPING_EVENT = "agent_typing"
TAKEOVER_STEPS = ("started", "ended")
DRAFT_EVENT = "bot_draft"
MAX_DRAFT_CHARS = 2000  # more than any checked answer (grounding.MAX_ANSWER_CHARS)
# Roles (shopassist.generation.provenance) of messages with a customer's order details.
PRIVATE_ROLES = ("order", "rephrase")
# What the web chat draws in place of the text that comes with it.
CARDS = ("order_card", "order_list", "product_card")
STREAM_ID = re.compile(r"^[0-9a-f]{32}$")
TOO_MANY = "Too many new conversations from your network. Please try again in a minute."


def _share_rooms(sio: Any, settings: Settings) -> None:
    """Rooms shared with the other Rasa servers through Redis, if configured."""
    url = settings.socketio_redis_url
    if not url:
        return
    from socketio import AsyncRedisManager

    channel = settings.socketio_channel
    # Before the first connection (which initialises the manager), so this is the one used.
    sio.manager = AsyncRedisManager(url, channel=channel)
    sio.manager.set_server(sio)
    logger.info("socket.io rooms shared through Redis channel %s", channel)


def _problem(data: Any, needs_session: bool) -> Optional[str]:
    """Why a `user_uttered` payload can't be handled, or None if it can."""
    if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
        return "not an object with a string 'message'"
    if needs_session and not (isinstance(data.get("session_id"), str) and data["session_id"]):
        return "no session_id"
    metadata = data.get("metadata", {})
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return "metadata is not JSON"
    if metadata is not None and not isinstance(metadata, dict):
        return "metadata is not an object"
    return None


def _address(sio: Any, sid: str, namespace: Optional[str]) -> str:
    try:
        request = sio.get_environ(sid, namespace=namespace or "/").get("sanic.request")
        return proxies.client_address(request)  # of the connecting request
    except Exception:  # no environ: count it with the other unknowns
        return "unknown"


def _speaker(metadata: Dict[str, Any]) -> Dict[str, Any]:
    """Who speaks, from a message's metadata: an agent's `speaker` and a `takeover` step."""
    who: Dict[str, Any] = {}
    speaker = metadata.get("speaker")
    if isinstance(speaker, dict) and isinstance(speaker.get("name"), str):
        avatar = speaker.get("avatar")
        who["speaker"] = {
            "role": "agent",
            "name": speaker["name"][:40],
            "avatar": avatar if isinstance(avatar, dict) else None,
        }
    if metadata.get("takeover") in TAKEOVER_STEPS:
        who["takeover"] = metadata["takeover"]
    return who


def _stream(metadata: Dict[str, Any]) -> Dict[str, Any]:
    """The draft a message replaces in the chat (`stream_id`), if it names one."""
    stream_id = metadata.get("stream_id")
    if isinstance(stream_id, str) and STREAM_ID.match(stream_id):
        return {"stream_id": stream_id}
    return {}


def _private(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """`private` on a message with a customer's order details (its provenance role): the
    chat shows it but keeps it out of the transcript it stores in the browser."""
    return {"private": True} if kwargs.get("role") in PRIVATE_ROLES else {}


def _turn(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The answer's key for feedback (`message_at`): its bot event's timestamp."""
    timestamp = kwargs.get("timestamp")
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
        return {"message_at": message_key(timestamp)}
    return {}


class SpeakerSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, keeping who speaks with each text (Rasa's sends the text
    alone), the draft it replaces (`stream_id`) and the answer's key (`message_at`): the
    output of every reply in this channel, and the one Rasa's HTTP API uses for it, so for
    a takeover."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        extra = {**_speaker(kwargs), **_stream(kwargs), **_private(kwargs)}
        parts = text.strip().split("\n\n")
        for index, message_part in enumerate(parts):
            turn = _turn(kwargs) if index == len(parts) - 1 else {}  # rated once, at its end
            await self._send_message(recipient_id, {"text": message_part, **extra, **turn})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: Any, **kwargs: Any
    ) -> None:
        extra = {**_speaker(kwargs), **_stream(kwargs), **_private(kwargs)}
        parts = text.strip().split("\n\n") or [text]
        messages = [{"text": part, "quick_replies": [], **extra} for part in parts]
        messages[-1]["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
        messages[-1].update(_turn(kwargs))
        for message in messages:
            await self._send_message(recipient_id, message)

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """A text that comes with a card of its own (an order's status: actions/orders.py)
        goes as one message, so the chat draws the card in its place; the rest as Rasa's."""
        data = (message.get("custom") or {}).get("data")
        card = {k: data[k] for k in CARDS if k in data} if isinstance(data, dict) else {}
        text = message.get("text")
        if not card or not isinstance(text, str) or not text.strip():
            await super().send_response(recipient_id, message)
            return
        buttons = message.get("quick_replies") or message.get("buttons") or []
        await self._send_message(
            recipient_id,
            {
                "text": text.strip(),
                **card,
                "quick_replies": [
                    {"content_type": "text", "title": b["title"], "payload": b["payload"]}
                    for b in buttons
                ],
                **_speaker(message),
                **_stream(message),
                **_private(message),
                **_turn(message),
            },
        )

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        data = json_message.get("data")
        if isinstance(data, dict) and "order_card" in data:  # an answer of its own
            json_message = {**json_message, "data": {**data, **_turn(kwargs)}}
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class SessionSocketIOInput(SocketIOInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_conversations = inbound.NewConversationLimit()
        self.conversation_of: Dict[str, str] = {}  # socket -> conversation
        self.holder_of: Dict[str, str] = {}  # conversation -> socket

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return SpeakerSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The channel's routes and socket.io handlers, each registered once here: Rasa's
        blueprint is not called (its handlers would be replaced, and its server's limits
        changed after the fact), only its SocketBlueprint, which mounts the server."""
        on_message = guarded(on_new_message)
        settings = get_settings()
        # python-socketio checks the Origin of every connection against the shop's origins
        # (Rasa gives [], which turns the check off): other websites' pages can't connect.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=settings.origins,
            max_http_buffer_size=inbound.MAX_BODY_BYTES,
        )
        self.sio = sio  # what get_output_channel and Rasa's HTTP API reply through
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        namespace = self.namespace or "/"
        api_token = settings.api_token()
        action_secret = settings.action_token  # what the action servers prove drafts with

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            """Rasa's rule: with a `jwt_key`, only a socket with a valid token connects."""
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @blueprint.route("/typing", methods=["POST"])
        async def typing(request: Request) -> response.HTTPResponse:
            """An agent typing in a takeover, shown in the conversation's chat."""
            if not rasa_api.verified(request.headers.get("authorization"), api_token):
                return response.json({"error": "not authorized"}, status=401)
            body = request.json
            conversation = body.get("conversation") if isinstance(body, dict) else None
            on = body.get("typing") if isinstance(body, dict) else None
            if not isinstance(conversation, str) or not conversation or len(conversation) > 200:
                return response.json({"error": "'conversation' is a conversation id"}, status=400)
            if not isinstance(on, bool):
                return response.json({"error": "'typing' is true or false"}, status=400)
            await sio.emit(TYPING_EVENT, {"typing": on}, room=conversation, namespace=namespace)
            return response.json({"ok": True})

        @blueprint.route("/draft", methods=["POST"])
        async def draft(request: Request) -> response.HTTPResponse:
            """Text the action server's model is still writing, shown in one chat."""
            body = request.json if isinstance(request.json, dict) else {}
            conversation = body.get("conversation")
            if not isinstance(conversation, str) or not conversation or len(conversation) > 200:
                return response.json({"error": "'conversation' is a conversation id"}, status=400)
            authorization = request.headers.get("authorization")
            if not draft_token.verified(authorization, action_secret, conversation):
                return response.json({"error": "not authorized"}, status=401)
            stream_id, text = body.get("stream_id"), body.get("text")
            if not isinstance(stream_id, str) or not STREAM_ID.match(stream_id):
                return response.json({"error": "'stream_id' is 32 hex digits"}, status=400)
            if body.get("discard") is True:
                event = {"stream_id": stream_id, "discard": True}
            elif isinstance(text, str) and len(text) <= MAX_DRAFT_CHARS:
                event = {"stream_id": stream_id, "text": text}
            else:
                return response.json(
                    {"error": f"'text' is a string of at most {MAX_DRAFT_CHARS} characters"},
                    status=400,
                )
            await sio.emit(DRAFT_EVENT, event, room=conversation, namespace=namespace)
            return response.json({"ok": True})

        @blueprint.route("/feedback", methods=["POST"])
        async def answer_feedback_route(request: Request) -> response.HTTPResponse:
            """A customer's "Helpful" / "Not helpful" on one of the assistant's answers."""
            return await answer_feedback.receive(request, self.name())

        @blueprint.route(damage_photos.PATH, methods=["POST"], stream=True)
        async def damage_photo_route(request: Request) -> response.HTTPResponse:
            """A customer's photo of damaged goods, added to their return."""
            return await damage_photos.receive(request, self.name(), self.get_output_channel())

        async def join(sid: str, conversation: str) -> None:
            joined = sio.enter_room(sid, conversation, namespace=self.namespace)
            if inspect.isawaitable(joined):  # a coroutine since python-socketio 5.10
                await joined
            self.conversation_of[sid] = conversation
            self.holder_of[conversation] = sid

        async def leave(sid: str) -> None:
            conversation = self.conversation_of.pop(sid, None)
            if conversation is None:
                return
            if self.holder_of.get(conversation) == sid:
                del self.holder_of[conversation]
            left = sio.leave_room(sid, conversation, namespace=self.namespace)
            if inspect.isawaitable(left):
                await left

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            signed = requested if isinstance(requested, str) else None
            conversation = sessions.verify(self.name(), signed)
            holder = self.holder_of.get(conversation) if conversation else None
            if holder is not None and holder != sid:
                logger.warning("refused a second socket for a live session: gave a new one")
                conversation = None
            await leave(sid)
            if conversation is None:
                if not self.new_conversations.allow(_address(sio, sid, self.namespace)):
                    await sio.emit(self.bot_message_evt, {"text": TOO_MANY}, room=sid)
                    return
                signed, conversation = sessions.issue(self.name())
            await join(sid, conversation)
            await sio.emit("session_confirm", signed, room=sid)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            await leave(sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def checked_message(sid: str, data: Any = None) -> None:
            problem = _problem(data, self.session_persistence)
            if problem:
                logger.warning("refused a socket.io message: %s", problem)
                await sio.emit(self.bot_message_evt, {"text": MALFORMED}, room=sid)
                return
            conversation = self.conversation_of.get(sid)
            if conversation is None:
                await sio.emit(self.bot_message_evt, {"text": NO_SESSION}, room=sid)
                return
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                metadata = json.loads(metadata)  # _problem checked it parses
            # Rasa's handler, with this channel's output (who speaks, the draft replaced).
            await on_message(
                UserMessage(
                    inbound.stored_text(data.get("message", "")),
                    self.get_output_channel(),
                    conversation,  # the socket's own, never the payload's
                    input_channel=self.name(),
                    metadata=inbound.stored_metadata(metadata, _address(sio, sid, self.namespace)),
                )
            )

        blueprint.listener("before_server_start")(proxies.on_start)
        _share_rooms(sio, settings)
        return blueprint
