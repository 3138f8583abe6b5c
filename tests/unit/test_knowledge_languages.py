"""Help pages in the customer's language: translated pages parsed onto the English ids,
searched with the multilingual encoder, and answered in that language by the action
(English, with the line saying so, where that language lacks the page)."""

from pathlib import Path

import pytest

from actions import knowledge
from actions.knowledge import ActionAnswerQuestion
from shopassist.generation.knowledge_answers import answer_in_language, sentences
from shopassist.knowledge.documents import UnknownSection, load_passages, parse_translated_page
from shopassist.knowledge.languages import LANGUAGE_UNKNOWN_BELOW, build_index, language_index
from shopassist.language.messages import message
from tests.actions_kit import make_tracker, run

RETURNS = """# Returns

## Return window

<!-- asked:
- how long do I have to send something back
-->

You can return items within 30 days of delivery. Day 30 is the last day to start a return.

## Return shipping costs

<!-- asked:
- who pays for the return label
-->

Return shipping costs $6.95, taken off your refund, when an item doesn't fit. Returns are
free when the item arrived damaged or is the wrong item.

## Exchanges

<!-- asked:
- can I exchange it for a different size
-->

We don't swap items directly: return the item and place a new order for the size you want.
"""

PAYMENTS = """# Payments

## Payment methods

<!-- asked:
- can I pay with apple pay
-->

We accept Visa, Mastercard, American Express, PayPal, Apple Pay and Google Pay.
"""

RETURNS_DE = """# Rücksendungen

## Rückgabefrist
<!-- section: return-window -->

<!-- asked:
- wie lange habe ich Zeit, etwas zurückzuschicken
-->

Sie können Artikel innerhalb von 30 Tagen nach der Lieferung zurückgeben. Tag 30 ist der
letzte Tag, an dem Sie eine Rücksendung starten können.

## Kosten der Rücksendung
<!-- section: return-shipping-costs -->

<!-- asked:
- wer bezahlt das Rücksendeetikett
-->

Die Rücksendung kostet 6,95 $, die von Ihrer Erstattung abgezogen werden, wenn ein Artikel
nicht passt. Kostenlos ist die Rücksendung, wenn der Artikel beschädigt ankam oder falsch ist.
"""


@pytest.fixture
def pages(tmp_path) -> Path:
    """English returns and payments pages; in German the returns page without its last
    section (exchanges), and no payments page."""
    folder = tmp_path / "knowledge"
    (folder / "de").mkdir(parents=True)
    (folder / "returns.md").write_text(RETURNS, encoding="utf-8")
    (folder / "payments.md").write_text(PAYMENTS, encoding="utf-8")
    (folder / "de" / "returns.md").write_text(RETURNS_DE, encoding="utf-8")
    return folder


@pytest.fixture
def german(pages, tmp_path):
    return build_index("de", pages, cache_dir=tmp_path / "cache")


ENGLISH_IDS = ["returns.md#return-window", "returns.md#return-shipping-costs"]


def test_a_translated_section_gets_the_id_of_the_english_section_it_names(pages):
    passages = load_passages(pages, "de")
    english = load_passages(pages)
    assert [p.id for p in passages] == [p.id for p in english if p.source == "returns.md"][:2]
    window = passages[0]
    assert (window.page, window.title, window.language) == ("Rücksendungen", "Rückgabefrist", "de")
    assert window.questions == ("wie lange habe ich Zeit, etwas zurückzuschicken",)
    assert window.text.startswith("Sie können Artikel innerhalb von 30 Tagen")
    assert "section:" not in window.text and "<!--" not in window.text
    assert {p.language for p in english} == {"en"}


def test_a_section_naming_no_english_section_is_an_error_that_says_which():
    page = "# Rücksendungen\n\n## Kosten\n<!-- section: return-costs -->\n\nText.\n"
    with pytest.raises(UnknownSection) as error:
        parse_translated_page("returns.md", page, "de", ENGLISH_IDS, "de/returns.md")
    said = str(error.value)
    assert "de/returns.md" in said and "'Kosten'" in said and "return-costs" in said
    assert "return-window, return-shipping-costs" in said  # the slugs it could have named


def test_a_translated_section_must_name_its_english_section():
    page = "# Rücksendungen\n\n## Rückgabefrist\n\nSie haben 30 Tage.\n"
    with pytest.raises(UnknownSection, match="Rückgabefrist.*section: <slug>"):
        parse_translated_page("returns.md", page, "de", ENGLISH_IDS)
    twice = (
        "## A\n<!-- section: return-window -->\nEins.\n## B\n<!-- section: return-window -->\n"
        "Zwei.\n"
    )
    with pytest.raises(UnknownSection, match="more than one section translates"):
        parse_translated_page("returns.md", twice, "de", ENGLISH_IDS)


def test_a_translated_page_needs_an_english_page_of_the_same_name(pages):
    (pages / "de" / "gift-cards.md").write_text(
        "# Gutscheine\n\n## Gutscheine\n<!-- section: gift-cards -->\n\nText.\n", encoding="utf-8"
    )
    with pytest.raises(UnknownSection, match="no English page gift-cards.md"):
        load_passages(pages, "de")


def test_a_language_without_its_folder_has_no_pages(pages):
    assert load_passages(pages, "fr") == []
    assert language_index("fr", pages) is None
    assert language_index("en", pages) is None  # English has its own index


