"""The conversation's language, read from the turns stored in a tracker.

Each customer turn carries the NLU's reading of its language (`parse_data["language"]`,
shopassist.nlu.language_reader). The conversation is in the language of its last clear
turn; before any clear turn, in the page's language if the web chat sent one
(`metadata["language"]`), else English. Both Rasa (the replies it renders) and the action
server (the replies actions write) read it the same way, from the same events.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from shopassist.language.conversation import DEFAULT, served


def conversation_language_of(events: Iterable[Mapping[str, Any]]) -> str:
    page: Optional[str] = None
    clear: Optional[str] = None
    for event in events:
        if event.get("event") != "user":
            continue
        page = served((event.get("metadata") or {}).get("language")) or page
        reading = (event.get("parse_data") or {}).get("language") or {}
        if reading.get("clear") and served(reading.get("code")):
            clear = reading["code"]
    return clear or page or DEFAULT
