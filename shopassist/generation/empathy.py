"""Acknowledges a customer's feeling before the facts, when their message was clearly upset.

VADER's "negative" (compound <= -0.05) also catches plain questions that merely contain a
negation or a problem word ("jeans that don't fit", "I don't want it anymore"), and an
apology there reads as noise. An apology needs a compound score at or below
APOLOGISE_AT_OR_BELOW. Chosen on one half of tests/sentiment/labelled_messages.csv (the
even rows: the first threshold whose apologies all went to messages labelled negative,
precision 1.00, recall 0.42) and measured on the other half: precision 0.96 and recall 0.52,
against 0.82 and 0.72 at -0.05 (1 neutral or positive message apologised to instead of 7).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from shopassist.generation import factory
from shopassist.generation.base import Line
from shopassist.generation.tone import OPENINGS, situation_of, template_opening, written_opening
from shopassist.language.messages import message as message_text
from shopassist.language.messages import sentences

# The opening when the customer's words name no situation (tone.py has one per situation).
ACKNOWLEDGEMENT = OPENINGS["other"]
APOLOGISE_AT_OR_BELOW = -0.3


def sentiment_score(message: Optional[Mapping[str, Any]]) -> Optional[float]:
    """The latest message's sentiment score (shopassist.nlu.sentiment), if it has one."""
    score = ((message or {}).get("sentiment") or {}).get("score")
    return float(score) if isinstance(score, (int, float)) else None


def is_upset(sentiment: str | None, score: float | None) -> bool:
    """Clearly upset: by the message's score when known, else by the label alone (a
    conversation restored without scores)."""
    return score <= APOLOGISE_AT_OR_BELOW if score is not None else sentiment == "negative"


def acknowledge(
    text: str,
    sentiment: str | None,
    score: float | None = None,
    message: str = "",
    language: str = "en",
) -> str:
    """`text`, opened with the acknowledgement of the situation the customer's `message`
    names (late, damaged, charged twice, ...) when they are upset. The acknowledgement is
    in `language`, the language `text` is written in."""
    opening = template_opening(message, language)
    if not is_upset(sentiment, score) or text.startswith(opening):
        return text
    return sentences([opening, text], language)


def upset_message(tracker: Any, requests: Iterable[str] = ()) -> Optional[Mapping[str, Any]]:
    """The clearly upset customer message an action's reply answers, if any: the latest
    message, or else the latest one whose intent is among `requests`. An upset "my order is
    late!" is followed by the order number and the e-mail address before its answer comes,
    so the answer looks back at the request that started it."""
    latest = tracker.latest_message or {}
    if is_upset(tracker.get_slot("sentiment"), sentiment_score(latest)):
        return latest
    wanted = set(requests)
    for event in reversed(tracker.events or []):
        if event.get("event") != "user":
            continue
        data = event.get("parse_data") or {}
        if (data.get("intent") or {}).get("name") in wanted:
            label = (data.get("sentiment") or {}).get("label")
            return data if is_upset(label, sentiment_score(data)) else None
    return None


def upset_situation(tracker: Any, requests: Iterable[str] = ()) -> Optional[str]:
    """The situation (tone.SITUATIONS: "late", "damaged", ..., "other") an upset customer's
    message names (see upset_message); None when the customer is calm."""
    upset = upset_message(tracker, requests)
    return None if upset is None else situation_of(upset.get("text") or "")


def opening_in(tracker: Any, language: str = "en", requests: Iterable[str] = ()) -> Line:
    """The opening sentence for an upset customer (see upset_message), with what wrote it
    (provenance.with_opening records it); an empty Line when calm. The template's sentence
    for the situation, unless SHOPASSIST_TONE=model: then, in an English conversation, the
    tone role's model writes it for the customer's message and it is sent if
    tone.check_opening passes it (the template's otherwise, or when the model fails, is late
    or busy). Other languages keep the template's: the role's prompt and check are English."""
    upset = upset_message(tracker, requests)
    if upset is None:
        return Line("")
    text = upset.get("text") or ""
    if language != "en":
        return Line(message_text(f"opening.{situation_of(text)}", language))
    return written_opening(text, factory.line_writer("tone"))


def opened(text: str, opening: str, language: str = "en") -> str:
    """`text` after the `opening` sentence (none: `text` as it is)."""
    if not opening or text.startswith(opening):
        return text
    return sentences([opening, text], language)
