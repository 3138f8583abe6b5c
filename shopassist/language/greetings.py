"""Greetings that say a served language on their own: "Hallo", "bonjour", "hola".

A message of one or two words does not set a conversation's language (the detector's
short readings are too often wrong: shopassist.language.conversation), so "Hallo" as a
first message used to be answered in English. A greeting written alone is the exception:
each word or phrase below is a greeting of one served language and of no other served one,
so it sets the language of a conversation that has none yet (no menu choice, no clear
message). It never switches a conversation that already has a language, and a greeting
with more words ("Hallo, wo ist meine Bestellung?") is read by the detector as usual.
Shared greetings stay out: "hello", "hi", "hey", "ok" (English and German), "ciao",
"salve" (Italian). "hallo" is kept although English customers sometimes type it for
"hello" (one of the 348 short English messages of bench/eval/en): such a customer gets a
German greeting, and their next clear English message switches back. Chinese needs no list:
Chinese characters are clear however short ("你好"). Accents and the case are optional,
punctuation and emoji around are ignored.
"""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

from shopassist.spellings import fold

GREETINGS: Dict[str, Tuple[str, ...]] = {
    "de": (
        "hallo",
        "hallo zusammen",
        "guten tag",
        "guten morgen",
        "guten abend",
        "servus",
        "moin",
        "moin moin",
        "grüß gott",
        "grüezi",
    ),
    "fr": ("bonjour", "bonsoir", "salut", "coucou"),
    "es": ("hola", "buenos días", "buenas tardes", "buenas noches", "buenas"),
}


def _key(text: str) -> str:
    """Lower case letters and single spaces, without accents ("Grüß Gott!" -> "gruss gott")."""
    letters = fold(text.replace("ß", "ss").replace("ẞ", "ss").lower())
    return " ".join(re.sub(r"[^a-z]+", " ", letters).split())


_LANGUAGE_OF: Dict[str, str] = {
    _key(greeting): language for language, greetings in GREETINGS.items() for greeting in greetings
}


def greeting_language(text: object) -> Optional[str]:
    """The served language of a message that is only a greeting of that language, else None."""
    if not isinstance(text, str) or len(text) > 40 or re.search(r"\d", text):
        return None
    if any(ch.isalpha() and not fold(ch) and ch not in "ßẞ" for ch in text):
        return None  # letters of another script: "你好 hallo" is not German
    return _LANGUAGE_OF.get(_key(text))
