"""The domain's responses in German, French, Spanish and Chinese: every response is there,
every fact of the English text is unchanged, and Rasa's generator answers in the
conversation's language."""

import asyncio
import re
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from shopassist.language.replies import ENGLISH_ONLY, table, translated
from shopassist.language.turns import conversation_language_of
from shopassist.nlg import RecordedResponses

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "fr", "es", "zh")
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
ENGLISH = {name: r for name, r in DOMAIN.items() if name not in ENGLISH_ONLY}
# Facts a reply states: amounts, numbers, placeholders, e-mail addresses, web addresses.
FACT = re.compile(r"\{[a-z_]+\}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|\d+(?:[.,]\d+)?")
# Clock times: "8 am-8 pm" may be written "8-20 Uhr" or "de 8 h à 20 h".
CLOCK = re.compile(r"\b(\d{1,2}) ?([ap])m\b")


def facts(text: str, twenty_four_hour: bool = False) -> set:
    if twenty_four_hour:
        text = CLOCK.sub(
            lambda m: str(int(m[1]) + (12 if m[2] == "p" and m[1] != "12" else 0)), text
        )
    return {fact.replace(",", ".") for fact in FACT.findall(text)} - {"24", "7"} | (
        {"24/7"} if "24" in text and "7" in text else set()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_is_translated(language):
    assert set(table(language)) == set(ENGLISH)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_the_facts_are_unchanged(language, name):
    english = ENGLISH[name][0]["text"]
    theirs = table(language)[name]["text"]
    assert facts(theirs) in (facts(english), facts(english, twenty_four_hour=True)), theirs
    assert len(table(language)[name].get("buttons") or []) == len(
        ENGLISH[name][0].get("buttons") or []
    )


def test_buttons_keep_their_payloads_and_unknown_languages_stay_english():
    english = ENGLISH["utter_ask_return_condition"][0]
    german = translated("utter_ask_return_condition", english, "de")
    assert [b["payload"] for b in german["buttons"]] == [b["payload"] for b in english["buttons"]]
    assert german["buttons"][0]["title"] != english["buttons"][0]["title"]
    assert translated("utter_ask_return_condition", english, "it") == english
    assert translated("utter_ask_return_condition", english, "en") is english
    not_served = DOMAIN["utter_language_not_served"][0]
    assert translated("utter_language_not_served", not_served, "zh") is not_served


def turn(text, code=None, clear=True, metadata=None):
    return {
        "event": "user",
        "text": text,
        "metadata": metadata or {},
        "parse_data": {"language": {"code": code, "clear": clear}},
    }


def test_the_conversation_keeps_its_language_through_short_messages():
    assert conversation_language_of([]) == "en"
    events = [turn("Wo ist meine Bestellung 100234?", "de"), turn("ok", "de", clear=False)]
    assert conversation_language_of(events) == "de"
    assert conversation_language_of(events + [turn("100234", None, clear=False)]) == "de"
    assert conversation_language_of(events + [turn("where is my parcel then", "en")]) == "en"


def test_the_page_language_counts_until_a_clear_message():
    page = {"language": "fr-FR"}
    assert conversation_language_of([turn("ok", None, False, page)]) == "fr"
    assert (
        conversation_language_of([turn("ok", None, False, page), turn("我的订单呢", "zh")]) == "zh"
    )


def test_rasa_renders_the_response_in_the_conversation_language():
    domain = Domain.from_path(str(ROOT / "domain.yml"))
    generator = RecordedResponses(domain=domain)
    tracker = DialogueStateTracker.from_events(
        "s",
        [
            UserUttered(
                "Wo ist meine Bestellung?",
                parse_data={"language": {"code": "de", "clear": True}},
            )
        ],
    )
    message = asyncio.run(generator.generate("utter_ask_order_id", tracker, "rest"))
    assert message["text"] == table("de")["utter_ask_order_id"]["text"]
    assert message["generated_by"]  # still recorded as the template's


def test_a_greeting_alone_is_answered_in_its_language():
    """ "Hallo" as the first message over REST (no page language): a German greeting."""
    domain = Domain.from_path(str(ROOT / "domain.yml"))
    generator = RecordedResponses(domain=domain)
    english = domain.responses["utter_greet"][0]["text"]
    german, spanish = (table(code)["utter_greet"]["text"] for code in ("de", "es"))
    for text, expected in (("Hallo", german), ("hola", spanish), ("hello", english)):
        reading = {"code": None, "clear": False}  # one word: no reading sets the language
        tracker = DialogueStateTracker.from_events(
            "s", [UserUttered(text, parse_data={"language": reading})]
        )
        message = asyncio.run(generator.generate("utter_greet", tracker, "rest"))
        assert message["text"] == expected, text
