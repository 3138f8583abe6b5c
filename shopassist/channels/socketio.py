"""Rasa 3.6's socket.io channel, with session persistence that works on python-socketio 5.10+.

Rasa 3.6 joins a browser's socket to its session's room with `sio.enter_room(...)` without
`await`; since python-socketio 5.10 that is a coroutine, so the socket never joins and
every reply, emitted to the session's room, reaches nobody ("coroutine
'AsyncServer.enter_room' was never awaited"; RasaHQ/rasa issue 13027, fix in PR 13168).
This channel registers the same `session_request` handler with the `await`; the rest is
Rasa's. Its name stays "socketio", so Rasa's HTTP API can still address it as that.
Like the REST channel, every message gets a reply (shopassist.channels.guard), and a
malformed one a reason instead of an exception in the server's log and silence: Rasa's
handler raised on a payload that is not an object with a string `message`, and dropped a
message without a `session_id` without a word. Messages up to 2 MB are read (engine.io's
default of 1 MB closed the connection on a long paste; NLU reads the first 1,000 characters).

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
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from shopassist.channels.guard import guarded

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 2_000_000
MALFORMED = (
    "Sorry, I couldn't read that message. Please send it as text (a 'message' string with "
    "the 'session_id' of this chat)."
)


def _share_rooms(sio: Any) -> None:
    """Rooms shared with the other Rasa servers through Redis, if configured."""
    url = os.environ.get("SHOPASSIST_SOCKETIO_REDIS_URL")
    if not url:
        return
    from socketio import AsyncRedisManager

    channel = os.environ.get("SHOPASSIST_SOCKETIO_CHANNEL") or "shopassist-socketio"
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


class SessionSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message))
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(joined):  # a coroutine since python-socketio 5.10
                    await joined
            await sio.emit("session_confirm", data["session_id"], room=sid)

        handle_message = sio.handlers[self.namespace or "/"][self.user_message_evt]

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def checked_message(sid: str, data: Any = None) -> None:
            problem = _problem(data, self.session_persistence)
            if problem:
                logger.warning("refused a socket.io message: %s", problem)
                await sio.emit(self.bot_message_evt, {"text": MALFORMED}, room=sid)
                return
            await handle_message(sid, data)

        sio.eio.max_http_buffer_size = MAX_MESSAGE_BYTES
        _share_rooms(sio)
        return blueprint
