"""Handoff, complaint, fallback and rating actions against a real database."""

import json
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from actions.support import (
    ActionAskAffirmation,
    ActionComplaint,
    ActionDefaultFallback,
    ActionHandoff,
    ActionRecordRating,
)
from shopassist.auth import customer_token
from shopassist.console import accounts
from shopassist.store import presence
from shopassist.store.db import session_scope
from shopassist.store.models import ConversationRating, HandoffTicket
from tests.actions_kit import make_tracker, run, verified

CHAT = [
    {"event": "session_started"},
    {"event": "user", "text": "where is my parcel", "timestamp": 1764000000},
    {"event": "bot", "text": "What is your order number?", "timestamp": 1764000001},
]


def ticket_of(db_url, reference):
    with session_scope(db_url) as session:
        ticket = session.get(HandoffTicket, int(reference.split("-")[1]))
        session.expunge(ticket)
        return ticket


def test_asking_for_a_person_opens_a_ticket_with_the_transcript(use_db):
    tracker = make_tracker(intent="human_handoff", text="let me talk to a human", events=CHAT)
    result = run(ActionHandoff(), tracker)
    reference = result.slots["handoff_ticket"]
    ticket = ticket_of(use_db, reference)
    assert ticket.reason == "asked" and ticket.customer_email is None
    assert [turn["text"] for turn in json.loads(ticket.transcript)] == [
        "where is my parcel",
        "What is your order number?",
        "let me talk to a human",
    ]
    # Anonymous: the customer is told how to reach the team with the ticket number.
    assert result.messages[0]["response"] == "utter_handoff_opened_anonymous"
    assert result.messages[0]["ticket"] == reference


def test_the_ticket_records_the_conversation_s_language(use_db):
    german = make_tracker(intent="human_handoff", text="Ich möchte einen Menschen", language="de")
    assert ticket_of(use_db, run(ActionHandoff(), german).slots["handoff_ticket"]).language == "de"
    # Nothing said in another language: the conversation is in English, and so the ticket.
    english = make_tracker(intent="human_handoff", text="a person please")
    assert ticket_of(use_db, run(ActionHandoff(), english).slots["handoff_ticket"]).language == "en"
    # A language picked in the web chat's menu counts as the conversation's.
    picked = {
        "event": "user",
        "text": "hi",
        "metadata": {"language": "zh", "language_chosen": True},
    }
    chosen = make_tracker(intent="human_handoff", events=[picked])
    assert ticket_of(use_db, run(ActionHandoff(), chosen).slots["handoff_ticket"]).language == "zh"


def test_a_proven_customer_is_answered_by_e_mail(use_db):
    slots = verified("100234", use_db)
    result = run(ActionHandoff(), make_tracker(slots, intent="human_handoff"))
    ticket = ticket_of(use_db, result.slots["handoff_ticket"])
    assert (ticket.customer_email, ticket.order_number) == (slots["verified_email"], "100234")
    assert result.messages[0]["response"] == "utter_handoff_opened_known"
    assert result.messages[0]["email"] == slots["verified_email"]


def test_a_signed_in_customer_s_ticket_carries_their_e_mail(use_db, monkeypatch):
    monkeypatch.setenv(customer_token.SECRET_ENV, "k" * 40)
    token = customer_token.issue("anna.becker@example.com")
    tracker = make_tracker(intent="human_handoff", metadata={"customer_token": token})
    ticket = ticket_of(use_db, run(ActionHandoff(), tracker).slots["handoff_ticket"])
    assert ticket.customer_email == "anna.becker@example.com"
    forged = make_tracker(intent="human_handoff", metadata={"customer_token": token + "x"})
    assert (
        ticket_of(use_db, run(ActionHandoff(), forged).slots["handoff_ticket"]).customer_email
        is None
    )


@pytest.fixture()
def agent_at_the_queue(use_db):
    """An agent with the console's handoff queue open (its heartbeat just arrived)."""
    name = "agent-" + uuid.uuid4().hex[:8]
    with session_scope(use_db) as session:
        accounts.set_password(session, name, "correct horse battery")
        presence.mark_available(session, name)
    yield name
    with session_scope(use_db) as session:
        presence.mark_away(session, name)


def test_with_an_agent_at_the_queue_the_web_chat_is_told_a_colleague_can_join(
    use_db, agent_at_the_queue
):
    anonymous = run(ActionHandoff(), make_tracker(intent="human_handoff", channel="socketio"))
    assert anonymous.messages[-1]["response"] == "utter_handoff_live_anonymous"
    slots = verified("100234", use_db)
    known = run(ActionHandoff(), make_tracker(slots, intent="human_handoff", channel="socketio"))
    assert known.messages[-1]["response"] == "utter_handoff_live_known"
    assert known.messages[-1]["email"] == slots["verified_email"]
    # A REST caller can't be joined live: the agent's replies would never reach it.
    rest = run(ActionHandoff(), make_tracker(intent="human_handoff", channel="rest"))
    assert rest.messages[-1]["response"] == "utter_handoff_opened_anonymous"


def test_without_an_agent_at_the_queue_nobody_is_promised_in_the_chat(use_db):
    with session_scope(use_db) as session:
        assert presence.agents_available(session) == 0
    result = run(ActionHandoff(), make_tracker(intent="human_handoff", channel="socketio"))
    assert result.messages[-1]["response"] == "utter_handoff_opened_anonymous"


