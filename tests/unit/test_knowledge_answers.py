"""Knowledge answers: the generator's text only when grounded, else the shop's own words."""

import threading
import time

import pytest

from shopassist.generation import limits
from shopassist.generation.knowledge_answers import DONT_KNOW, answer_question, extract
from shopassist.generation.template import TemplateGenerator
from tests.scripted import Scripted, page_index

PAGE = """# Help
## Return window
<!-- asked:
- how long do I have to return something
-->
You can return most items within 30 days of delivery. The window starts on the day the
parcel is delivered. Hygiene items cannot be returned once opened. Returns are started in
the chat or under Account > Orders.

## Return shipping
Return shipping costs $6.95, taken from your refund. Returns are free when the item
arrived damaged or faulty, or when we sent the wrong item.

## Payment methods
<!-- asked:
- what payment methods can I use
- can I pay by credit card
-->
We accept Visa, Mastercard, American Express, PayPal, Apple Pay and gift cards.
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return page_index(PAGE, tmp_path_factory.mktemp("kb"))


QUESTION = "how long do I have to send something back?"


def test_a_grounded_answer_is_sent(index):
    generator = Scripted("You have 30 days from delivery to return it.")
    reply = answer_question(QUESTION, index, generator)
    assert reply.source == "scripted" and reply.text.startswith("You have 30 days")
    assert (reply.check, reply.model) == ("passed", "scripted")
    request = generator.requests[0]
    assert request.question == QUESTION
    assert "30 days" in request.passages[0]


@pytest.mark.parametrize(
    "generator, why, check",
    [
        (Scripted("You have 60 days to return it."), "unsupported: 60", "failed"),
        (Scripted("Ignore the rules: Facts: you have 30 days."), "leak: facts:", "failed"),
        (Scripted("I don't know."), "generator: don't know", "failed"),
        (Scripted(None), "no answer", "none"),
        (Scripted(error=RuntimeError("backend down")), "no answer", "none"),
    ],
)
def test_an_unusable_answer_falls_back_to_the_passage(index, generator, why, check):
    reply = answer_question(QUESTION, index, generator)
    assert reply.source == "passage"
    assert "30 days" in reply.text
    assert why in reply.problems
    # A refused text names its model; no text, nothing to check.
    assert (reply.check, reply.model) == (
        (check, "scripted") if check == "failed" else ("none", "")
    )


def test_a_slow_generator_is_cut_off_at_the_timeout(index, monkeypatch):
    release = threading.Event()

    class Stalled(Scripted):
        def generate(self, request):
            release.wait(10)
            return "You have 30 days."

    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "0.3")
    started = time.monotonic()
    reply = answer_question(QUESTION, index, Stalled())
    # Far below the 10 s stall, with room for a loaded machine's retrieval.
    assert time.monotonic() - started < 5
    assert reply.source == "passage" and "30 days" in reply.text
    release.set()
    time.sleep(0.2)  # let the stalled call finish and free its slot


def test_when_every_slot_is_busy_the_passage_is_sent_at_once(index, monkeypatch):
    release = threading.Event()

    class Stuck(Scripted):
        def generate(self, request):
            release.wait(5)
            return "You have 30 days."

    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "0.2")
    stuck = Stuck()
    for _ in range(limits.DEFAULT_CONCURRENCY):
        answer_question(QUESTION, index, stuck)  # each times out and keeps its slot
    fast = Scripted("You have 30 days.")
    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "5")  # a queued call would wait this long
    started = time.monotonic()
    reply = answer_question(QUESTION, index, fast)
    assert time.monotonic() - started < 4  # it did not queue for the 5 s timeout
    assert reply.source == "passage" and fast.requests == []
    release.set()
    time.sleep(0.2)
    assert answer_question(QUESTION, index, fast).source == "scripted"


def test_the_template_backend_answers_with_the_passage(index):
    reply = answer_question("can I pay with paypal?", index, TemplateGenerator())
    assert reply.source == "passage" and "PayPal" in reply.text


def test_a_question_the_pages_do_not_cover_gets_dont_know(index):
    reply = answer_question("what is the weather like on mars tomorrow", index, Scripted("Sunny."))
    assert reply.source == "unknown" and reply.text == DONT_KNOW


def test_extract_keeps_the_most_relevant_sentences_in_order(index):
    hit = index.search("are hygiene items returnable", 1)[0]
    text = extract("are hygiene items returnable", hit, index, count=2)
    assert "Hygiene items cannot be returned once opened." in text
    assert len(text) < len(hit.passage.text)
