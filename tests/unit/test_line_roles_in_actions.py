"""The tone and summary roles switched on (SHOPASSIST_TONE=model, SHOPASSIST_SUMMARY=model) on
an OpenAI-compatible endpoint: the actions send the model's line only when its check passes,
the template's otherwise or when the endpoint fails, and record which one they sent."""

import json
import socket
import time

import pytest

from actions.orders import ActionOrderStatus
from actions.payments import ActionCheckPayment
from actions.returns import ActionOfferReturn
from actions.support import ActionHandoff
from shopassist.dialogue.handoff_summary import template_summary
from shopassist.generation import factory, limits
from shopassist.generation.tone import RemoteToneWriter, check_opening
from shopassist.language.messages import message
from shopassist.store.db import session_scope
from shopassist.store.models import HandoffTicket
from tests.actions_kit import make_tracker, run, verified
from tests.fake_llm import FakeLLM
from tests.unit.test_upset_next_steps import (
    ANGRY_DAMAGED,
    ANGRY_LATE,
    ANGRY_TWICE,
    CALM_TWICE,
    answered_after,
    damaged_return_slots,
    on_time_parcel,
    request,
)

MODEL = "shop-model-8b"
GOOD_OPENING = "I'm so sorry about this, I understand how upsetting it is to see that."
# A number and a promise: the checker refuses both.
BAD_OPENING = "I'm sorry, we will refund the $59.99 right away."


