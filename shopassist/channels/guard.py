"""Every customer message gets an answer, even when part of the service is down.

Rasa 3.6 hides two failures from the customer:
- a custom action fails (action server down or erroring): Rasa logs it, drops the action's
  events and goes on as if it had said nothing, so the customer gets no answer or a
  misleading one ("Is there anything else I can help you with?");
- the message can't be handled at all (the tracker store is down): the REST channel logs
  the exception and answers `[]`.
`guarded` wraps a channel's message handler for both: a failed custom action says it is
temporarily unavailable (Rasa has no hook for this: shopassist/rasa_patches.py wraps
`RemoteAction.run`, the one place every call to the action server passes), and a turn that
failed sends the same apology. A turn
that ended well but said nothing ("/restart", "/session_start") gets a short prompt. A
conversation a person has taken over stays quiet.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, Event

from shopassist import rasa_patches
from shopassist.channels.reply_check import install_compiled_reply_check
from shopassist.generation import provenance

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "Sorry, part of our service is temporarily unavailable, so I couldn't finish that. "
    "Please try again in a few minutes; nothing has been changed."
)
PROMPT = "I'm here. What can I do for you?"


async def _paused(sender_id: str) -> bool:
    """Whether a person has taken this conversation over (False if that can't be read)."""
    try:
        from sanic import Sanic

        agent = Sanic.get_app("rasa_server").ctx.agent
        tracker = await agent.tracker_store.retrieve(sender_id)
        return bool(tracker and tracker.is_paused())
    except Exception:  # the tracker store is what failed: the apology is right
        return False


def failure_reply(action_name: str, error: Exception) -> List[Event]:
    """What a custom action that can't be run says: UNAVAILABLE."""
    logger.error("custom action %s failed: %s", action_name, error)
    metadata = {"failed_action": action_name, **provenance.template("error")}
    return [BotUttered(UNAVAILABLE, metadata=metadata)]


def install_action_failure_reply() -> None:
    """A custom action that can't be run answers UNAVAILABLE instead of nothing (idempotent)."""
    rasa_patches.install_action_failure_reply(failure_reply)


def guarded(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
) -> Callable[[UserMessage], Awaitable[None]]:
    install_action_failure_reply()
    install_compiled_reply_check()

    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        send = output.send_response
        sent = 0

        async def counting(recipient_id: str, reply: Dict[str, Any]) -> None:
            nonlocal sent
            sent += 1
            await send(recipient_id, reply)

        output.send_response = counting  # this turn's output channel only
        failed = False
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("a message could not be handled")
            failed = True
        if sent == 0 and not await _paused(message.sender_id):
            if failed:
                logger.warning("a turn failed; sent the 'temporarily unavailable' reply")
            await send(message.sender_id, {"text": UNAVAILABLE if failed else PROMPT})

    return handle
