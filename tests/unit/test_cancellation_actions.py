"""Cancellation actions through rasa-sdk's dispatcher and tracker, on the real test database."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.cancellations import (
    ActionCancelOrder,
    ActionExplainCancellationFee,
    ActionOfferCancellation,
)
from shopassist.store.db import session_scope
from shopassist.store.models import AuditLog, Order


def tracker(order_id, verified):
    return Tracker(
        sender_id="cancel-test",
        slots={"order_id": order_id, "verified_order": verified, "order_request": "cancel"},
        latest_message={"intent": {"name": "affirm"}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, order_id, verified=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(order_id, verified), {}))
    return events, [m["text"] for m in dispatcher.messages]


def an_order(db_url, status):
    with session_scope(db_url) as session:
        return str(
            session.execute(
                select(Order.id).where(Order.status == status).order_by(Order.id.desc())
            )
            .scalars()
            .first()
        )


def test_fee_explanation_comes_from_the_policy():
    _, (text,) = run(ActionExplainCancellationFee(), None)
    assert "$4.95" in text and "30 days" in text


def test_offer_for_a_packed_order_names_the_fee(use_db, db_url):
    order_id = an_order(db_url, "packed")
    events, (text,) = run(ActionOfferCancellation(), order_id, order_id)
    assert SlotSet("cancellation_offered", True) in events
    assert "$4.95" in text and text.endswith("Shall I cancel it?")


def test_no_offer_for_a_shipped_order(use_db, db_url):
    order_id = an_order(db_url, "shipped")
    events, (text,) = run(ActionOfferCancellation(), order_id, order_id)
    assert SlotSet("cancellation_offered", False) in events
    assert "already shipped" in text


def test_no_offer_and_no_details_without_verification(use_db, db_url):
    order_id = an_order(db_url, "paid")
    events, (text,) = run(ActionOfferCancellation(), order_id, None)
    assert SlotSet("cancellation_offered", False) in events and "couldn't verify" in text
    _, (text,) = run(ActionCancelOrder(), order_id, "100001")
    assert "couldn't verify" in text
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "paid"


def test_confirmed_cancellation_changes_the_database_once(use_db, db_url):
    order_id = an_order(db_url, "paid")
    _, (text,) = run(ActionCancelOrder(), order_id, order_id)
    assert text.startswith(f"Done: order #{order_id} is cancelled.") and "back on your" in text
    _, (again,) = run(ActionCancelOrder(), order_id, order_id)  # a retried "yes"
    assert "already cancelled" in again
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "cancelled"
        rows = (
            session.execute(select(AuditLog).where(AuditLog.entity_id == order_id)).scalars().all()
        )
        assert [(r.action, r.actor) for r in rows] == [("order.cancel", "assistant:cancel-test")]


def test_database_down_gives_a_useful_message(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    _, (text,) = run(ActionCancelOrder(), "100236", "100236")
    assert "can't reach our order system" in text


def test_an_order_gone_since_the_check_gets_an_apology_not_a_crash(use_db):
    events, (text,) = run(ActionOfferCancellation(), "999999", "999999")
    assert SlotSet("cancellation_offered", False) in events
    assert "can't reach our order system" in text


def test_no_offer_when_the_database_is_down(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    events, (text,) = run(ActionOfferCancellation(), "100236", "100236")
    assert events == [SlotSet("cancellation_offered", False)]
    assert "can't reach our order system" in text
