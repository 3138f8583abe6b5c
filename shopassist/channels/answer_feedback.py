"""The web chat's "Helpful" / "Not helpful" on one of the assistant's answers.

The chat posts {"session_id", "message_at", "value"} to /webhooks/socketio/feedback. The
signed session id (shopassist/channels/sessions.py) is the proof: only the page holding a
conversation's session can rate its answers, as only it can rejoin the conversation.
`message_at` names the answer: its bot event's timestamp, which the channel sent with it
(shopassist/channels/socketio.py). The answer must be the assistant's and in that
conversation's tracker: not the customer's message, not an agent's in a takeover. Nothing
is added to the conversation; the row goes to the shop database (shopassist.store.feedback),
with the name of what wrote the answer (its response, else its action) to group answers by.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from rasa.shared.core.events import ActionExecuted, BotUttered
from sanic import response
from sanic.request import Request
from sqlalchemy.exc import SQLAlchemyError

from shopassist.channels import sessions
from shopassist.store import feedback
from shopassist.store.db import session_scope
from shopassist.store.models import message_key

logger = logging.getLogger(__name__)

MAX_SESSION_ID = 200  # a signed id is 65 characters; anything longer is refused unread
MESSAGE_AT = re.compile(r"^\d{1,12}\.\d{1,20}$")  # message_key of a timestamp


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Feedback:
    conversation: str
    message_at: str
    value: str


def parse(body: Any, channel: str) -> Feedback:
    """The feedback a request body gives, or Refused (400 malformed, 403 not a session of
    this server)."""
    if not isinstance(body, dict):
        raise Refused(400, "the body is a JSON object")
    signed, message_at, value = body.get("session_id"), body.get("message_at"), body.get("value")
    if not isinstance(signed, str) or not signed or len(signed) > MAX_SESSION_ID:
        raise Refused(400, "'session_id' is this chat's session id")
    if not isinstance(message_at, str) or not MESSAGE_AT.match(message_at):
        raise Refused(400, "'message_at' is the answer's 'message_at'")
    if value not in feedback.VALUES:
        raise Refused(400, "'value' is 'up' or 'down'")
    conversation = sessions.verify(channel, signed)
    if conversation is None:
        raise Refused(403, "not a session of this chat")
    return Feedback(conversation, message_at, value)


def answer_name(events: Iterable[Any], message_at: str) -> Optional[str]:
    """What wrote the assistant's answer at `message_at` (its response, else the action
    that sent it, with the path that answered a question), or None if there is no such
    answer of the assistant: a person's reply in a takeover is not the assistant's."""
    action = None
    for event in events:
        if isinstance(event, ActionExecuted):
            action = event.action_name  # Rasa logs an action before the messages it sent
        elif isinstance(event, BotUttered) and message_key(event.timestamp) == message_at:
            metadata = event.metadata or {}
            card = (event.data or {}).get("custom")
            if metadata.get("agent") or not (event.text or card):
                return None
            name = metadata.get("utter_action") or action or "unknown"
            path = metadata.get("answered_by")
            return f"{name} ({path})" if path else name
    return None


def _store(item: Feedback, answer: str) -> None:
    with session_scope() as session:
        feedback.record(session, item.conversation, item.message_at, answer, item.value)


async def receive(request: Request, channel: str) -> response.HTTPResponse:
    """POST /webhooks/socketio/feedback."""
    try:
        item = parse(request.json, channel)
    except Refused as refused:
        return response.json({"error": refused.reason}, status=refused.status)
    agent = getattr(request.app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return response.json({"error": "the assistant is starting"}, status=503)
    tracker = await store.retrieve_full_tracker(item.conversation)
    if tracker is None or not tracker.events:
        return response.json({"error": "unknown conversation"}, status=404)
    answer = answer_name(tracker.events, item.message_at)
    if answer is None:
        return response.json({"error": "no answer of the assistant at that time"}, status=404)
    try:
        await asyncio.get_running_loop().run_in_executor(None, _store, item, answer)
    except SQLAlchemyError:
        logger.exception("answer feedback was not stored")
        return response.json({"error": "not stored, please try again"}, status=503)
    return response.json({"ok": True, "value": item.value})
