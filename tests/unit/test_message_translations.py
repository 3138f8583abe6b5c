"""The texts actions write, in German, French, Spanish and Chinese: every key is there, each
translation keeps the English text's placeholders and facts, and English is the fallback."""

import re
import string

import pytest

from shopassist.language.messages import SOURCE, catalog, label, message, sentences

LANGUAGES = ("de", "fr", "es", "zh")
ENGLISH = catalog(SOURCE)
# Facts a text states itself: numbers, e-mail addresses, web addresses ("3-5", "100234").
FACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|\d+(?:[.,]\d+)?")
# Words some languages spell as English does: brand names, "Total" in French and Spanish,
# and the "x" of "2 x Mug" (shopassist.store.orders.line_text writes it so everywhere).
SAME_AS_ENGLISH = {"method.paypal", "method.apple_pay", "card.total", "invoice.line"}
# A text made of placeholders and punctuation only ("{name}: {price}") has no words to
# translate.
WORDS = re.compile(r"[^\W\d_]")


def placeholders(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def facts(text: str) -> set:
    return {fact.replace(",", ".") for fact in FACT.findall(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_nothing_else(language):
    assert set(catalog(language)) == set(ENGLISH)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_a_translation_keeps_the_placeholders_and_the_facts(language, key):
    theirs = catalog(language)[key]
    assert placeholders(theirs) == placeholders(ENGLISH[key]), theirs
    assert facts(ENGLISH[key]) <= facts(theirs), theirs
    words = WORDS.search(re.sub(r"\{\w+\}", "", ENGLISH[key]))
    assert theirs.strip() and (theirs != ENGLISH[key] or key in SAME_AS_ENGLISH or not words)


def test_a_missing_key_or_language_falls_back_to_english(monkeypatch):
    assert message("orders.none", "it") == ENGLISH["orders.none"]
    monkeypatch.setitem(catalog("de"), "orders.none", None)
    assert message("orders.none", "de") == ENGLISH["orders.none"]
    with pytest.raises(KeyError):
        message("no.such.key", "de")


def test_codes_without_words_keep_their_own_and_chinese_joins_sentences_without_spaces():
    assert label("status", "shipped", "de") == "versandt"
    assert label("status", "on_hold", "de", "held") == "held"
    assert label("status", "on_hold", "de") == "on hold"
    assert sentences(["A.", "", "B."]) == "A. B."
    assert sentences(["甲。", "乙。"], "zh") == "甲。乙。"
