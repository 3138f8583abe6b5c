"""The tone role: an upset customer's opening sentence, with no fact and no promise."""

import pytest

from shopassist.generation.base import GenerationRequest
from shopassist.generation.tone import (
    OPENINGS,
    EmbeddedToneWriter,
    check_opening,
    situation_of,
    template_opening,
)
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
