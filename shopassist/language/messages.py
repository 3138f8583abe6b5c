"""The texts that actions write themselves, in the conversation's language.

`messages/en.yml` is the source: one key per text, its facts as named placeholders
("Order #{order_id}, placed on {placed_on}, is {status}."). `messages/<code>.yml` holds the
same keys in another served language; a key it lacks is written in English. Callers fill
the placeholders with values already written for that language (shopassist.formats: days
and money in the customer's locale). `tests/unit/test_message_translations.py` checks that
each translation keeps the placeholders and every number, e-mail address and URL.

    message("order.delivered", "de", delivered_on=day(d, "de"))
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Dict, Iterable

import yaml

FOLDER = Path(__file__).parent / "messages"
SOURCE = "en"
# Chinese runs its sentences together ("。" ends one); the others leave a space between.
_SENTENCE_GAP = {"zh": ""}


@cache
def catalog(language: str) -> Dict[str, str]:
    path = FOLDER / f"{language}.yml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def message_template(key: str, language: str = SOURCE) -> str:
    """The text `key` in `language` (English when that language lacks it), not filled.
    An unknown key raises KeyError: every key has an English text."""
    return catalog(language).get(key) or catalog(SOURCE)[key]


def message(key: str, language: str = SOURCE, **values: Any) -> str:
    """message_template() filled with `values`."""
    return message_template(key, language).format_map(values)


def sentences(parts: Iterable[str], language: str = SOURCE) -> str:
    """Sentences of one reply, joined as `language` writes them (empty parts dropped)."""
    return _SENTENCE_GAP.get(language, " ").join(part for part in parts if part)


def label(kind: str, code: str, language: str = SOURCE, default: str = "") -> str:
    """The words for a code of the database ("status", "shipped" -> "shipped"), or `default`
    (else the code with spaces) when the catalog has none for it."""
    key = f"{kind}.{code}"
    if key in catalog(SOURCE):
        return message(key, language)
    return default or code.replace("_", " ")
