"""Spellings of a name without its accents, as customers type them on any keyboard.

One place for them so that the NLU's lookup tables and the address form know the same
spellings ("Österreich", "Osterreich", "Oesterreich").
"""

from __future__ import annotations

import unicodedata
from typing import List

_GERMAN_DIGRAPHS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"))


def fold(text: str) -> str:
    """The text without accents: "Düsseldorf" -> "Dusseldorf"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def without_accents(name: str) -> List[str]:
    """Spellings of a name without accents: "Düsseldorf" -> "Dusseldorf", "Duesseldorf"."""
    german = name
    for umlaut, digraph in _GERMAN_DIGRAPHS:
        german = german.replace(umlaut, digraph)
    return [v for v in dict.fromkeys([fold(name), fold(german)]) if v != name]
