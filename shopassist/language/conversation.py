"""The conversation's language after one more message from the customer.

A clear message (see `Reading.clear`) sets it. Anything else keeps the language the
conversation already has: "ok", "100234", an e-mail address, "PayPal", pinyin, a mix of
languages, a message in a language that is not served (the caller answers that one in
English, listing the served languages: `detect(text).unsupported` tells it). A
conversation without a language yet takes the page's language (the web chat's metadata),
else English: a short message's reading does not set it either, since on the English
training examples of one or two words 289 of 912 sure readings named another language
("blender" and "reset" read as German). One exception: a greeting that belongs to one
served language alone ("Hallo", "bonjour", "hola": shopassist.language.greetings) sets the
language of a conversation that has none yet, before the page's language; it never
switches one. This is the rule shopassist.language.turns applies to a tracker's events.
"""

from __future__ import annotations

from typing import Optional

from shopassist.language.greetings import greeting_language
from shopassist.language.reading import SUPPORTED, detect

DEFAULT = "en"


def served(code: Optional[str]) -> Optional[str]:
    """A served language from a code such as "de", "de-AT", "zh_CN" or "ZH-Hans"; else None."""
    if not isinstance(code, str):
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED else None


def conversation_language(
    previous: Optional[str], text: str, page_language: Optional[str] = None
) -> str:
    """The language to answer in after `text` (always one of SUPPORTED)."""
    reading = detect(text)
    if reading.clear:
        return reading.language
    return served(previous) or greeting_language(text) or served(page_language) or DEFAULT
