"""Every model role on an OpenAI-compatible endpoint: the role's prompt goes out, its check
judges the line that comes back, and the template is sent whenever the endpoint fails."""

import socket
import time
from dataclasses import dataclass
from typing import Callable

import pytest

from shopassist.dialogue import handoff_summary
from shopassist.generation import factory, prompts
from shopassist.generation.base import GenerationRequest
from shopassist.generation.choose import RemoteChooser
from shopassist.generation.knowledge_answers import chosen_answer, led_answer
from shopassist.generation.provenance import FAILED, PASSED
from shopassist.generation.rephrase import MAX_LEAD_TOKENS, RemoteRephraser
from shopassist.generation.tone import MAX_TONE_TOKENS, RemoteToneWriter, opening, template_opening
from shopassist.knowledge.documents import Passage
from shopassist.knowledge.index import Hit
from tests.fake_llm import FakeLLM
from tests.unit.test_handoff_summary import TRANSCRIPT
from tests.unit.test_rephrase import WINDOW

QUESTION = "can I still return shoes I got 2 weeks ago?"
UPSET = "my mug came smashed, unbelievable"
PASSAGES = (
    ("Payment methods", "We accept Visa, Mastercard, PayPal and gift cards."),
    ("Return window", "You can return most items within 30 days of delivery."),
    ("Return shipping", "Return shipping costs $6.95, taken from your refund."),
)
HITS = [
    Hit(Passage(f"help.md#{i}", "help.md", "Help", title, text), 0.8 - i / 10)
    for i, (title, text) in enumerate(PASSAGES)
]


@dataclass
class Role:
    writer: type
    reply: Callable  # (writer) -> the text the customer or colleague gets
    template: str  # what the reply is when the model's line can't be used
    good: str  # a line the role's check passes
    sent: str  # the reply made with `good`
    refused: str  # a line the role's check refuses
    messages: list  # the role's prompt for this request
    max_tokens: int


def _lead(writer):
    return led_answer(QUESTION, WINDOW, 0.8, (), writer).text


def _choice(writer):
    return chosen_answer("how long do I have to return something?", HITS, None, writer).text


GOOD_LEAD = "Yes, you can return them within 30 days of delivery."
GOOD_OPENING = "I'm sorry your mug arrived smashed, that's so disappointing."
GOOD_SUMMARY = "The customer's kettle from order 100234 arrived broken; they want a new one."
ROLES = {
    "rephrase": Role(
        RemoteRephraser,
        _lead,
        WINDOW,
        GOOD_LEAD,
        f"{GOOD_LEAD} {WINDOW}",
        "Yes, you can return them within 60 days.",
        prompts.lead_messages(GenerationRequest("lead", WINDOW, question=QUESTION)),
        MAX_LEAD_TOKENS,
    ),
    "tone": Role(
        RemoteToneWriter,
        lambda writer: opening(UPSET, writer),
        template_opening(UPSET),
        GOOD_OPENING,
        GOOD_OPENING,
        "I'm sorry, we will send you a new mug.",
        prompts.tone_messages(GenerationRequest("tone", "", question=UPSET)),
        MAX_TONE_TOKENS,
    ),
    "summary": Role(
        handoff_summary.RemoteSummaryWriter,
        lambda writer: handoff_summary.summary(TRANSCRIPT, writer),
        handoff_summary.template_summary(TRANSCRIPT),
        GOOD_SUMMARY,
        GOOD_SUMMARY,
        "The customer wants a refund of $500 for order 100999.",
        prompts.summary_messages(
            GenerationRequest("summary", "", question=handoff_summary.conversation_text(TRANSCRIPT))
        ),
        handoff_summary.MAX_SUMMARY_TOKENS,
    ),
    "choose": Role(
        RemoteChooser,
        _choice,
        PASSAGES[0][1],
        "2",
        PASSAGES[1][1],
        "Passage 2",
        prompts.choose_messages(
            GenerationRequest(
                "choose",
                "",
                question="how long do I have to return something?",
                passages=tuple(f"{title}: {text}" for title, text in PASSAGES),
            )
        ),
        1,
    ),
}


@pytest.fixture()
def llm(monkeypatch):
    with FakeLLM(lambda messages: "") as fake:
        monkeypatch.setenv("SHOPASSIST_LLM_URL", fake.url)
        monkeypatch.setenv("SHOPASSIST_LLM_MODEL", "shop-model")
        monkeypatch.delenv("SHOPASSIST_LLM_API_KEY", raising=False)
        monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "0.5")
        yield fake


