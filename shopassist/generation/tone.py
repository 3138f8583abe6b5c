"""The "tone" role: the opening sentence that acknowledges an upset customer's situation.

An upset message (shopassist.generation.empathy decides that) gets one sentence before the
facts. The template has one per situation the customer's words name (a late order, a
damaged item, a double charge, a wrong item, a lost parcel, anything else); a model may
write it instead, fitted to the message, and its sentence is sent only if it carries no
fact at all: no number, date, day, amount, id, address or link, no promise or next step
("we'll refund", "right away", "free"), no question, one sentence in English. The facts
and what happens next stay with the template that follows it.
"""

from __future__ import annotations

import re
from typing import List, Optional

from shopassist.generation.base import GenerationRequest, Line, LineRole, checked_line
from shopassist.generation.grounding import (
    _EMAIL,
    _MONTH_NAME,
    _NUMBER_WORD,
    _RELATIVE_TIME,
    _URL,
    _WEEKDAY,
    looks_english,
)
from shopassist.generation.openai_compatible import RemoteLines
from shopassist.generation.prefix_cache import PrefixCachedModel
from shopassist.generation.prompts import tone_messages
from shopassist.generation.situation_words import WORDS
from shopassist.language.messages import message

TASK = "tone"
ROLE = "tone"
MAX_TONE_TOKENS = 40
MIN_CHARS, MAX_CHARS = 15, 160

# The customer's words -> the situation; the first that matches wins (a damaged item that
# is also late is acknowledged as damaged: that is what they hold in their hands). English
# here; the other served languages' words for the same situations: situation_words.WORDS.
SITUATIONS = (
    (
        "charged_twice",
        r"charged (?:me )?(?:twice|two times|double)|double[- ]?charge|two "
        r"charges|charged .{0,20}\btwice\b|paid twice|payed twice",
    ),
    (
        "damaged",
        r"\b(?:broken|broke|damaged|cracked|smashed|shattered|dented|scratched|faulty|"
        r"defective|(?:doesn'?t|does not|won'?t|stopped|not) work(?:ing)?|dead on arrival)\b",
    ),
    (
        "wrong_item",
        r"\bwrong (?:item|size|colou?r|product|thing|one|shoes?|order)\b|not what "
        r"i (?:ordered|bought)|(?:sent|got|received) (?:me )?(?:the )?wrong",
    ),
    (
        "lost",
        r"\b(?:lost|missing|never (?:arrived|came|got)|says (?:it was )?delivered|marked "
        r"(?:as )?delivered|stolen)\b",
    ),
    (
        "late",
        r"\b(?:late|delayed|still (?:not|hasn'?t|haven'?t|no)|not (?:arrived|here|yet)|"
        r"hasn'?t (?:arrived|come)|taking (?:forever|so long|ages)|waiting|"
        r"where(?:'s| is) my (?:order|parcel|package|stuff|delivery))\b",
    ),
)
_SITUATION_RES = tuple(
    (name, re.compile("|".join([pattern, *(words[name] for words in WORDS.values())]), re.I))
    for name, pattern in SITUATIONS
)

# The template's opening for each situation: an acknowledgement, no fact, no promise.
# Its words, in every served language, are in the message catalog ("opening.<situation>").
OPENINGS = {
    name: message(f"opening.{name}")
    for name in ("late", "damaged", "charged_twice", "wrong_item", "lost", "other")
}


def situation_of(text: str) -> str:
    """The situation the customer's words (in any served language) name; "other" for any
    other words."""
    for name, pattern in _SITUATION_RES:
        if pattern.search(text or ""):
            return name
    return "other"


def template_opening(text: str, language: str = "en") -> str:
    return message(f"opening.{situation_of(text)}", language)


# A fact or a promise: an opening may have neither.
_FACT = re.compile(r"\d|[$€£¥%#@]")
_PROMISE = re.compile(
    r"\b(?:will|won't|'ll|going to|shall|refund\w*|replace\w*|compensat\w*|voucher\w*|"
    r"discount\w*|coupon\w*|credit\w*|free|guarantee\w*|promise\w*|ensure|make sure|"
    r"resend|re-send|send you|ship|deliver\w*|cancel\w*|within|asap|soon|shortly|fix\w*|"
    r"sort (?:it|this|that) out|look into|check(?:s|ed|ing)?|contact\w*|escalat\w*)\b",
    re.I,
)


def check_opening(text: Optional[str]) -> List[str]:
    """Why `text` may not open a reply (empty list: it may)."""
    text = (text or "").strip()
    if not text:
        return ["tone: empty"]
    problems = []
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        problems.append("tone: length")
    if text[-1] not in ".!" or re.search(r"[.!?]\s+\S", text):
        problems.append("tone: not one sentence")
    if "?" in text:
        problems.append("tone: asks a question")
    facts = [
        m.group(0)
        for pattern in (_FACT, _NUMBER_WORD, _MONTH_NAME, _WEEKDAY, _RELATIVE_TIME, _EMAIL, _URL)
        for m in pattern.finditer(text)
    ]
    if facts:
        problems.append(f"tone: a fact: {facts[0]}")
    promise = _PROMISE.search(text)
    if promise:
        problems.append(f"tone: a promise or a next step: {promise.group(0)}")
    if not looks_english(text):
        problems.append("tone: not English")
    return problems


def written_opening(message: str, writer=None) -> Line:
    """The `writer`'s opening for the customer's `message` when check_opening passes it,
    else the template's, with the check's verdict. Never raises; waits at most the
    generation timeout. (By default there is no writer: no model has beaten the template
    yet, README, *The tone role*; SHOPASSIST_TONE=model gives one.)"""
    request = GenerationRequest(TASK, template_opening(message), question=message)
    return checked_line(writer, request, check_opening, ROLE)


def opening(message: str, writer=None) -> str:
    """The text of written_opening()."""
    return written_opening(message, writer).text


class ToneRole(LineRole):
    """The tone role: its prompt and its line, on whatever writes the line."""

    role = ROLE
    messages = staticmethod(tone_messages)
    task, needs, max_tokens = TASK, "question", MAX_TONE_TOKENS


class EmbeddedToneWriter(ToneRole, PrefixCachedModel):
    """The tone role on a GGUF model in this process (llama.cpp)."""


class RemoteToneWriter(ToneRole, RemoteLines):
    """The tone role on an OpenAI-compatible endpoint."""
