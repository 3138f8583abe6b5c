"""Handoff tickets and ratings in the store, and the pure rules around them: transcripts,
when to escalate, what to suggest when the customer wasn't understood."""

import json

import pytest
from sqlalchemy import func, select

from shopassist.dialogue.escalation import complaint_is_upset, sentiment_labels
from shopassist.dialogue.intents import suggestions
from shopassist.dialogue.transcript import MAX_TEXT, current_session, transcript
from shopassist.store.db import session_scope
from shopassist.store.models import AuditLog, ConversationRating, HandoffTicket
from shopassist.store.support import open_ticket, queue, record_rating, reference

TURNS = [{"at": "2026-11-24T10:00:00Z", "who": "customer", "text": "I want a person"}]


def test_a_ticket_is_opened_once_per_conversation_and_updated_after(db_url):
    with session_scope(db_url) as session:
        first = open_ticket(session, "conv-ticket-1", "misunderstood", TURNS)
    with session_scope(db_url) as session:
        again = open_ticket(
            session, "conv-ticket-1", "asked", TURNS * 2, customer_email="a@example.com"
        )
    assert first.new and not again.new
    assert again.id == first.id and again.reference == reference(first.id)
    assert first.reference.startswith("H-") and len(first.reference) == 8
    with session_scope(db_url) as session:
        ticket = session.get(HandoffTicket, first.id)
        assert (ticket.reason, ticket.status, ticket.customer_email) == (
            "asked",
            "open",
            "a@example.com",
        )
        assert len(json.loads(ticket.transcript)) == 2
        audits = session.execute(
            select(AuditLog.action).where(
                AuditLog.entity == "handoff_ticket", AuditLog.entity_id == str(first.id)
            )
        ).scalars()
        assert sorted(audits) == ["handoff.open", "handoff.update"]


def test_a_ticket_keeps_the_customer_s_language_and_the_queue_filters_by_it(db_url):
    with session_scope(db_url) as session:
        german = open_ticket(session, "conv-lang-de", "asked", TURNS, language="de-AT")
        unread = open_ticket(session, "conv-lang-none", "asked", TURNS, language="ja")
        french = open_ticket(session, "conv-lang-fr", "asked", TURNS, language="en")
    with session_scope(db_url) as session:
        # The customer switched to French before asking again; a refresh without a
        # language keeps the one recorded.
        open_ticket(session, "conv-lang-fr", "upset", TURNS, language="fr")
        open_ticket(session, "conv-lang-de", "asked", TURNS)
    with session_scope(db_url) as session:
        assert session.get(HandoffTicket, german.id).language == "de"
        assert session.get(HandoffTicket, unread.id).language is None  # not served: unknown
        assert session.get(HandoffTicket, french.id).language == "fr"
        ids = lambda language: {t.id for t in queue(session, language)}  # noqa: E731
        assert german.id in ids("de") and not ids("de") & {unread.id, french.id}
        assert french.id in ids("fr") and german.id not in ids("fr")
        assert unread.id in ids("unknown") and not ids("unknown") & {german.id, french.id}
        assert {german.id, unread.id, french.id} <= ids(None)


def test_a_closed_ticket_is_not_reopened(db_url):
    with session_scope(db_url) as session:
        first = open_ticket(session, "conv-ticket-2", "asked", TURNS)
        session.get(HandoffTicket, first.id).status = "closed"
    with session_scope(db_url) as session:
        second = open_ticket(session, "conv-ticket-2", "asked", TURNS)
    assert second.new and second.id != first.id


def test_unknown_reasons_and_ratings_are_refused(db_url):
    with session_scope(db_url) as session:
        with pytest.raises(ValueError):
            open_ticket(session, "conv-x", "bored", TURNS)
        with pytest.raises(ValueError):
            record_rating(session, "conv-x", 6)


def test_ratings_are_stored(db_url):
    with session_scope(db_url) as session:
        record_rating(session, "conv-rated", 4)
    with session_scope(db_url) as session:
        count = session.execute(
            select(func.count()).where(
                ConversationRating.conversation == "conv-rated", ConversationRating.score == 4
            )
        ).scalar_one()
    assert count == 1


def test_transcript_keeps_what_was_said_in_order():
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hi", "timestamp": 1764000000},
        {"event": "bot", "text": "Hello!", "timestamp": 1764000001.5},
        {"event": "bot", "text": None, "data": {"buttons": []}},
        {"event": "slot", "name": "email", "value": "x@example.com"},
        {"event": "user", "text": "x" * (MAX_TEXT + 50), "timestamp": "garbage"},
    ]
    turns = transcript(events)
    assert [t["who"] for t in turns] == ["customer", "assistant", "customer"]
    assert turns[0] == {"at": "2025-11-24T16:00:00Z", "who": "customer", "text": "hi"}
    assert turns[2]["at"] == "" and len(turns[2]["text"]) == MAX_TEXT


def test_a_ticket_transcript_shows_button_titles_and_each_message_once():
    """Over the events as Rasa hands them to an action (every one, with a two-stage
    fallback's rewound and re-stored pick)."""
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    from tests.console_kit import buttons_pressed, domain, suggestion_picked

    def customer(events):
        tracker = DialogueStateTracker.from_events("c", events, slots=domain().slots)
        said = transcript(tracker.current_state(EventVerbosity.ALL)["events"])
        return [turn["text"] for turn in said if turn["who"] == "customer"]

    assert customer(suggestion_picked()) == ["money back thing", "Get my money back"]
    assert customer(buttons_pressed()) == [
        "where is my order", "Order #100235 · placed 9 Nov", "Coffee mug", "2", "yes please",
    ]  # fmt: skip


def test_current_session_starts_at_the_latest_session_start():
    events = [
        {"event": "user", "text": "old"},
        {"event": "session_started"},
        {"event": "user", "text": "new"},
    ]
    assert current_session(events) == [{"event": "user", "text": "new"}]
    assert current_session(events[:1]) == events[:1]


def labelled(*labels):
    return [{"event": "user", "parse_data": {"sentiment": {"label": label}}} for label in labels]


@pytest.mark.parametrize(
    "labels, upset",
    [
        (["neutral", "negative", "negative"], True),
        (["negative", "neutral", "negative"], True),
        (["negative", "neutral", "neutral", "negative"], False),  # too long ago
        (["neutral", "neutral", "negative"], False),  # one angry complaint in a calm chat
        (["negative", "negative", "neutral"], False),  # the complaint itself is calm
        ([], False),
    ],
)
def test_a_complaint_escalates_when_the_feeling_stays_negative(labels, upset):
    assert complaint_is_upset(sentiment_labels(labelled(*labels))) is upset


def test_messages_without_sentiment_count_as_neutral():
    assert sentiment_labels([{"event": "user", "parse_data": {}}, {"event": "bot"}]) == ["neutral"]


def test_suggestions_offer_requests_only_and_at_most_two():
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "faq", "confidence": 0.25},
        {"name": "start_return", "confidence": 0.2},
        {"name": "affirm", "confidence": 0.1},
        {"name": "request_refund", "confidence": 0.15},
        {"name": "order_status", "confidence": 0.12},
    ]
    assert suggestions(ranking) == [
        ("start_return", "Return something"),
        ("request_refund", "Get a refund"),
    ]
    assert suggestions([{"name": "order_status", "confidence": 0.07}]) == []
    assert suggestions(None) == []
