"""Actions believe "verified" only with the action server's own stamp: a slot written by the
caller (a forged tracker), a stamp from another conversation or for other values, or a stamp
under another secret is no proof."""

from sqlalchemy import select

from actions.confirm import ActionApplyChange
from actions.corrections import ActionAskOrderId
from actions.identity import ValidateOrderLookupForm, verified_email, verified_order_id
from actions.orders import ActionListOrders
from actions.payments import ActionSendInvoice
from shopassist.auth import stamps
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.db import session_scope
from shopassist.store.models import Order
from tests.actions_kit import answered_yes, make_tracker, orders_with_status, run, verified

ANNA = "anna.becker@example.com"


def test_a_stamp_matches_only_its_conversation_and_values():
    stamp = stamps.issue("conv-1", ANNA, "100234")
    assert stamps.valid(stamp, "conv-1", ANNA, "100234")
    assert not stamps.valid(stamp, "conv-2", ANNA, "100234")  # copied elsewhere
    assert not stamps.valid(stamp, "conv-1", ANNA, "100235")  # another order
    assert not stamps.valid(stamp, "conv-1", "ben.carter@example.com", "100234")
    assert not stamps.valid(
        stamps.issue("conv-1", ANNA, "100234", secret="z" * 40), "conv-1", ANNA, "100234"
    )
    assert not stamps.valid(None, "conv-1", ANNA, "100234")
    assert not stamps.valid("v1.AAAA", "conv-1", ANNA, "100234")


def test_unstamped_verified_slots_prove_nothing():
    forged = make_tracker(
        {"order_id": "100234", "verified_order": "100234", "verified_email": ANNA}, stamped=False
    )
    assert verified_order_id(forged) is None and verified_email(forged) is None
    real = make_tracker({"order_id": "100234", "verified_order": "100234", "verified_email": ANNA})
    assert verified_order_id(real) == "100234" and verified_email(real) == ANNA


def test_a_forged_verified_order_gets_no_invoice(use_db):
    slots = {"order_id": "100234", "verified_order": "100234", "verified_email": ANNA}
    result = run(ActionSendInvoice(), make_tracker(slots, stamped=False))
    assert "INV-" not in result.text and "couldn't verify" in result.text
    stolen = stamps.issue("another-conversation", ANNA, "100234")
    result = run(ActionSendInvoice(), make_tracker({**slots, "identity_stamp": stolen}))
    assert "INV-" not in result.text
    assert "INV-" in run(ActionSendInvoice(), make_tracker(slots)).text  # stamped: shown


def test_a_forged_verified_email_lists_and_offers_no_orders(use_db):
    forged = make_tracker({"verified_email": ANNA}, stamped=False)
    assert "#100234" not in run(ActionListOrders(), forged).text
    result = run(ActionAskOrderId(), make_tracker({"verified_email": ANNA}, stamped=False))
    assert "100234" not in str(result.messages)


def test_a_forged_pending_change_never_reaches_the_store(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "paid", skip=5, limit=1)
    request = ChangeRequest("cancel_order", order_id, "forged-key")
    slots = {**verified(order_id, db_url), "pending_change": request.as_dict()}
    tracker = answered_yes("action_offer_cancellation", slots)
    tracker.slots["identity_stamp"] = None  # the caller wrote the slots, not this server
    result = run(ActionApplyChange(), tracker)
    assert "couldn't verify" in result.text
    with session_scope(db_url) as session:
        assert (
            session.execute(select(Order.status).where(Order.id == int(order_id))).scalar()
            == "paid"
        )


def test_the_identity_check_stamps_what_it_proved(use_db):
    tracker = make_tracker(
        {"order_id": "100234"}, new_slots={"email": ANNA}, active_loop="order_lookup_form"
    )
    result = run(ValidateOrderLookupForm(), tracker)
    stamp = result.slots["identity_stamp"]
    assert stamps.valid(stamp, tracker.sender_id, ANNA, "100234")


def test_a_forged_verified_email_is_asked_for_the_email_like_anyone(use_db):
    """A proven customer is not asked for the e-mail again; a forged one is."""
    slots = {"verified_email": ANNA, "email": None}
    tracker = make_tracker(
        slots, new_slots={"order_id": "100236"}, active_loop="order_lookup_form", stamped=False
    )
    result = run(ValidateOrderLookupForm(), tracker)
    assert "verified_order" not in result.slots


def proven_in(sender, client):
    return make_tracker(
        {"order_id": "100234", "verified_order": "100234", "verified_email": ANNA},
        sender=sender,
        metadata={"client": client},
    )


def test_a_rest_conversation_id_named_by_another_client_carries_no_verification():
    """REST callers choose their conversation ids: knowing one is not being its customer."""
    owner = proven_in("rest:chat-42", "address-of-anna")
    assert verified_email(owner) == ANNA
    # The same conversation (slots and stamp included), its next message from elsewhere.
    intruder = make_tracker(
        dict(owner.slots), sender="rest:chat-42", metadata={"client": "address-of-eve"}
    )
    assert verified_email(intruder) is None and verified_order_id(intruder) is None


def test_a_web_chat_keeps_its_verification_when_the_address_changes():
    """Socket.io ids are issued and signed by the server: a phone changing networks stays
    verified."""
    owner = proven_in("socketio:9f1c", "address-on-wifi")
    moved = make_tracker(
        dict(owner.slots), sender="socketio:9f1c", metadata={"client": "address-on-mobile"}
    )
    assert verified_email(moved) == ANNA
