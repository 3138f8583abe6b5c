"""What a message is made of before a language model reads it: its words and their scripts.

E-mail addresses and links are not words of any language and are removed first; digits and
punctuation never count (an order number says nothing about the language). A word is a run
of letters of one script; Han and kana are written without spaces, so a run of them counts
one word per two characters (the usual length of a Chinese word).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Optional

from shopassist.store.identifiers import EMAIL_PATTERN

_NOT_LANGUAGE = re.compile(rf"{EMAIL_PATTERN}|(?:https?://|www\.)\S+", re.IGNORECASE)
_IN_WORD_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’](?=[^\W\d_])")
_SPACES = re.compile(r"\s+")
_WITHOUT_SPACES = frozenset({"han", "kana"})


def script_of(char: str) -> Optional[str]:
    """The script of a letter, in lower case ("latin", "han", "kana", "hangul", "cyrillic",
    "arabic", ...), or None for anything that is not a letter."""
    if not char.isalpha():
        return None
    first = unicodedata.name(char, "").split(" ", 1)[0]
    if first in ("CJK", "IDEOGRAPHIC"):
        return "han"
    if first in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
        return "kana"
    if first in ("", "MODIFIER"):  # e.g. the apostrophe-like letter U+02BC
        return None
    return first.lower()


@dataclass(frozen=True)
class Profile:
    """A message as a language detector should see it."""

    text: str  # NFKC-normalised, e-mails and links removed, spaces collapsed
    words: int  # words of any script (see the module's docstring)
    scripts: Dict[str, int] = field(default_factory=dict)  # words per script

    def share(self, *scripts: str) -> float:
        """The part of the words written in these scripts (0 when there are no words)."""
        return sum(self.scripts.get(s, 0) for s in scripts) / self.words if self.words else 0.0


def profile(text: object) -> Profile:
    """The words and scripts of a message; an empty profile for anything that is not text."""
    if not isinstance(text, str):
        return Profile("", 0, {})
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = _SPACES.sub(" ", _NOT_LANGUAGE.sub(" ", cleaned)).strip()
    runs: Counter = Counter()  # script -> words
    run_script, run_length = None, 0
    for char in _IN_WORD_APOSTROPHE.sub("", cleaned) + " ":
        script = script_of(char)
        if script == run_script and script is not None:
            run_length += 1
            continue
        if run_script is not None:
            runs[run_script] += math.ceil(run_length / 2) if run_script in _WITHOUT_SPACES else 1
        run_script, run_length = script, 1
    return Profile(cleaned, sum(runs.values()), dict(runs))
