"""The identity check form through rasa-sdk's dispatcher and tracker, on the real test database."""

import uuid

import pytest

from actions.identity import ValidateOrderLookupForm
from shopassist.auth import customer_token
from shopassist.store import identity
from tests.actions_kit import make_tracker, orders_with_status, run

FORM = "order_lookup_form"


def validate(slots, new_slots, **kwargs):
    return run(
        ValidateOrderLookupForm(),
        make_tracker(slots, new_slots=new_slots, active_loop=FORM, **kwargs),
    )


def test_owner_is_verified_when_number_and_email_match(use_db):
    result = validate({"order_id": "100234"}, {"email": "Anna.Becker@example.com"})
    assert result.slots["email"] == "anna.becker@example.com"
    assert result.slots["verified_order"] == "100234"
    assert result.slots["verified_email"] == "anna.becker@example.com"
    assert result.messages == []


def test_order_number_forms_are_normalised(use_db):
    result = validate({}, {"order_id": "ORD-100234"})
    assert result.slots["order_id"] == "100234" and "verified_order" not in result.slots


def test_malformed_values_are_reasked_with_a_hint(use_db):
    result = validate({}, {"order_id": "12"})
    assert result.slots["order_id"] is None and "six digits" in result.text
    result = validate({"order_id": "100234"}, {"email": "anna-at-example"})
    assert result.slots["email"] is None and "e-mail address" in result.text


@pytest.mark.parametrize(
    "order_id,email",
    [
        ("100235", "ben.carter@example.com"),  # someone else's order
        ("999999", "anna.becker@example.com"),  # no such order
        ("100236", "nobody@example.com"),  # no such customer
    ],
)
def test_mismatch_reveals_nothing_and_counts_a_failure(use_db, order_id, email):
    result = validate({"order_id": order_id}, {"email": email})
    assert result.slots["identity_failures"] == 1.0
    assert result.slots["order_id"] is None and result.slots["email"] is None
    assert "verified_order" not in result.slots
    assert result.texts == [
        "I couldn't match that order number with that e-mail address. "
        "Let's try again: please check both against your order confirmation."
    ]


def test_third_failure_ends_the_form(use_db):
    result = validate(
        {"order_id": "100311", "identity_failures": 2.0}, {"email": "anna.becker@example.com"}
    )
    assert result.slots["identity_failures"] == 3.0
    assert result.slots["requested_slot"] is None  # form deactivated
    assert result.messages == []  # the next action explains


def test_failures_outlive_the_conversation_state(use_db, db_url):
    """A fresh tracker (a restarted conversation) does not reset the limit."""
    sender = f"test-{uuid.uuid4().hex[:8]}"
    (target,) = orders_with_status(db_url, "delivered", skip=20, limit=1)
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.com"  # no other test slowed it down
    for _ in range(3):
        validate({"order_id": target}, {"email": nobody}, sender=sender)
    result = validate({"order_id": "100234"}, {"email": "anna.becker@example.com"}, sender=sender)
    assert result.slots["identity_locked"] is True and "verified_order" not in result.slots


def test_a_proven_customer_is_not_asked_for_the_email_again(use_db):
    slots = {"verified_email": "anna.becker@example.com", "email": "anna.becker@example.com"}
    result = validate(slots, {"order_id": "#100236"})
    assert result.slots["verified_order"] == "100236"
    assert result.slots["requested_slot"] is None
    result = validate(slots, {"order_id": "100310"})  # Ben's order: no
    assert result.slots["order_id"] is None and "verified_order" not in result.slots
    assert result.slots["email"] == "anna.becker@example.com"


def test_a_signed_token_proves_the_customer(use_db, monkeypatch):
    monkeypatch.setenv(customer_token.SECRET_ENV, "k" * 40)
    token = customer_token.issue("ben.carter@example.com")
    result = validate({}, {"order_id": "100312"}, metadata={"customer_token": token})
    assert result.slots["verified_email"] == "ben.carter@example.com"
    assert result.slots["verified_order"] == "100312"
    assert result.slots["requested_slot"] is None  # the e-mail was never asked


