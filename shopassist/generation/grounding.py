"""Checks a generated answer against the text it was given, before a customer sees it.

An answer passes only if every checkable fact in it (numbers, amounts, percentages, times,
e-mail addresses, web and phone numbers, month and weekday names, and the names the caller
marks as sensitive, such as product names) appears in the source text; if it is of sane
length; if it reads as English; and if it does not echo the prompt's instructions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List

MAX_ANSWER_CHARS = 700
MIN_ANSWER_CHARS = 2

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_CALENDAR = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|ninety|hundred)\b",
    re.IGNORECASE,
)
# Phrases of our own prompts: an answer that repeats them is leaking instructions.
_LEAKS = (
    "using only the facts",
    "only the facts given",
    "the facts given",
    "facts:",
    "question:",
    "system prompt",
    "my instructions",
    "you are the customer-service assistant",
    "as an ai language model",
    "reply exactly",
)
_ENGLISH = {
    "the",
    "a",
    "an",
    "you",
    "your",
    "is",
    "are",
    "can",
    "we",
    "to",
    "of",
    "and",
    "in",
    "for",
    "it",
    "on",
    "be",
    "with",
    "our",
    "will",
    "or",
    "not",
    "yes",
    "no",
    "if",
    "days",
}


@dataclass
class Verdict:
    ok: bool
    problems: List[str] = field(default_factory=list)


def _numbers(text: str) -> set:
    # "1,200" and "1200" are one number; a trailing sentence dot is not part of it.
    return {m.group(0).replace(",", "").rstrip(".:") for m in _NUMBER.finditer(text)}


def unsupported_facts(answer: str, source: str, sensitive_names: Iterable[str] = ()) -> List[str]:
    """The facts in `answer` that `source` does not contain."""
    lowered = source.lower()
    missing = []
    source_numbers = _numbers(source)
    for number in sorted(_numbers(answer)):
        if number not in source_numbers:
            missing.append(number)
    for pattern in (_EMAIL, _URL, _CALENDAR, _NUMBER_WORDS):
        for match in pattern.finditer(answer):
            if match.group(0).lower().rstrip(".,") not in lowered:
                missing.append(match.group(0))
    answer_lower = answer.lower()
    for name in sensitive_names:
        if name and name.lower() in answer_lower and name.lower() not in lowered:
            missing.append(name)
    return missing


def looks_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z']+", text.lower())
    letters = sum(ch.isalpha() for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    if not words or letters == 0 or latin / letters < 0.9:
        return False
    return len(words) < 4 or any(word in _ENGLISH for word in words)


def check_answer(answer: str, source: str, sensitive_names: Iterable[str] = ()) -> Verdict:
    problems = []
    text = answer.strip()
    if not (MIN_ANSWER_CHARS <= len(text) <= MAX_ANSWER_CHARS):
        problems.append(f"length {len(text)}")
    if not looks_english(text):
        problems.append("not English")
    lowered = text.lower()
    problems += [f"leak: {p}" for p in _LEAKS if p in lowered]
    problems += [
        f"unsupported: {fact}" for fact in unsupported_facts(text, source, sensitive_names)
    ]
    return Verdict(not problems, problems)


_DONT_KNOW = re.compile(
    r"\b(i don't know|i do not know|i'm not sure|i am not sure|i'm unable|i am unable|"
    r"i cannot (?:answer|provide|help)|can't answer|not (?:mentioned|stated|specified) in)",
    re.IGNORECASE,
)


def says_dont_know(answer: str) -> bool:
    return bool(_DONT_KNOW.search(answer))
