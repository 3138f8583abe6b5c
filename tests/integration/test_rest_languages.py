"""Languages over REST with the trained model: a message in a language the shop does not
serve (in Latin letters, pinyin or another script) gets the served languages' list in
English and starts nothing; served, short and ambiguous messages are understood as usual."""

import uuid

import pytest
import requests
import yaml

from shopassist.language import detect
from shopassist.language.messages import message
from tests.servers import ROOT

pytestmark = pytest.mark.integration

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
NOT_SERVED = DOMAIN["responses"]["utter_language_not_served"][0]["text"]
IN_CHARACTERS = message("language.in_characters", "zh")


def new_sender():
    return f"test-lang-{uuid.uuid4().hex[:8]}"


def latest_parse(assistant, sender):
    """The parse data of the sender's latest message (REST keeps it as "rest:<sender>")."""
    response = requests.get(f"{assistant}/conversations/rest:{sender}/tracker", timeout=60)
    assert response.status_code == 200, response.text
    users = [e for e in response.json()["events"] if e.get("event") == "user"]
    return users[-1]["parse_data"]


@pytest.mark.parametrize(
    "text",
    [
        "dov'è il mio ordine 100234?",
        "onde está a minha encomenda 100234",
        "ik wil mijn bestelling 100234 annuleren",
        "注文100234はどこですか？",
    ],
)
def test_an_unserved_language_gets_the_list_and_its_order_number_starts_nothing(
    say, assistant, text
):
    sender = new_sender()
    assert say(sender, text) == [NOT_SERVED]
    parse = latest_parse(assistant, sender)
    assert parse["intent"]["name"] == "out_of_scope"
    assert parse["entities"] == []
    assert parse["language"]["clearly_unsupported"]
    # The next message is understood as usual, in English: no form was left open.
    (reply,) = say(sender, "hi")
    assert "ShopAssist" in reply


@pytest.mark.parametrize("text", ["wo de dingdan 100234 zai nali", "wǒ xiǎng tuìhuò"])
def test_pinyin_gets_the_list_and_a_line_in_chinese_characters(say, assistant, text):
    sender = new_sender()
    assert say(sender, text) == [f"{NOT_SERVED}\n{IN_CHARACTERS}"]
    assert latest_parse(assistant, sender)["entities"] == []


@pytest.mark.parametrize(
    "text", ["100234", "ok", "si", "merci", "anna.schmidt@example.com", "PayPal?",
             "street should be Kerkstraat not Kerkweg, order #100049",
             "can I return the Nike Air Max I bought in Amsterdam?",
             "je voudrais return my order please"],
)  # fmt: skip
def test_short_and_ambiguous_served_messages_never_get_the_list(say, assistant, text):
    sender = new_sender()
    replies = say(sender, text)
    assert replies and NOT_SERVED not in replies
    assert not latest_parse(assistant, sender)["language"]["clearly_unsupported"]


def test_an_order_number_alone_still_starts_the_identity_check(say):
    replies = say(new_sender(), "100234")
    assert any("e-mail" in r for r in replies)


def test_a_german_conversation_stays_german_around_a_pinyin_message(say):
    sender = new_sender()
    first = say(sender, "Wie lange dauert der Versand nach Österreich?")
    assert first and detect(first[0]).language == "de"
    assert say(sender, "wo xiang tuihuo") == [f"{NOT_SERVED}\n{IN_CHARACTERS}"]
    after = say(sender, "ok")
    assert after and all(detect(r).language in ("de", None) for r in after), after


@pytest.mark.parametrize(
    "text,language",
    [("Hallo", "de"), ("Guten Tag", "de"), ("bonjour", "fr"), ("Hola", "es"), ("hello", "en"),
     ("hi", "en")],
)  # fmt: skip
def test_a_greeting_alone_as_the_first_message_is_answered_in_its_language(say, text, language):
    """REST sends no page language: a greeting of one served language sets it ("Hallo"),
    while a short reading does not, and "hello"/"hi" stay English."""
    replies = say(new_sender(), text)
    assert replies and NOT_SERVED not in replies
    readings = [detect(r).language for r in replies]
    assert language in readings and set(readings) <= {language, None}, replies