def test_when_presence_can_t_be_read_the_handoff_promises_no_one(
    use_db, agent_at_the_queue, monkeypatch
):
    def unreadable(*args, **kwargs):
        raise OperationalError("select", {}, Exception("connection refused"))

    monkeypatch.setattr(presence, "agents_available", unreadable)
    result = run(ActionHandoff(), make_tracker(intent="human_handoff", channel="socketio"))
    assert result.slots["handoff_ticket"]  # the ticket is open all the same
    assert result.messages[-1]["response"] == "utter_handoff_opened_anonymous"


def test_asking_twice_keeps_one_ticket(use_db):
    sender = "conv-handoff-twice"
    first = run(ActionHandoff(), make_tracker(intent="human_handoff", sender=sender))
    second = run(ActionHandoff(), make_tracker(intent="human_handoff", sender=sender))
    assert first.slots["handoff_ticket"] == second.slots["handoff_ticket"]


def test_handoff_without_a_database_still_gives_the_team_s_contacts(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = run(ActionHandoff(), make_tracker(intent="human_handoff"))
    assert result.slots == {}
    assert [m["response"] for m in result.messages] == ["utter_human_handoff"]


def negative(text):
    return {"event": "user", "text": text, "parse_data": {"sentiment": {"label": "negative"}}}


def test_a_calm_complaint_is_answered_and_offers_a_person(use_db):
    result = run(ActionComplaint(), make_tracker(intent="complaint", events=CHAT))
    assert [m["response"] for m in result.messages] == ["utter_complaint"]
    assert result.slots == {}


def test_an_upset_complaint_goes_to_a_person(use_db):
    tracker = make_tracker(
        intent="complaint", text="this is a disgrace", events=[negative("useless")]
    )
    tracker.latest_message["sentiment"] = {"label": "negative", "score": -0.8}
    tracker.events[-1]["parse_data"]["sentiment"] = {"label": "negative", "score": -0.8}
    result = run(ActionComplaint(), tracker)
    assert [m["response"] for m in result.messages] == [
        "utter_handoff_because_upset",
        "utter_handoff_opened_anonymous",
    ]
    assert ticket_of(use_db, result.slots["handoff_ticket"]).reason == "upset"


def test_did_you_mean_offers_the_likeliest_requests_and_something_else():
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "start_return", "confidence": 0.25},
        {"name": "request_refund", "confidence": 0.2},
    ]
    result = run(ActionAskAffirmation(), make_tracker(intent="nlu_fallback", ranking=ranking))
    message = result.messages[0]
    assert message["response"] == "utter_did_you_mean"
    assert [b["payload"] for b in message["buttons"]] == [
        "/start_return",
        "/request_refund",
        "/out_of_scope",  # read by Rasa's two-stage fallback as "no"
    ]


def test_did_you_mean_without_a_candidate_asks_to_rephrase():
    ranking = [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "faq", "confidence": 0.2}]
    result = run(ActionAskAffirmation(), make_tracker(intent="nlu_fallback", ranking=ranking))
    assert [m["response"] for m in result.messages] == ["utter_ask_rephrase"]


def test_the_first_give_up_explains_the_second_hands_over(use_db):
    first = run(ActionDefaultFallback(), make_tracker(intent="nlu_fallback", events=CHAT))
    assert first.events[0]["event"] == "rewind"  # the message leaves the dialogue history
    assert first.slots == {"misunderstandings": 1.0}
    assert [m["response"] for m in first.messages] == ["utter_default"]

    second = run(
        ActionDefaultFallback(),
        make_tracker({"misunderstandings": 1.0}, intent="nlu_fallback", events=CHAT),
    )
    assert second.slots["misunderstandings"] == 2.0
    assert second.messages[0]["response"] == "utter_handoff_because_misunderstood"
    assert ticket_of(use_db, second.slots["handoff_ticket"]).reason == "misunderstood"

    # Already handed over: no second ticket, just the explanation.
    third = run(
        ActionDefaultFallback(),
        make_tracker(
            {"misunderstandings": 2.0, "handoff_ticket": "H-000001"}, intent="nlu_fallback"
        ),
    )
    assert [m["response"] for m in third.messages] == ["utter_still_not_understood"]


def test_still_is_said_only_when_the_customer_was_misunderstood_before(use_db):
    # The first miss without the two-stage fallback (no policy sure of the next step).
    first = run(ActionDefaultFallback(), make_tracker(intent="deny", text="no", events=CHAT))
    assert [m["response"] for m in first.messages] == ["utter_default"]
    # The two-stage fallback giving up: "did you mean ...?" and "please rephrase" came first.
    gave_up = run(
        ActionDefaultFallback(),
        make_tracker(intent="nlu_fallback", events=CHAT, active_loop="action_two_stage_fallback"),
    )
    assert [m["response"] for m in gave_up.messages] == ["utter_still_not_understood"]


def rating(value):
    return [{"entity": "rating", "value": value}]


def test_a_rating_is_stored(use_db):
    sender = "conv-rating-ok"
    result = run(
        ActionRecordRating(), make_tracker(intent="rate", entities=rating("4"), sender=sender)
    )
    assert [m["response"] for m in result.messages] == ["utter_thanks_for_rating"]
    with session_scope(use_db) as session:
        scores = session.execute(
            select(ConversationRating.score).where(ConversationRating.conversation == sender)
        ).scalars()
        assert list(scores) == [4]


def test_a_rating_without_a_valid_score_is_thanked_but_not_stored(use_db):
    sender = "conv-rating-bad"
    for entities in ([], rating("9"), rating("five")):
        result = run(
            ActionRecordRating(), make_tracker(intent="rate", entities=entities, sender=sender)
        )
        assert [m["response"] for m in result.messages] == ["utter_thanks_for_feedback"]
    with session_scope(use_db) as session:
        stored = session.execute(
            select(ConversationRating.id).where(ConversationRating.conversation == sender)
        ).first()
    assert stored is None
