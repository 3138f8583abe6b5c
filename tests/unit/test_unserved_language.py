"""A message in a language the shop does not serve: out of scope, nothing acted on, and the
out-of-scope answer becomes the list of served languages, in English."""

import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bench.unserved_language import story_turns, training_examples
from shopassist.language import detect
from shopassist.language.messages import message as text_of
from shopassist.language.replies import table
from shopassist.nlg import RecordedResponses
from shopassist.nlu.language_reader import LANGUAGE, LanguageReader
from shopassist.nlu.unserved_language import READ_AS, UnservedLanguage, routed

ROOT = Path(__file__).resolve().parents[2]
ORDER = {"name": "order_status", "confidence": 0.7}
ORDER_ID = {"entity": "order_id", "value": "100234", "start": 4, "end": 10}


def parsed(text):
    """A message as the pipeline leaves it: read as an order question with an order number."""
    message = Message(
        data={TEXT: text, INTENT: ORDER, INTENT_RANKING_KEY: [ORDER], ENTITIES: [ORDER_ID]}
    )
    LanguageReader().process([message])
    UnservedLanguage().process([message])
    return message


@pytest.mark.parametrize(
    "text",
    [
        "注文100234はどこですか？",  # Japanese: the order number in it starts nothing
        "Где мой заказ 100234?",
        "أين طلبي 100234؟",
        "주문 100234 어디에 있나요?",
        "Hello, где мой заказ 100234",  # mostly Russian
        # Latin letters, surely an unserved language or surely pinyin
        "dov'è il mio ordine 100234?",
        "Onde está a minha encomenda 100234?",
        "ik wil mijn bestelling 100234 annuleren",
        "chcę anulować zamówienie 100234",
        "wo de dingdan 100234 zai nali",
        "wǒ xiǎng tuìhuò",
    ],
)
def test_a_message_in_an_unserved_language_is_out_of_scope_without_entities(text):
    message = parsed(text)
    assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY) == [message.get(INTENT)]
    assert message.get(ENTITIES) == []
    # What the classifiers read is kept for analytics.
    assert message.get(READ_AS) == {
        INTENT: ORDER,
        INTENT_RANKING_KEY: [ORDER],
        ENTITIES: [ORDER_ID],
    }
    assert routed(message.as_dict())


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "100234",
        "#100234",
        "anna.schmidt@example.com",
        "si",
        "merci",
        "je voudrais return my order 100234 please",  # two served languages
        "我的订单100234在哪里？",  # Chinese characters are served
        "Wo ist meine Bestellung 100234?",
        "Kerkstraat 10, 1017 GM Amsterdam, Netherlands",  # an address the detector calls Dutch
        "street should be Kerkstraat not Kerkweg, order #100049",  # English around two names
        "gdpr data access request 100234",  # read as Italian, but English words
        "are you an AI? order 100234",  # English in pinyin syllables
        "ni hao 100234",  # two words of pinyin: too short to be sure
        "do you ship the Nike Air Max to Amsterdam",  # product and place names
        "📦📦",
    ],
)
def test_served_short_and_ambiguous_messages_keep_their_reading(text):
    message = parsed(text)
    assert message.get(INTENT) == ORDER and message.get(ENTITIES) == [ORDER_ID]
    assert message.get(READ_AS) is None
    assert not message.get(LANGUAGE)["clearly_unsupported"]


def render(events, action):
    generator = RecordedResponses(domain=Domain.from_path(str(ROOT / "domain.yml")))
    tracker = DialogueStateTracker.from_events("s", events)
    return asyncio.run(generator.generate(action, tracker, "rest"))


def turn(text):
    message = parsed(text)
    data = message.as_dict(only_output_properties=True)
    data[INTENT] = message.get(INTENT)  # Rasa adds these to the parse result itself
    data[ENTITIES] = message.get(ENTITIES)
    return UserUttered(text, intent=message.get(INTENT), parse_data=data)


def test_the_out_of_scope_answer_to_an_unserved_language_lists_the_served_ones_in_english():
    domain = Domain.from_path(str(ROOT / "domain.yml"))
    english = domain.responses["utter_language_not_served"][0]["text"]
    for name in ("English", "Deutsch", "Français", "Español", "中文"):
        assert name in english
    german = turn("Wo ist meine Bestellung 100234?")
    message = render([german, turn("注文はどこですか")], "utter_out_of_scope")
    assert message["text"] == english  # in a German conversation too
    assert message["role"] == "answer"


def test_any_other_out_of_scope_answer_is_the_usual_one_in_the_conversation_language():
    german = turn("Wo ist meine Bestellung 100234?")
    off_topic = turn("Wie wird das Wetter morgen in Berlin?")
    message = render([german, off_topic], "utter_out_of_scope")
    assert message["text"] == table("de")["utter_out_of_scope"]["text"]
    # After the unserved message, the conversation is still German.
    message = render([german, turn("Где мой заказ?"), off_topic], "utter_out_of_scope")
    assert message["text"] == table("de")["utter_out_of_scope"]["text"]
    message = render([german, turn("Где мой заказ?")], "utter_ask_order_id")
    assert message["text"] == table("de")["utter_ask_order_id"]["text"]


def test_a_pinyin_message_gets_the_list_and_a_line_in_chinese_characters():
    domain = Domain.from_path(str(ROOT / "domain.yml"))
    english = domain.responses["utter_language_not_served"][0]["text"]
    message = render([turn("wo de dingdan 100234 zai nali")], "utter_out_of_scope")
    assert message["text"] == english + "\n" + text_of("language.in_characters", "zh")
    assert "汉字" in message["text"]
    # Any other unserved language: the list alone.
    assert render([turn("dov'è il mio ordine 100234?")], "utter_out_of_scope")["text"] == english
    # The conversation keeps its language: German before the pinyin, German after.
    german = turn("Wo ist meine Bestellung 100234?")
    message = render([german, turn("wo xiang tuihuo")], "utter_ask_order_id")
    assert message["text"] == table("de")["utter_ask_order_id"]["text"]


def test_no_training_example_or_story_turn_is_clearly_unsupported():
    """Every served message the project has (bench.unserved_language measures the same
    and the tests' strings too): none is answered with the served languages' list. The one
    story turn written in Japanese on purpose is the exception."""
    called = [text for _, text in training_examples() if detect(text).clearly_unsupported]
    assert called == []
    called = [text for text in story_turns() if detect(text).clearly_unsupported]
    assert called == ["注文100234はどこですか？"]