def test_a_forged_token_proves_nothing(use_db, monkeypatch):
    monkeypatch.setenv(customer_token.SECRET_ENV, "k" * 40)
    forged = customer_token.issue("ben.carter@example.com", secret="f" * 40)
    result = validate({}, {"order_id": "100312"}, metadata={"customer_token": forged})
    assert "verified_email" not in result.slots and "verified_order" not in result.slots
    assert "requested_slot" not in result.slots  # Rasa asks the next slot: the e-mail


def test_listing_orders_needs_no_number_once_proven(use_db):
    slots = {"verified_email": "anna.becker@example.com", "order_request": "list"}
    result = validate(slots, {})
    assert result.slots["requested_slot"] is None


def test_unreachable_database_ends_the_form_with_a_flag(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = validate({"order_id": "100234"}, {"email": "anna.becker@example.com"})
    assert result.slots["order_lookup_unavailable"] is True
    assert result.slots["requested_slot"] is None


def test_one_client_is_locked_across_new_conversations(use_db):
    """A new conversation per try no longer resets anything: the channel's client key
    (message metadata) counts the failures of all of them."""
    client = {"client": f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"}
    for _ in range(identity.MAX_FAILURES_PER_CLIENT):
        guess = f"99{uuid.uuid4().int % 10_000:04d}"  # unknown numbers, one try each
        result = validate({"order_id": guess}, {"email": wrong()}, metadata=client)
        assert result.slots["identity_failures"] == 1.0
    result = validate({"order_id": "100234"}, {"email": "anna.becker@example.com"}, metadata=client)
    assert result.slots["identity_locked"] is True and "verified_order" not in result.slots
    other = {"client": f"elsewhere-{uuid.uuid4().hex[:6]}"}
    result = validate({"order_id": "100234"}, {"email": "anna.becker@example.com"}, metadata=other)
    assert result.slots["verified_order"] == "100234"


def test_a_signed_in_owner_is_never_locked_out(use_db, db_url, monkeypatch):
    """Five wrong addresses for her order from five conversations, then the owner comes
    with her customer token: she is verified, also in a conversation that was locked."""
    monkeypatch.setenv(customer_token.SECRET_ENV, "k" * 40)
    (target,) = orders_with_status(db_url, "delivered", skip=30, limit=1)
    attacker = {"client": f"attacker-{uuid.uuid4().hex[:6]}"}
    for _ in range(5):
        validate({"order_id": target}, {"email": wrong()}, metadata=attacker)
    owner = owner_of(db_url, target)
    token = {"customer_token": customer_token.issue(owner)}
    result = validate({}, {"order_id": target}, metadata=token)
    assert result.slots["verified_order"] == target
    locked = {"identity_locked": True, "identity_failures": 3.0}
    result = validate(locked, {"order_id": target}, metadata=token)
    assert result.slots["verified_order"] == target and result.slots["identity_locked"] is None


def wrong():
    return f"somebody.{uuid.uuid4().hex[:8]}@example.com"


def owner_of(db_url, order_id):
    from shopassist.store.db import session_scope
    from shopassist.store.orders import owner_email

    with session_scope(db_url) as session:
        return owner_email(session, order_id)


def test_a_stray_token_tagged_as_an_order_number_does_not_hide_the_real_one():
    """The entity model tagged "m" of "I'm" as order_id after the real number: the slot
    holds "M", the message holds 100420 too, and the real number counts."""
    from rasa_sdk.executor import CollectingDispatcher

    tracker = make_tracker({}, intent="cancel_order", text="cancel order 100420, I'm x@example.org")
    tracker.latest_message["entities"] = [
        {"entity": "order_id", "value": "100420"},
        {"entity": "order_id", "value": "M"},
    ]
    dispatcher = CollectingDispatcher()
    result = ValidateOrderLookupForm().validate_order_id("M", dispatcher, tracker, {})
    assert result == {"order_id": "100420"}
    assert dispatcher.messages == []
