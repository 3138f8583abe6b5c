"""The choose role: one digit from the model picks the passage the template answers from."""

import time

import pytest

from shopassist.generation import limits
from shopassist.generation.base import GenerationRequest
from shopassist.generation.choose import EmbeddedChooser, grammar_text, parse_choice
from shopassist.generation.knowledge_answers import DONT_KNOW, answer_question, extract
from tests import scripted
from tests.scripted import FakeLlama, page_index

PAGE = """# Help
## Return window
You can return most items within 30 days of delivery. The window starts on the day the
parcel is delivered. Hygiene items cannot be returned once opened.

## Return shipping
Return shipping costs $6.95, taken from your refund. Returns are free when the item
arrived damaged or faulty, or when we sent the wrong item.

## Payment methods
We accept Visa, Mastercard, American Express, PayPal, Apple Pay and gift cards.
"""
QUESTION = "how long do I have to return something?"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return page_index(PAGE, tmp_path_factory.mktemp("kb"))


class Scripted(scripted.Scripted):
    """A backend in the choose role."""

    name = "choose:scripted"
    role = "choose"


@pytest.mark.parametrize(
    "text, count, expected",
    [("2", 3, 2), (" 0\n", 3, 0), ("3", 3, 3), ("4", 3, None), ("12", 3, None), ("", 3, None)],
)
def test_only_a_number_of_a_passage_or_zero_is_a_choice(text, count, expected):
    assert parse_choice(text, count) == expected
    assert parse_choice(None, 3) is None


def test_the_grammar_allows_one_digit_up_to_the_number_of_passages():
    assert grammar_text(3) == "root ::= [0-3]"
    assert grammar_text(2) == "root ::= [0-2]"


def choose(question="where is my refund?", passages=("A: a", "B: b", "C: c")):
    return GenerationRequest("choose", "", question=question, passages=passages)


def test_the_chooser_asks_with_the_question_and_numbered_passages():
    llm = FakeLlama("2")
    chooser = EmbeddedChooser(llm=llm)
    assert chooser.generate(choose()) == "2"
    assert llm.grammars[-1] is not None  # only a digit can come out
    prompt = llm.prompts[-1]
    assert "Question: where is my refund?" in prompt
    assert "1. A: a\n2. B: b\n3. C: c" in prompt
    assert chooser.generate(GenerationRequest("order_status", "template")) is None


def test_every_question_is_computed_on_the_same_cached_prefix():
    llm = FakeLlama("1")
    chooser = EmbeddedChooser(llm=llm)
    prefix = len(chooser.prefix())
    first, second = choose("where is my refund?"), choose("where is my refund now?")
    chooser.generate(first)
    chooser.generate(second)  # shares more than the prefix with the first question
    cold = FakeLlama("1")
    EmbeddedChooser(llm=cold).generate(second)
    # The prefix is evaluated once, on its own; then each prompt from the prefix on, so the
    # second question is computed exactly as it is in a fresh process.
    assert llm.evaluated[0] == prefix and llm.evaluated.count(prefix) == 1
    assert llm.evaluated[2] == cold.evaluated[1] == len(cold.prompts[0]) - prefix


def test_forget_drops_the_cache_like_a_new_process():
    llm = FakeLlama("1")
    chooser = EmbeddedChooser(llm=llm)
    chooser.generate(choose())
    chooser.forget()
    assert llm.n_tokens == 0
    chooser.generate(choose())
    assert llm.evaluated.count(len(chooser.prefix())) == 2


def test_the_chosen_passage_is_answered_with_the_templates_extraction(index):
    generator = Scripted("2")
    reply = answer_question("who pays for return shipping?", index, generator)
    request = generator.requests[0]
    assert request.task == "choose" and len(request.passages) == 3
    chosen = index.search("who pays for return shipping?")[1]
    assert reply.source == "passage" and reply.chosen_by == "choose:scripted"
    assert reply.hits == (chosen,)
    assert reply.text == extract("who pays for return shipping?", chosen, index)


def test_none_gives_the_not_sure_reply_with_the_way_to_a_person(index):
    from actions.knowledge import HUMAN_BUTTONS
    from actions.knowledge import choose as pick_reply

    reply = answer_question(QUESTION, index, Scripted("0"))
    assert reply.text == DONT_KNOW and reply.source == "unknown"
    assert reply.chosen_by == "choose:scripted"
    assert pick_reply(reply, None) == (DONT_KNOW, "unknown", HUMAN_BUTTONS)


@pytest.mark.parametrize(
    "generator",
    [Scripted("7"), Scripted("two"), Scripted(None), Scripted(error=RuntimeError("boom"))],
)
def test_no_usable_choice_sends_what_the_template_sends(index, generator):
    reply = answer_question(QUESTION, index, generator)
    best = index.search(QUESTION)[0]
    assert reply.source == "passage" and reply.problems == ("no choice",)
    assert reply.text == extract(QUESTION, best, index) and not reply.chosen_by


def test_a_late_choice_sends_what_the_template_sends(index, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "0.05")
    started = time.monotonic()
    reply = answer_question(QUESTION, index, Scripted("2", delay=2.0))
    assert time.monotonic() - started < 1.5
    assert reply.problems == ("no choice",)
    assert limits.timeout_s() == 0.05
