"""Rasa 3.6's socket.io channel, with session persistence that works on python-socketio 5.10+.

Rasa 3.6 joins a browser's socket to its session's room with `sio.enter_room(...)` without
`await`; since python-socketio 5.10 that is a coroutine, so the socket never joins and
every reply, emitted to the session's room, reaches nobody ("coroutine
'AsyncServer.enter_room' was never awaited"; RasaHQ/rasa issue 13027, fix in PR 13168).
This channel registers the same `session_request` handler with the `await`; the rest is
Rasa's. Its name stays "socketio", so Rasa's HTTP API can still address it as that.
Like the REST channel, every message gets a reply (shopassist.channels.guard).
"""

from __future__ import annotations

import inspect
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from shopassist.channels.guard import guarded


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

        return blueprint
