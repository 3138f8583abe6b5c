"""The conversation's language, read from the turns stored in a tracker.

Each customer turn carries the NLU's reading of its language (`parse_data["language"]`,
shopassist.nlu.language_reader). The conversation is in the language of its last clear
turn; before any clear turn, in the page's language if the web chat sent one
(`metadata["language"]`), else English. Both Rasa (the replies it renders) and the action
server (the replies actions write) read it the same way, from the same events.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence

from shopassist.language.conversation import DEFAULT, served


def conversation_language_of(events: Iterable[Mapping[str, Any]]) -> str:
    # Read from the latest turn back, stopping at the first clear one: the usual answer is
    # found within the last few turns, so a turn of a long conversation costs no more here.
    page: Optional[str] = None
    for event in reversed(events if isinstance(events, Sequence) else list(events)):
        if event.get("event") != "user":
            continue
        reading = (event.get("parse_data") or {}).get("language") or {}
        if reading.get("clear") and served(reading.get("code")):
            return reading["code"]
        page = page or served((event.get("metadata") or {}).get("language"))
    return page or DEFAULT
