"""The help pages in each language against the English ones, for every language whose
folder exists (data/knowledge/<language>/; a language without one is skipped): the same
sections in the same order, and in each section the same numbers, e-mail addresses and
web addresses, so a translation can't change a policy."""

import re
from collections import Counter

import pytest

from shopassist.knowledge.documents import (
    _COMMENT,
    DEFAULT_KNOWLEDGE_DIR,
    _sections,
    language_folder,
    load_passages,
)

LANGUAGES = ("de", "fr", "es", "zh")
DIGITS = re.compile(r"\d+")
# ASCII only: in Chinese an address sits between characters \w would take in.
ADDRESSES = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|(?:https?://|www\.)[!-~]+", re.ASCII
)


def addresses(markdown):
    """The e-mail and web addresses in `markdown`, without a sentence's final stop."""
    return Counter(a.rstrip(".,;:!?)]>") for a in ADDRESSES.findall(markdown))


def raw_bodies(path):
    """Each section's Markdown without its comments, by the section's position."""
    _, sections = _sections(path.name, path.read_text(encoding="utf-8"))
    return [_COMMENT.sub("", raw) for _, raw in sections if _COMMENT.sub("", raw).strip()]


@pytest.fixture(params=LANGUAGES)
def language(request):
    if not language_folder(request.param).is_dir():
        pytest.skip(f"no help pages in {request.param} yet")
    return request.param


def test_the_same_pages_and_sections_in_the_same_order(language):
    english = [p.id for p in load_passages()]
    translated = [p.id for p in load_passages(language=language)]
    assert translated == english


def test_each_section_has_the_same_numbers(language):
    english = {p.id: p for p in load_passages()}
    for passage in load_passages(language=language):
        expected = Counter(DIGITS.findall(english[passage.id].text))
        assert Counter(DIGITS.findall(passage.text)) == expected, passage.id


def test_each_section_has_the_same_email_and_web_addresses(language):
    for path in sorted(DEFAULT_KNOWLEDGE_DIR.glob("*.md")):
        translated = language_folder(language) / path.name
        assert translated.is_file(), f"{translated} is missing"
        english, theirs = raw_bodies(path), raw_bodies(translated)
        assert len(theirs) == len(english), translated
        for number, (mine, other) in enumerate(zip(english, theirs), 1):
            assert addresses(other) == addresses(mine), f"{translated} section {number}"
