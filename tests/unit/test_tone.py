"""The tone role: an upset customer's opening sentence, with no fact and no promise."""

import pytest

from shopassist.generation.base import GenerationRequest
from shopassist.generation.situation_words import WORDS
from shopassist.generation.tone import (
    OPENINGS,
    EmbeddedToneWriter,
    check_opening,
    situation_of,
    template_opening,
)
from shopassist.language.messages import message
from tests.scripted import FakeLlama
from tests.unit.test_rephrase import end_of_turn_is_zero  # noqa: F401 (an autouse fixture)


@pytest.mark.parametrize(
    "message, situation",
    [
        ("WHERE IS MY ORDER its been 2 weeks", "late"),
        ("still not here and you said tuesday", "late"),
        ("the blender arrived with a cracked jug, unbelievable", "damaged"),
        ("headphones stopped working after a day", "damaged"),
        ("you charged me twice for order 100234!!", "charged_twice"),
        ("there are two charges on my card for one order", "charged_twice"),
        ("you sent the wrong size AGAIN", "wrong_item"),
        ("tracking says delivered but nothing is here", "lost"),
        ("your website is a joke", "other"),
    ],
)
def test_the_template_acknowledges_the_situation_the_words_name(message, situation):
    assert situation_of(message) == situation
    assert template_opening(message) == OPENINGS[situation]


@pytest.mark.parametrize(
    "language, text, situation",
    [
        ("de", "Mir wurde doppelt abgebucht, das ist doch nicht normal!", "charged_twice"),
        ("de", "Sie haben mir den Betrag zweimal berechnet", "charged_twice"),
        ("de", "Der Mixer kam kaputt an, echt ärgerlich", "damaged"),
        ("de", "Die Lampe ist beschädigt angekommen", "damaged"),
        ("de", "Das Display funktioniert nicht mehr", "damaged"),
        ("de", "Sie haben mir die falsche Größe geschickt", "wrong_item"),
        ("de", "Das ist nicht das, was ich bestellt habe", "wrong_item"),
        ("de", "Mein Paket ist nie angekommen", "lost"),
        ("de", "Laut Sendungsverfolgung als zugestellt markiert, aber hier ist nichts", "lost"),
        ("de", "Meine Bestellung ist immer noch nicht da!!", "late"),
        ("de", "Das Paket kommt viel zu spät", "late"),
        ("de", "Wo bleibt meine Bestellung?", "late"),
        ("fr", "On m'a débité deux fois pour la même commande", "charged_twice"),
        ("fr", "vous m'avez preleve 2 fois", "charged_twice"),
        ("fr", "Le mixeur est arrivé cassé", "damaged"),
        ("fr", "colis abîmé, c'est inadmissible", "damaged"),
        ("fr", "le casque ne fonctionne plus", "damaged"),
        ("fr", "J'ai reçu la mauvaise taille", "wrong_item"),
        ("fr", "ce n'est pas ce que j'ai commandé", "wrong_item"),
        ("fr", "mon colis a été perdu", "lost"),
        ("fr", "je n'ai jamais reçu ma commande", "lost"),
        ("fr", "Ma commande est en retard, encore une fois", "late"),
        ("fr", "toujours pas reçu mon colis", "late"),
        ("es", "Me habéis cobrado dos veces el mismo pedido", "charged_twice"),
        ("es", "tengo un cobro duplicado en la tarjeta", "charged_twice"),
        ("es", "La batidora llegó rota", "damaged"),
        ("es", "el paquete vino dañado", "damaged"),
        ("es", "el cargador no funciona", "damaged"),
        ("es", "me enviaron la talla equivocada", "wrong_item"),
        ("es", "no es lo que pedí", "wrong_item"),
        ("es", "mi pedido nunca llegó", "lost"),
        ("es", "el paquete está perdido", "lost"),
        ("es", "El pedido llegó tarde otra vez", "late"),
        ("es", "todavía no ha llegado mi pedido", "late"),
        ("es", "sigo esperando mi paquete", "late"),
        ("zh", "我被扣了两次钱！", "charged_twice"),
        ("zh", "同一个订单重复扣款了", "charged_twice"),
        ("zh", "收到的台灯坏了", "damaged"),
        ("zh", "包裹损坏严重", "damaged"),
        ("zh", "你们发错货了", "wrong_item"),
        ("zh", "尺码不对，不是我买的那个", "wrong_item"),
        ("zh", "快递丢了", "lost"),
        ("zh", "显示已签收但我根本没收到", "lost"),
        ("zh", "我的订单怎么还没到？", "late"),
        ("zh", "快递迟到一个星期了", "late"),
    ],
)
def test_the_situation_in_each_served_language(language, text, situation):
    assert situation_of(text) == situation
    assert template_opening(text, language) == message(f"opening.{situation}", language)


@pytest.mark.parametrize(
    "text",
    [
        "Buenas tardes, ¿cuánto cuesta el envío?",  # "tarde" alone is also "afternoon"
        "Wie lange dauert der Versand nach Österreich?",
        "Je voudrais changer la taille de ma commande",
        "¿Puedo pagar con PayPal?",
        "请问可以用支付宝付款吗",
        "订单还没发货的话能改地址吗",  # not yet shipped: a change, not a delay
    ],
)
def test_plain_questions_in_other_languages_name_no_situation(text):
    assert situation_of(text) == "other"


def test_every_served_language_has_words_for_every_situation():
    situations = {"late", "damaged", "charged_twice", "wrong_item", "lost"}
    assert set(WORDS) == {"de", "fr", "es", "zh"}
    assert all(set(words) == situations for words in WORDS.values())


def test_every_template_opening_passes_its_own_check():
    for opening in OPENINGS.values():
        assert check_opening(opening) == [], opening


@pytest.mark.parametrize(
    "opening",
    [
        "I'm sorry your order 100234 is late.",  # an id
        "I'm sorry your order has been delayed for two weeks.",  # a duration
        "I'm sorry, your parcel will arrive tomorrow.",  # a date and a promise
        "I'm sorry, we'll refund you right away.",  # a promise
        "I'm sorry you were charged $59.99 twice.",  # an amount
        "I'm sorry, a replacement is on its way.",  # a next step
        "I'm sorry it arrived broken. Let me help.",  # two sentences
        "Is it broken?",  # a question
        "Es tut mir leid, dass Ihre Bestellung zu spät ist.",  # not English
        "Sorry.",  # too short to be an acknowledgement
        "",
        None,
    ],
)
def test_an_opening_with_a_fact_or_a_promise_is_refused(opening):
    assert check_opening(opening)


def test_a_warm_sentence_without_facts_passes():
    assert (
        check_opening("I'm sorry your new lamp arrived in pieces, that's so disappointing.") == []
    )


def test_the_writer_asks_with_the_customers_message_after_the_worked_examples():
    llm = FakeLlama("I'm sorry, that's so annoying.\nMore")
    writer = EmbeddedToneWriter(llm=llm)
    request = GenerationRequest("tone", "", question="my mug came smashed")
    assert writer.generate(request) == "I'm sorry, that's so annoying."
    prompt = llm.prompts[-1]
    assert prompt.index("glass shade") < prompt.index("my mug came smashed")
    assert writer.generate(GenerationRequest("lead", "words", question="q")) is None
