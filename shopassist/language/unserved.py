"""When a message in Latin letters is surely in a language the shop does not serve.

Scripts settle most unserved languages (shopassist.language.reading); in Latin letters two
cases need more than the detector's word, because served messages look like them:

- An unserved language the detector knows (Italian, Portuguese, Dutch, ...): its score
  leads the best served language's RATIO times over, the message has MIN_WORDS different
  words that are not names, and most of those words are not words the assistant itself
  writes in a served language. Names are dropped first (a capitalised word after the first
  of its sentence, a word in capitals): the detector reads Dutch into "Kerkstraat 10, 1017
  GM Amsterdam", and "street should be Kerkstraat not Kerkweg" is English words around two.
- Pinyin (shopassist.language.pinyin): its tone marks (macron or caron, which none of the
  served languages writes) or tone digits make it sure; else MIN_WORDS words, most of them
  not words of the served languages ("are you an AI" is pinyin syllables too).

The served languages' words are those of the assistant's own texts
(shopassist/language/messages/ and replies/, about 3,500 words): common words, not the
training data, so a measurement on the training data stays fair. The figures (RATIO,
MIN_WORDS, "most") were chosen on the training data and the tests' messages
(`python -m bench.unserved_language`; bench/BENCHMARKS.md, *Unserved languages in Latin
letters*), never on the evaluation sets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Dict, FrozenSet, List

import yaml

from shopassist.language.detector import SUPPORTED

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FOLDER = Path(__file__).parent
RATIO = 4.0  # the unserved language's score over the best served language's
MIN_WORDS = 3  # different words, names not counted
_WORDS = re.compile(r"[^\W\d_]+")
_TOKENS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.!?]")
_TONES = frozenset({"\u0304", "\u030c"})  # macron and caron: pinyin's first and third tones
_TONE_DIGIT = re.compile(r"[^\W\d_][1-5](?![\d])")


@cache
def served_words() -> FrozenSet[str]:
    """Every word (lower case) of the assistant's own texts in the served languages."""
    words = set()

    def walk(value) -> None:
        if isinstance(value, str):
            words.update(w.lower() for w in _WORDS.findall(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for folder in ("messages", "replies"):
        for path in sorted((FOLDER / folder).glob("*.yml")):
            walk(yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER))
    return frozenset(words)


def plain_words(text: str) -> List[str]:
    """The words of a message in lower case, names left out: a capitalised word that is not
    the first of its sentence, and a word of two capitals or more."""
    words: List[str] = []
    first = True
    for token in _TOKENS.findall(text):
        if token in ".!?":
            first = True
            continue
        name = (token[0].isupper() and not first) or (len(token) > 1 and token.isupper())
        first = False
        if not name:
            words.append(token.lower().replace("’", "'"))
    return words


def _mostly_unknown(words: List[str]) -> bool:
    """More than half the words are no word of the served languages ("dov'è": "dov" or "è")."""
    known = served_words()
    unknown = sum(all(part not in known for part in word.split("'")) for word in words)
    return unknown * 2 > len(words)


def surely_unserved(text: str, scores: Dict[str, float]) -> bool:
    """Whether the detector's best language (scores of the served and the checked languages)
    is an unserved one and the message surely is in it (see the module's docstring)."""
    served = max((v for k, v in scores.items() if k in SUPPORTED), default=0.0)
    unserved = max((v for k, v in scores.items() if k not in SUPPORTED), default=0.0)
    if unserved <= 0 or unserved < RATIO * served:
        return False
    words = plain_words(text)
    return len(set(words)) >= MIN_WORDS and _mostly_unknown(words)


def tone_marked(text: str) -> bool:
    """A tone written as pinyin writes it: a macron or caron, or a digit after a syllable."""
    decomposed = unicodedata.normalize("NFD", text)
    return any(c in _TONES for c in decomposed) or bool(_TONE_DIGIT.search(text))


def surely_pinyin(text: str) -> bool:
    """Whether a message already taken for pinyin (every word pinyin syllables) surely is."""
    if tone_marked(text):
        return True
    words = [w.lower() for w in _WORDS.findall(text)]
    return len(words) >= MIN_WORDS and _mostly_unknown(words)