def test_a_german_question_finds_the_german_passage(german):
    reply = answer_in_language("Wer bezahlt den Rückversand, wenn mir etwas nicht passt?", german)
    assert reply is not None and reply.source == "passage" and reply.language == "de"
    assert reply.hits[0].passage.id == "returns.md#return-shipping-costs"
    assert reply.score >= LANGUAGE_UNKNOWN_BELOW
    assert "6,95 $" in reply.text and "Rücksendung" in reply.text


def test_a_page_missing_in_german_is_found_in_english_and_nothing_else_is_made_up(german):
    # The English section stands in for the page German lacks (the encoder is multilingual).
    reply = answer_in_language("Kann ich mit Apple Pay bezahlen?", german)
    assert reply.language == "en" and reply.hits[0].passage.id == "payments.md#payment-methods"
    assert answer_in_language("Wer hat 1954 die Fußball-WM gewonnen?", german) is None


def test_sentences_in_other_languages():
    assert sentences("Sie haben 30 Tage. Über z. B. Etiketten entscheiden wir.", "de") == [
        "Sie haben 30 Tage.",
        "Über z. B. Etiketten entscheiden wir.",
    ]
    # An ordinal's dot (the German return page's "der 30. Tag") ends no sentence.
    assert sentences("ab Zustellung; der 30. Tag ist der letzte. Danach nicht.", "de") == [
        "ab Zustellung; der 30. Tag ist der letzte.",
        "Danach nicht.",
    ]
    assert sentences("¿Quién paga? Nosotros. Él no.", "es") == [
        "¿Quién paga?",
        "Nosotros.",
        "Él no.",
    ]
    assert sentences("退货期限为30天。运费由我们承担！", "zh") == [
        "退货期限为30天。",
        "运费由我们承担！",
    ]


def german_faq(text, curated_confidence=None):
    tracker = make_tracker(intent="faq", text=text)
    if curated_confidence is not None:
        tracker.latest_message["response_selector"] = {
            "default": {
                "response": {
                    "responses": [{"text": "Curated."}],
                    "confidence": curated_confidence,
                    "intent_response_key": "faq/return_policy",
                }
            }
        }
    tracker.events.append(
        {"event": "user", "parse_data": {"language": {"code": "de", "clear": True}}}
    )
    return tracker


@pytest.fixture
def served_pages(monkeypatch, german):
    """The action reads the German fixture pages; no generator may be asked for German."""
    asked, generator = [], knowledge.get_generator

    def counted():
        asked.append(1)
        return generator()

    monkeypatch.setattr(knowledge, "language_index", lambda code: german if code == "de" else None)
    monkeypatch.setattr(knowledge, "get_generator", counted)
    return asked


def test_in_german_the_german_page_answers_in_german_with_no_english_line(served_pages):
    tracker = german_faq("Wer bezahlt den Rückversand, wenn mir etwas nicht passt?", 0.9)
    result = run(ActionAnswerQuestion(), tracker)
    (sent,) = result.messages
    assert "6,95 $" in sent["text"] and "Rücksendung" in sent["text"]
    assert message("knowledge.in_english", "de") not in sent["text"]
    assert sent.get("response") is None  # before the curated answer, which is of its topic
    assert (sent["answered_by"], sent["language"], sent["generated_by"]) == (
        "passage",
        "de",
        "template",
    )
    assert served_pages == []  # neither a draft nor an answer was asked of a model
    assert sent["buttons"] == [
        {"title": message("offer.start_return", "de"), "payload": "/start_return"}
    ]


def test_a_page_missing_in_german_gets_the_english_answer_after_the_line(served_pages):
    # The German pages have no payments page: the English one answers, said to be English.
    result = run(ActionAnswerQuestion(), german_faq("Kann ich mit Apple Pay bezahlen?", 0.2))
    (sent,) = result.messages
    note, answer = sent["text"].split("\n", 1)
    assert note == message("knowledge.in_english", "de")
    assert "Apple Pay" in answer
    assert (sent["answered_by"], sent["language"]) == ("passage", "en")


def test_a_section_missing_in_german_gets_the_english_section_after_the_line(served_pages):
    tracker = german_faq("Kann ich die Schuhe gegen eine andere Größe umtauschen?", 0.2)
    (sent,) = run(ActionAnswerQuestion(), tracker).messages
    note, answer = sent["text"].split("\n", 1)
    assert note == message("knowledge.in_english", "de")
    assert answer.startswith("We don't swap items directly")
    assert (sent["answered_by"], sent["language"]) == ("passage", "en")


def test_a_confident_curated_answer_in_german_beats_the_english_page(served_pages):
    result = run(ActionAnswerQuestion(), german_faq("Kann ich mit Apple Pay bezahlen?", 0.9))
    assert [m.get("response") for m in result.messages] == ["utter_faq/return_policy"]
    assert result.messages[0]["answered_by"] == "curated"


def test_an_english_conversation_never_reads_the_other_languages_pages(monkeypatch):
    read = []
    monkeypatch.setattr("actions.knowledge.language_index", lambda code: read.append(code))
    tracker = make_tracker(intent="faq", text="how long do I have to return stuff")
    (sent,) = run(ActionAnswerQuestion(), tracker).messages
    assert read == [] and "30 days" in sent["text"] and sent["language"] == "en"