@pytest.fixture()
def llm(monkeypatch):
    """The fake endpoint, with both roles switched on and run there."""
    with FakeLLM(lambda messages: "") as fake:
        for name, value in {
            "SHOPASSIST_TONE": "model",
            "SHOPASSIST_SUMMARY": "model",
            "SHOPASSIST_ROLE_BACKEND": "openai",
            "SHOPASSIST_LLM_URL": fake.url,
            "SHOPASSIST_LLM_MODEL": MODEL,
            "SHOPASSIST_LLM_TIMEOUT": "1",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("SHOPASSIST_GENERATOR", raising=False)  # replies: the template
        yield fake


def written_by(sent: dict):
    return sent["generated_by"], sent["role"], sent["check"], sent.get("rejected")


def angry_double_charge(db_url, language="en"):
    slots = verified("100234", db_url)
    first = request(ANGRY_TWICE, "payment_charged_twice", score=-0.8)
    return answered_after(ActionCheckPayment(), slots, first, language).messages[0]


def test_the_good_opening_is_checked_by_the_same_rule():
    assert check_opening(GOOD_OPENING) == []
    problems = check_opening(BAD_OPENING)
    assert any("fact" in p for p in problems) and any("promise" in p for p in problems)


# --- tone ----------------------------------------------------------------------------------


def test_an_opening_that_passes_the_check_opens_the_reply(llm, use_db):
    llm.reply = lambda messages: GOOD_OPENING
    sent = angry_double_charge(use_db)
    assert sent["text"].startswith(GOOD_OPENING + " ")
    assert "Our records show one payment for order #100234" in sent["text"]  # the facts stay
    assert not sent["text"].startswith(message("opening.charged_twice"))
    assert written_by(sent) == (MODEL, "tone", "passed", None)
    [asked] = llm.requests
    assert asked["body"]["model"] == MODEL
    assert ANGRY_TWICE in asked["body"]["messages"][-1]["content"]  # the customer's message


def test_an_opening_with_a_number_or_a_promise_is_refused_for_the_templates(llm, use_db):
    llm.reply = lambda messages: BAD_OPENING
    sent = angry_double_charge(use_db)
    assert sent["text"].startswith(message("opening.charged_twice") + " ")
    assert "59.99" not in sent["text"] and "right away" not in sent["text"]
    assert written_by(sent) == ("template", "order", "failed", MODEL)
    assert len(llm.requests) == 1


@pytest.mark.parametrize("trouble", ["error", "garbage", "gone", "hang"])
def test_an_endpoint_that_fails_gives_the_templates_opening(llm, use_db, monkeypatch, trouble):
    llm.reply = lambda messages: GOOD_OPENING
    started = time.monotonic()
    if trouble == "gone":
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            monkeypatch.setenv(
                "SHOPASSIST_LLM_URL", f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
            )
    else:
        llm.mode = trouble
    sent = angry_double_charge(use_db)
    assert sent["text"].startswith(message("opening.charged_twice") + " ")
    assert written_by(sent) == ("template", "order", "none", None)  # nothing came to check
    assert time.monotonic() - started < 3  # SHOPASSIST_LLM_TIMEOUT=1, and the database's turn
    if trouble == "hang":
        time.sleep(1)  # the stalled request times out in its worker and frees its slot


def test_a_full_generation_queue_gives_the_templates_opening_without_asking(llm, use_db):
    llm.reply = lambda messages: GOOD_OPENING
    slots = limits._process_limits().slots
    taken = 0
    while slots.acquire(blocking=False):  # every generation slot busy with other customers
        taken += 1
    try:
        sent = angry_double_charge(use_db)
    finally:
        for _ in range(taken):
            slots.release()
    assert taken >= 1 and llm.requests == []
    assert sent["text"].startswith(message("opening.charged_twice") + " ")


def test_a_calm_customer_or_another_language_never_asks_the_model(llm, use_db):
    llm.reply = lambda messages: GOOD_OPENING
    slots = verified("100234", use_db)
    calm = answered_after(ActionCheckPayment(), slots, request(CALM_TWICE, "payment_charged_twice"))
    assert "sorry" not in calm.messages[0]["text"].lower()
    german = angry_double_charge(use_db, "de")
    assert german["text"].startswith(message("opening.charged_twice", "de"))
    assert written_by(german) == ("template", "order", "none", None)
    assert llm.requests == []  # the role's prompt and check read English only


def test_the_templates_opening_by_default(llm, use_db, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_TONE", "template")
    llm.reply = lambda messages: GOOD_OPENING
    sent = angry_double_charge(use_db)
    assert sent["text"].startswith(message("opening.charged_twice") + " ")
    assert written_by(sent) == ("template", "order", "none", None) and llm.requests == []


def test_the_order_status_and_the_return_offer_open_with_the_model_too(llm, use_db):
    llm.reply = lambda messages: GOOD_OPENING
    facts = on_time_parcel(use_db)
    status = answered_after(
        ActionOrderStatus(), verified(facts.order_id, use_db), request(ANGRY_LATE, "order_status")
    ).messages[0]
    assert status["text"].startswith(GOOD_OPENING)
    assert written_by(status) == (MODEL, "tone", "passed", None)
    offer = answered_after(
        ActionOfferReturn(),
        damaged_return_slots(use_db),
        request(ANGRY_DAMAGED, "request_refund"),
    ).messages[0]
    assert offer["text"].startswith(GOOD_OPENING) and written_by(offer)[:3] == (
        MODEL,
        "tone",
        "passed",
    )


def test_a_model_that_cannot_load_costs_only_its_opening(use_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPASSIST_TONE", "model")  # in the action server, on a missing file
    monkeypatch.setenv("SHOPASSIST_LLM_GGUF", str(tmp_path / "absent.gguf"))
    factory.get_generator.cache_clear()
    assert factory.line_writer("tone") is None
    sent = angry_double_charge(use_db)
    assert sent["text"].startswith(message("opening.charged_twice") + " ")


def test_the_writer_runs_where_the_role_backend_says(llm, monkeypatch):
    assert isinstance(factory.line_writer("tone"), RemoteToneWriter)
    monkeypatch.setenv("SHOPASSIST_TONE", "template")
    assert factory.line_writer("tone") is None


# --- summary -------------------------------------------------------------------------------

CHAT = [
    {"event": "session_started"},
    {"event": "user", "text": "hi", "timestamp": 1764000000},
    {
        "event": "user",
        "text": "my kettle from order 100234 arrived broken, anna@example.com",
        "timestamp": 1764000001,
    },
    {"event": "bot", "text": "I'm sorry. I can start a return for it.", "timestamp": 1764000002},
]
GOOD_SUMMARY = "The kettle from order 100234 arrived broken; the customer wants a person."
# An e-mail address the chat does not hold.
BAD_SUMMARY = "Kettle from order 100234 broken; reply to anna.smith@example.org."


def handed_over(db_url):
    tracker = make_tracker(intent="human_handoff", text="get me a human", events=CHAT)
    result = run(ActionHandoff(), tracker)
    reference = result.slots["handoff_ticket"]
    with session_scope(db_url) as session:
        ticket = session.get(HandoffTicket, int(reference.split("-")[1]))
        session.expunge(ticket)
    return ticket, result.messages[-1]


def test_a_summary_that_passes_the_check_is_the_tickets(llm, use_db):
    llm.reply = lambda messages: GOOD_SUMMARY
    ticket, said = handed_over(use_db)
    assert (ticket.summary, ticket.summary_by, ticket.summary_check) == (
        GOOD_SUMMARY,
        MODEL,
        "passed",
    )
    assert said["ticket_summary"] == {"generated_by": MODEL, "role": "summary", "check": "passed"}
    # The message itself is the shop's.
    assert (said["generated_by"], said["role"]) == ("template", "handoff")
    [asked] = llm.requests
    assert "anna@example.com" in asked["body"]["messages"][-1]["content"]  # the conversation


def test_a_summary_with_an_e_mail_the_chat_lacks_is_refused_for_the_templates(llm, use_db):
    llm.reply = lambda messages: BAD_SUMMARY
    ticket, said = handed_over(use_db)
    turns = json.loads(ticket.transcript)
    assert ticket.summary == template_summary(turns) and "anna.smith" not in ticket.summary
    assert (ticket.summary_by, ticket.summary_check) == ("template", "failed")
    assert said["ticket_summary"] == {
        "generated_by": "template",
        "role": "summary",
        "check": "failed",
        "rejected": MODEL,
    }


def test_an_endpoint_that_is_down_gives_the_templates_summary(llm, use_db):
    llm.reply = lambda messages: GOOD_SUMMARY
    llm.mode = "error"
    ticket, said = handed_over(use_db)
    assert ticket.summary == template_summary(json.loads(ticket.transcript))
    assert (ticket.summary_by, ticket.summary_check) == ("template", "none")
    assert said["ticket_summary"]["generated_by"] == "template"


def test_the_templates_summary_by_default(llm, use_db, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_SUMMARY", "template")
    ticket, said = handed_over(use_db)
    assert ticket.summary == template_summary(json.loads(ticket.transcript))
    assert "Order numbers written: 100234" in ticket.summary
    assert (ticket.summary_by, ticket.summary_check) == ("template", "none")
    assert llm.requests == []
