"""Order actions through rasa-sdk's dispatcher and tracker, on the real test database."""

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.orders import ActionOrderStatus, ValidateOrderLookupForm
from shopassist.store.db import session_scope
from shopassist.store.orders import order_facts

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())


def tracker(slots, new_slots=None):
    """A tracker in which the customer's latest message filled `new_slots`."""
    new_slots = new_slots or {}
    events = [{"event": "user", "text": "..."}] + [
        {"event": "slot", "name": name, "value": value} for name, value in new_slots.items()
    ]
    return Tracker(
        sender_id="test",
        slots={"identity_failures": 0.0, **slots, **new_slots},
        latest_message={"intent": {"name": "inform"}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "order_lookup_form"},
        latest_action_name="action_listen",
    )


def validate(slots, new_slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidateOrderLookupForm().run(dispatcher, tracker(slots, new_slots), DOMAIN)
    )
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, dispatcher.messages


def test_owner_is_verified_when_number_and_email_match(use_db):
    slots, messages = validate({"order_id": "100234"}, {"email": "Anna.Becker@example.com"})
    assert slots["email"] == "anna.becker@example.com"
    assert slots["verified_order"] == "100234"
    assert messages == []


def test_order_number_forms_are_normalised(use_db):
    slots, _ = validate({}, {"order_id": "ORD-100234"})
    assert slots["order_id"] == "100234" and "verified_order" not in slots


def test_malformed_values_are_reasked_with_a_hint(use_db):
    slots, messages = validate({}, {"order_id": "12"})
    assert slots["order_id"] is None and "six digits" in messages[0]["text"]
    slots, messages = validate({"order_id": "100234"}, {"email": "anna-at-example"})
    assert slots["email"] is None and "e-mail address" in messages[0]["text"]


@pytest.mark.parametrize(
    "order_id,email",
    [
        ("100234", "ben.carter@example.com"),  # someone else's order
        ("999999", "anna.becker@example.com"),  # no such order
        ("100234", "nobody@example.com"),
    ],  # no such customer
)
def test_mismatch_reveals_nothing_and_counts_a_failure(use_db, order_id, email):
    slots, messages = validate({"order_id": order_id}, {"email": email})
    assert slots["identity_failures"] == 1.0
    assert slots["order_id"] is None and slots["email"] is None
    assert "verified_order" not in slots
    assert len(messages) == 1
    assert messages[0]["text"].startswith("I couldn't match that order number with that e-mail")


def test_third_failure_ends_the_form(use_db):
    slots, messages = validate(
        {"order_id": "100234", "identity_failures": 2.0}, {"email": "ben.carter@example.com"}
    )
    assert slots["identity_failures"] == 3.0
    assert slots["requested_slot"] is None  # form deactivated
    assert messages == []  # action_order_status explains


def test_unreachable_database_ends_the_form_with_a_flag(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    slots, _ = validate({"order_id": "100234"}, {"email": "anna.becker@example.com"})
    assert slots["order_lookup_unavailable"] is True
    assert slots["requested_slot"] is None


def run_status(slots):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionOrderStatus().run(dispatcher, tracker(slots), DOMAIN))
    return events, [m["text"] for m in dispatcher.messages]


def test_status_answer_is_read_from_the_database(use_db, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    _, (text,) = run_status({"order_id": "100234", "verified_order": "100234"})
    assert facts.carrier in text and facts.tracking_number in text and "shipped" in text


def test_no_facts_without_verification(use_db, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    events, (text,) = run_status({"order_id": "100234", "verified_order": "100235"})
    assert "couldn't verify" in text and facts.tracking_number not in text
    assert SlotSet("order_id", None) in events


def test_database_down_gives_a_useful_message(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    _, (text,) = run_status({"order_id": "100234", "verified_order": "100234"})
    assert "can't reach our order system" in text
