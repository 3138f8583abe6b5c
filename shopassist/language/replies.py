"""The domain's responses in the served languages other than English.

`replies/<code>.yml` holds, for each response of domain.yml but ENGLISH_ONLY, its text and
its buttons' titles in that language (payloads stay the domain's). Written by native-level
writers from the English responses; `tests/unit/test_reply_translations.py` checks that every
number, amount, placeholder, e-mail address and URL of each English text is in each
translation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

FOLDER = Path(__file__).parent / "replies"
# Responses written for customers who read none of the other served languages: they stay
# English in every conversation (the served languages' own names are in the text).
ENGLISH_ONLY = frozenset({"utter_language_not_served"})


@cache
def table(language: str) -> Dict[str, Dict[str, Any]]:
    path = FOLDER / f"{language}.yml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def translated(
    name: str, response: Optional[Dict[str, Any]], language: Optional[str]
) -> Optional[Dict[str, Any]]:
    """`response` (one variation of domain response `name`, not yet filled) in `language`;
    unchanged when English, English-only, or when that language has no text for it."""
    if response is None or not language or language == "en" or name in ENGLISH_ONLY:
        return response
    entry = table(language).get(name)
    if not entry or not entry.get("text"):
        return response
    out = dict(response, text=entry["text"])
    titles = entry.get("buttons") or []
    buttons = response.get("buttons") or []
    if buttons and len(titles) == len(buttons):
        out["buttons"] = [dict(b, title=t) for b, t in zip(buttons, titles)]
    return out
