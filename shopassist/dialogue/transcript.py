"""A conversation's transcript for a person taking it over, from the tracker's events.

Only what was said (customer and assistant messages), in order, with UTC times; each text
and the number of turns are capped so that one ticket stays a readable size.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List

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


def transcript(events: Iterable[Dict[str, Any]]) -> List[Dict[str, str]]:
    """[{"at", "who", "text"}] for the user and bot messages among `events`."""
    turns: List[Dict[str, str]] = []
    for event in events:
        kind = event.get("event")
        if kind not in ("user", "bot"):
            continue
        text = event.get("text")
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
