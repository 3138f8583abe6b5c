"""A conversation's transcript for a person taking it over, from the tracker's events.

Only what was said (customer and assistant messages), in order, with UTC times; each text
and the number of turns are capped so that one ticket stays a readable size.

Both transcripts, the ticket's and the console's (shopassist/console/conversations.py), show
what the customer saw, as `AsSeen` reads it from the events:

- a button press is stored as the button's payload (`/inform{"order_number":"100234"}`, or
  `2` for the second of a numbered list); the customer saw the button's title, found among
  the buttons the assistant offered since the customer's previous message;
- each message once: when the customer picks a "Did you mean ...?" suggestion, Rasa's
  two-stage fallback rewinds the pick and stores it again (a copy with the same
  `message_id`, rasa/core/actions/two_stage_fallback.py), so the copy is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Set

MAX_TURNS = 200  # the most recent ones
MAX_TEXT = 2000  # characters per message


def _when(timestamp: Any) -> str:
    try:
        moment = datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def current_session(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events since the conversation's latest session started (all of them if none did)."""
    events = list(events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index + 1 :]
    return events


def offered_buttons(bot_event: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The buttons (or quick replies) a bot event showed."""
    data = bot_event.get("data") or {}
    offered = list(data.get("buttons") or []) + list(data.get("quick_replies") or [])
    return [button for button in offered if isinstance(button, dict)]


def pressed(text: Any, buttons: Iterable[Dict[str, Any]]) -> Optional[str]:
    """The title of the button among `buttons` whose payload `text` is, or None (typed
    words, or a title that reads the same as what was sent)."""
    sent = str(text or "").strip()
    if not sent:
        return None
    for button in buttons:
        title = str(button.get("title") or "").strip()
        # The web chat sends a button's title when it has no payload.
        payload = button.get("payload")
        payload = title if payload is None else str(payload).strip()
        if payload == sent and title and title != sent:
            return title
    return None


@dataclass(frozen=True)
class Seen:
    repeat: bool = False  # a copy of a message already in the transcript
    button: Optional[str] = None  # the title of the button the customer's message pressed


class AsSeen:
    """Reads a conversation's events in order (every one of them: `see` keeps track of the
    buttons on offer) and tells, for each, how the customer saw it."""

    def __init__(self) -> None:
        self._offered: List[Dict[str, Any]] = []
        self._message_ids: Set[str] = set()

    def see(self, event: Dict[str, Any]) -> Seen:
        kind = event.get("event")
        if kind == "bot":
            self._offered += offered_buttons(event)
            return Seen()
        if kind != "user":
            return Seen()
        message_id = event.get("message_id")
        if message_id:
            if message_id in self._message_ids:
                return Seen(repeat=True)
            self._message_ids.add(message_id)
        button = pressed(event.get("text"), self._offered)
        self._offered = []  # an answer uses up the offer
        return Seen(button=button)


def transcript(events: Iterable[Dict[str, Any]]) -> List[Dict[str, str]]:
    """[{"at", "who", "text"}] for the user and bot messages among `events`, as the
    customer saw them."""
    turns: List[Dict[str, str]] = []
    seeing = AsSeen()
    for event in events:
        seen = seeing.see(event)
        kind = event.get("event")
        if kind not in ("user", "bot") or seen.repeat:
            continue
        text = seen.button or event.get("text")
        if not text:
            # A bot message with only buttons or an image: nothing to read.
            continue
        turns.append(
            {
                "at": _when(event.get("timestamp")),
                "who": "customer" if kind == "user" else "assistant",
                "text": str(text)[:MAX_TEXT],
            }
        )
    return turns[-MAX_TURNS:]
