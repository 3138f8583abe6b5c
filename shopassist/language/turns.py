"""The conversation's language, read from the turns stored in a tracker.

Each customer turn carries the NLU's reading of its language (`parse_data["language"]`,
shopassist.nlu.language_reader). The conversation is in the language the customer picked
in the web chat's language menu, if they did (`metadata["language_chosen"]` with the
language in `metadata["language"]`: an explicit choice holds until they pick another);
else in the language of its last clear turn; before any clear turn, in the language of
its latest turn that is only a greeting of one served language ("Hallo":
shopassist.language.greetings, read from the turn's text), else in the page's language if
the web chat sent one (`metadata["language"]`), else English. Both Rasa (the replies it
renders) and the action server (the replies actions write) read it the same way, from the
same events.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence

from shopassist.language.conversation import DEFAULT, served
from shopassist.language.greetings import greeting_language


def chosen_language(metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The language picked in the web chat's menu, sent with this turn; else None."""
    if not isinstance(metadata, Mapping) or metadata.get("language_chosen") is not True:
        return None
    return served(metadata.get("language"))


def read_language_of(events: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The conversation's language if anything says it (a choice in the menu, a clear
    turn, a greeting, the page's language); None when nothing does (answered in English)."""
    # Read from the latest turn back, stopping at the first choice or clear turn: the usual
    # answer is found within the last few turns, so a turn of a long conversation costs no
    # more here. Every turn after a choice carries it, so the latest turn holds the latest.
    page: Optional[str] = None
    greeting: Optional[str] = None
    for event in reversed(events if isinstance(events, Sequence) else list(events)):
        if event.get("event") != "user":
            continue
        metadata = event.get("metadata") or {}
        chosen = chosen_language(metadata)
        if chosen:
            return chosen
        reading = (event.get("parse_data") or {}).get("language") or {}
        if reading.get("clear") and served(reading.get("code")):
            return reading["code"]
        # The turn's text: in the event, and in its parse data (Rasa puts it in both).
        text = event.get("text") or (event.get("parse_data") or {}).get("text")
        greeting = greeting or greeting_language(text)
        page = page or served(metadata.get("language"))
    return greeting or page


def conversation_language_of(events: Iterable[Mapping[str, Any]]) -> str:
    """The language the conversation is answered in (always a served one)."""
    return read_language_of(events) or DEFAULT