@pytest.mark.parametrize("name", ROLES)
def test_the_endpoints_line_is_used_when_the_check_passes(llm, name):
    role = ROLES[name]
    llm.reply = lambda messages: role.good
    assert role.reply(role.writer()) == role.sent
    [request] = llm.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["messages"] == role.messages  # the same prompt the embedded model gets
    assert body["model"] == "shop-model"
    assert body["temperature"] == 0 and body["max_tokens"] == role.max_tokens


@pytest.mark.parametrize("name", ROLES)
def test_a_line_the_check_refuses_sends_the_template(llm, name):
    role = ROLES[name]
    llm.reply = lambda messages: role.refused
    assert role.reply(role.writer()) == role.template
    assert len(llm.requests) == 1  # asked, answered, refused


@pytest.mark.parametrize("mode", ["hang", "error", "garbage"])
@pytest.mark.parametrize("name", ROLES)
def test_a_failing_endpoint_sends_the_template_within_the_timeout(llm, name, mode):
    role = ROLES[name]
    llm.reply = lambda messages: role.good
    llm.mode = mode
    started = time.monotonic()
    assert role.reply(role.writer()) == role.template
    assert time.monotonic() - started < 1.2
    if mode == "hang":
        time.sleep(0.8)  # the stalled request times out in its worker and frees its slot


@pytest.mark.parametrize("name", ROLES)
def test_an_endpoint_that_is_gone_sends_the_template_at_once(monkeypatch, name):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "2")
    role = ROLES[name]
    started = time.monotonic()
    assert role.reply(role.writer(f"http://127.0.0.1:{port}/v1", "m")) == role.template
    assert time.monotonic() - started < 1.0


def test_the_line_is_the_first_that_says_something(llm):
    llm.reply = lambda messages: f"\n  \n{GOOD_LEAD}\nAnd a second line."
    writer = RemoteRephraser()
    reply = led_answer(QUESTION, WINDOW, 0.8, (), writer)
    assert reply.text == f"{GOOD_LEAD} {WINDOW}"
    assert (reply.source, reply.check, reply.model) == ("rephrase:shop-model", PASSED, "shop-model")


def test_a_refused_lead_names_the_endpoints_model(llm):
    llm.reply = lambda messages: ROLES["rephrase"].refused
    reply = led_answer(QUESTION, WINDOW, 0.8, (), RemoteRephraser())
    assert (reply.source, reply.check, reply.model) == ("passage", FAILED, "shop-model")


def test_a_role_only_takes_its_own_requests(llm):
    request = GenerationRequest("order_status", "Your order has shipped.")
    assert all(role.writer().generate(request) is None for role in ROLES.values())
    assert llm.requests == []


def test_the_roles_run_on_the_endpoint_by_configuration(monkeypatch):
    monkeypatch.delenv("SHOPASSIST_ROLE_BACKEND", raising=False)
    assert factory.backend_path("rephrase").endswith(":EmbeddedRephraser")
    monkeypatch.setenv("SHOPASSIST_ROLE_BACKEND", "openai")
    assert factory.backend_path("rephrase").endswith(":RemoteRephraser")
    assert factory.backend_path("choose").endswith(":RemoteChooser")
    assert factory.backend_path("template").endswith(":TemplateGenerator")
    monkeypatch.setenv("SHOPASSIST_ROLE_BACKEND", "gpu")
    with pytest.raises(ValueError, match="SHOPASSIST_ROLE_BACKEND"):
        factory.backend_path("rephrase")


def test_the_configured_role_on_the_endpoint_is_the_generator(llm, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_GENERATOR", "rephrase")
    monkeypatch.setenv("SHOPASSIST_ROLE_BACKEND", "openai")
    factory.get_generator.cache_clear()
    try:
        generator = factory.get_generator()
        assert isinstance(generator, RemoteRephraser) and generator.model == "shop-model"
        assert generator.endpoint.url == llm.url
    finally:
        factory.get_generator.cache_clear()  # the next test gets the backend its settings choose


def test_the_role_benchmarks_measure_a_model_on_an_endpoint_by_its_url(llm):
    from bench import roles
    from shopassist.generation.rephrase import EmbeddedRephraser

    assert roles.models([f"big-model={llm.url}"]) == [("big-model", llm.url)]
    writer = roles.writer(EmbeddedRephraser, RemoteRephraser, "big-model", llm.url, 1)
    assert isinstance(writer, RemoteRephraser) and writer.model == "big-model"
    assert roles.runs_on(llm.url, 1) == "endpoint" and roles.runs_on("m.gguf", 2) == "2 thread(s)"
