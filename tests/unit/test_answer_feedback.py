"""Thumbs up or down on the assistant's answers: the store keeps one choice per answer, and
the web chat's feedback route takes it only from the conversation's own session, only for
an answer of the assistant in that conversation's tracker, with each answer's key as the
channel sent it (`message_at`)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from shopassist.channels import sessions
from shopassist.store import feedback
from shopassist.store.db import session_scope
from shopassist.store.models import AnswerFeedback, message_key
from tests.console_kit import T0, action, bot, domain, session_start, user
from tests.unit.test_channel_security import Chat, run
from tests.unit.test_takeover_channel import rasa_server

# --- the store -------------------------------------------------------------------------


def rows(db_url, conversation):
    """(message_at, answer, value) of a conversation's feedback; db_url None: the one the
    code under test uses (use_db)."""
    with session_scope(db_url) as session:
        found = session.execute(
            select(AnswerFeedback).where(AnswerFeedback.conversation == conversation)
        ).scalars()
        return [(r.message_at, r.answer, r.value) for r in found]


def test_a_later_click_on_the_same_answer_changes_its_row(db_url):
    first, second = message_key(T0 + 3.25), message_key(T0 + 9.5)
    with session_scope(db_url) as session:
        feedback.record(session, "conv-fb-1", first, "utter_shipping_policy", "up")
        feedback.record(session, "conv-fb-1", second, "action_answer_question (passage)", "up")
    with session_scope(db_url) as session:
        feedback.record(session, "conv-fb-1", first, "utter_shipping_policy", "down")
    assert sorted(rows(db_url, "conv-fb-1")) == [
        (first, "utter_shipping_policy", "down"),
        (second, "action_answer_question (passage)", "up"),
    ]
    with session_scope(db_url) as session:
        assert feedback.of_conversation(session, "conv-fb-1") == {first: "down", second: "up"}
        assert feedback.of_conversation(session, "conv-fb-nobody") == {}


def test_only_up_or_down_and_keys_that_fit_are_stored(db_url):
    with session_scope(db_url) as session:
        for value in ("sideways", "", None, "UP"):
            with pytest.raises(ValueError):
                feedback.record(session, "conv-fb-2", "1.0", "utter_greet", value)
        with pytest.raises(ValueError):
            feedback.record(session, "c" * 81, "1.0", "utter_greet", "up")
        with pytest.raises(ValueError):
            feedback.record(session, "conv-fb-2", "1" * 41, "utter_greet", "up")
    assert rows(db_url, "conv-fb-2") == []


def test_figures_count_each_answer_once_and_list_the_least_helpful(tmp_path):
    from shopassist.store.manage import migrate

    url = f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    migrate(url)
    with session_scope(url) as session:
        assert feedback.figures(session) == {
            "helpful": 0, "not_helpful": 0, "helpful_share": None, "least_helpful": [],
        }  # fmt: skip
        votes = [
            ("a", "1.0", "utter_return_policy", "down"),
            ("b", "1.0", "utter_return_policy", "down"),
            ("c", "1.0", "utter_return_policy", "up"),
            ("a", "2.0", "utter_shipping_policy", "down"),
            ("b", "2.0", "utter_shipping_policy", "down"),
            ("a", "3.0", "utter_greet", "up"),
            ("b", "3.0", "utter_greet", "up"),
        ]
        for conversation, at, answer, value in votes:
            feedback.record(session, conversation, at, answer, value)
        feedback.record(session, "a", "3.0", "utter_greet", "down")  # changed: counted once
    with session_scope(url) as session:
        figures = feedback.figures(session)
    assert (figures["helpful"], figures["not_helpful"]) == (2, 5)
    assert figures["helpful_share"] == pytest.approx(2 / 7)
    assert figures["least_helpful"] == [
        # Two each: the one nobody found helpful first.
        {"answer": "utter_shipping_policy", "not_helpful": 2, "helpful": 0},
        {"answer": "utter_return_policy", "not_helpful": 2, "helpful": 1},
        {"answer": "utter_greet", "not_helpful": 1, "helpful": 1},
    ]


# --- the route -------------------------------------------------------------------------

ANSWER_AT, KNOWLEDGE_AT, AGENT_AT, PROMPT_AT = T0 + 3.25, T0 + 12.125, T0 + 30.5, T0 + 40.75


def conversation_events(t0: float = T0) -> list:
    return [
        *session_start(t0),
        user("do you ship abroad", "ask_shipping", t0 + 1),
        action("utter_shipping_policy", t0 + 3),
        BotUttered(
            "We ship to 30 countries.\n\nDelivery takes 3-5 days.",
            metadata={"utter_action": "utter_shipping_policy"},
            timestamp=ANSWER_AT,
        ),
        action("action_listen", t0 + 4),
        user("can I pay by invoice", "faq", t0 + 10),
        action("action_answer_question", t0 + 11),
        BotUttered(
            "Yes, within 14 days.", metadata={"answered_by": "passage"}, timestamp=KNOWLEDGE_AT
        ),  # fmt: skip
        bot("Hello, Sam here from customer service.", AGENT_AT, agent="agent.alex"),
        action("utter_ask_rating", t0 + 40),
        BotUttered(
            "", data={"buttons": [{"title": "5", "payload": "/rate"}]}, timestamp=PROMPT_AT
        ),  # fmt: skip
    ]


def tracker_store(path, conversations):
    store = SQLTrackerStore(domain(), dialect="sqlite", db=str(path))
    for conversation, events in conversations.items():
        tracker = DialogueStateTracker.from_events(conversation, events, slots=domain().slots)
        asyncio.run(store.save(tracker))
    return store


@pytest.fixture()
def chats(monkeypatch, tmp_path, use_db):
    """Two chats' signed session ids; the first one's conversation is in the tracker."""

    async def sessions_of():
        async with rasa_server(monkeypatch) as (url, _), Chat(url) as one, Chat(url) as two:
            return await one.session(), await two.session()

    mine, theirs = run(sessions_of())
    conversation = sessions.verify("socketio", mine)
    store = tracker_store(tmp_path / "trackers.db", {conversation: conversation_events()})
    yield {"mine": mine, "theirs": theirs, "conversation": conversation, "store": store}
    store.engine.dispose()


async def post(url, body) -> tuple:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/webhooks/socketio/feedback", json=body) as response:
            return response.status, await response.json()


def test_the_chat_s_session_rates_its_answers_and_may_change_its_mind(monkeypatch, chats):
    conversation, mine = chats["conversation"], chats["mine"]
    answer, knowledge = message_key(ANSWER_AT), message_key(KNOWLEDGE_AT)

    async def scenario():
        async with rasa_server(monkeypatch, chats["store"]) as (url, _):
            body = {"session_id": mine, "message_at": answer, "value": "up"}
            assert await post(url, body) == (200, {"ok": True, "value": "up"})
            changed = {**body, "value": "down"}
            assert await post(url, changed) == (200, {"ok": True, "value": "down"})
            assert (await post(url, {**body, "message_at": knowledge}))[0] == 200

    run(scenario())
    assert sorted(rows(None, conversation)) == [
        (answer, "utter_shipping_policy", "down"),
        (knowledge, "action_answer_question (passage)", "up"),
    ]


def test_malformed_foreign_or_unknown_feedback_is_refused(monkeypatch, chats):
    mine, theirs = chats["mine"], chats["theirs"]
    answer = message_key(ANSWER_AT)
    good = {"session_id": mine, "message_at": answer, "value": "up"}
    refused = [
        # Malformed: 400.
        (["x"], 400),
        ({**good, "value": "meh"}, 400),
        ({**good, "value": None}, 400),
        ({**good, "session_id": "x" * 100_000}, 400),
        ({**good, "session_id": 5}, 400),
        ({**good, "message_at": "1" * 41}, 400),
        ({**good, "message_at": ANSWER_AT}, 400),  # a number, not the key the chat got
        ({**good, "message_at": "'; drop table answer_feedback; --"}, 400),
        # Not a session this server signed: 403.
        ({**good, "session_id": mine[:-1] + ("0" if mine[-1] != "0" else "1")}, 403),
        ({**good, "session_id": "0" * 32 + "-" + "0" * 32}, 403),
        # Another chat's session names its own conversation, which has no such answer.
        ({**good, "session_id": theirs}, 404),
        # No answer of the assistant at that time: another time, an agent's reply in a
        # takeover, a row of buttons without text.
        ({**good, "message_at": message_key(ANSWER_AT + 0.5)}, 404),
        ({**good, "message_at": message_key(AGENT_AT)}, 404),
        ({**good, "message_at": message_key(PROMPT_AT)}, 404),
        ({**good, "message_at": message_key(T0 + 1)}, 404),  # the customer's own message
    ]

    async def scenario():
        async with rasa_server(monkeypatch, chats["store"]) as (url, _):
            for body, status in refused:
                got, answer_body = await post(url, body)
                assert (got, bool(answer_body.get("error"))) == (status, True), body

    run(scenario())
    assert rows(None, chats["conversation"]) == []
    assert rows(None, sessions.verify("socketio", theirs)) == []


def test_each_answer_reaches_the_chat_with_the_key_the_route_takes(monkeypatch, chats):
    conversation, mine = chats["conversation"], chats["mine"]
    events = conversation_events()
    answer, knowledge = events[5], events[9]

    async def scenario():
        async with rasa_server(monkeypatch, chats["store"]) as (url, channel), Chat(url) as chat:
            assert await chat.session(mine) == mine  # the page after a reload
            output = channel.get_output_channel()
            await output.send_response(conversation, answer.message())  # as Rasa sends it
            await chat.until(lambda: len(chat.bot) == 2)
            # A text in two bubbles is rated once, on the last.
            assert "message_at" not in chat.bot[0]
            assert chat.bot[1]["message_at"] == message_key(ANSWER_AT)
            await output.send_response(conversation, knowledge.message())
            await chat.until(lambda: len(chat.bot) == 3)
            key = chat.bot[2]["message_at"]
            assert await post(url, {"session_id": mine, "message_at": key, "value": "down"}) == (
                200, {"ok": True, "value": "down"},
            )  # fmt: skip
            card = {"custom": {"data": {"order_card": {"title": "Order 100234"}}}}
            await output.send_response(conversation, {**card, "timestamp": T0 + 50.5})
            await chat.until(lambda: len(chat.bot) == 4)
            assert chat.bot[3]["order_card"] == {"title": "Order 100234"}
            assert chat.bot[3]["message_at"] == message_key(T0 + 50.5)

    run(scenario())
    assert rows(None, conversation) == [
        (message_key(KNOWLEDGE_AT), "action_answer_question (passage)", "down")
    ]
