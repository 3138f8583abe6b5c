"""The languages the console shows and filters by: the served five, and "unknown".

A handoff ticket's language is unknown when it was opened before tickets recorded one; a
conversation's when nothing in it said one (no clear message, no page language, no choice
in the chat's menu: it was answered in English).
"""

from __future__ import annotations

from typing import Optional

from shopassist.language.reading import SUPPORTED

UNKNOWN = "unknown"
# The console is in English: languages by their English names.
NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "zh": "Chinese"}
FILTER = tuple((code, NAMES[code]) for code in SUPPORTED) + ((UNKNOWN, "unknown"),)


def name(code: Optional[str]) -> str:
    """A language's name for the console; "unknown" for none."""
    return NAMES.get(code or "", UNKNOWN)


def wanted(value: Optional[str]) -> str:
    """The language filter asked for: a served code, UNKNOWN, or "" (any)."""
    value = (value or "").strip().lower()
    return value if value in NAMES or value == UNKNOWN else ""
