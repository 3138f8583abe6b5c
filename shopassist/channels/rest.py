"""Rasa's REST channel, with a reply to every message (shopassist.channels.guard).

Its name stays "rest": the webhook is still /webhooks/rest/webhook.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from shopassist.channels.guard import guarded


class GuardedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(guarded(on_new_message))
