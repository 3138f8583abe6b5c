"""Cancelling orders and items through the actions: offer, "yes", database changed once."""

import json

from sqlalchemy import select

from actions.cancellations import (
    ActionExplainCancellationFee,
    ActionOfferCancellation,
    ActionOfferItemCancellation,
    ValidateCancelItemForm,
)
from actions.confirm import ActionApplyChange
from shopassist import clock
from shopassist.dialogue.next_steps import with_next_step
from shopassist.dialogue.replies import refusal
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.db import session_scope
from shopassist.store.models import AuditLog, Order, OrderItem
from shopassist.store.orders import order_facts
from tests.actions_kit import answered_yes, make_tracker, orders_with_status, run, verified

SKIP = 0  # which orders of a status these tests take (other files take others)


def test_fee_explanation_comes_from_the_policy():
    result = run(ActionExplainCancellationFee(), make_tracker())
    assert "$4.95" in result.text and "30 days" in result.text


def test_offer_for_a_packed_order_names_the_fee(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "packed", SKIP, 1)
    result = run(ActionOfferCancellation(), make_tracker(verified(order_id, db_url)))
    assert result.slots["change_offered"] is True
    assert result.slots["pending_change"]["kind"] == "cancel_order"
    assert "$4.95" in result.text and result.text.endswith("Shall I cancel it?")


def test_no_offer_for_a_shipped_order(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "shipped", SKIP, 1)
    result = run(ActionOfferCancellation(), make_tracker(verified(order_id, db_url)))
    assert result.slots["change_offered"] is False and "already shipped" in result.text


def test_no_offer_and_no_change_without_verification(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "paid", SKIP, 1)
    result = run(ActionOfferCancellation(), make_tracker({"order_id": order_id}))
    assert result.slots["change_offered"] is False and "couldn't verify" in result.text


def confirmed(db_url, order_id, sender=None):
    """Offer, then "yes", as the conversation would run them."""
    slots = verified(order_id, db_url)
    offered = run(ActionOfferCancellation(), make_tracker(slots, sender=sender))
    slots.update(offered.slots)
    return slots, run(ActionApplyChange(), answered_yes("action_offer_cancellation", slots, sender))


def test_confirmed_cancellation_changes_the_database_once(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "paid", SKIP, 1)
    slots, result = confirmed(db_url, order_id, sender="cancel-test")
    assert result.text.startswith(f"Done: order #{order_id} is cancelled.")
    assert "back on your" in result.text
    assert result.slots["pending_change"] is None and result.slots["change_offered"] is None
    again = run(
        ActionApplyChange(), answered_yes("action_offer_cancellation", slots, "cancel-test")
    )
    assert "already cancelled" in again.text  # a retried "yes"
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "cancelled"
        rows = session.execute(select(AuditLog).where(AuditLog.entity_id == order_id)).scalars()
        assert [(r.action, r.actor) for r in rows] == [("order.cancel", "assistant:cancel-test")]


def test_an_offer_stored_as_json_before_the_slot_was_typed_is_still_applied(use_db, db_url):
    """Conversations stored before `pending_change` held a dict hold its JSON string."""
    (order_id,) = orders_with_status(db_url, "paid", SKIP + 3, 1)
    slots = verified(order_id, db_url)
    slots.update(run(ActionOfferCancellation(), make_tracker(slots)).slots)
    slots["pending_change"] = json.dumps(slots["pending_change"], sort_keys=True)
    result = run(ActionApplyChange(), answered_yes("action_offer_cancellation", slots))
    assert result.text.startswith(f"Done: order #{order_id} is cancelled.")
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "cancelled"


def test_a_yes_to_another_question_never_applies_an_old_offer(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "paid", SKIP + 1, 1)
    slots = verified(order_id, db_url)
    slots.update(run(ActionOfferCancellation(), make_tracker(slots)).slots)
    later = answered_yes("utter_anything_else", slots)  # "anything else?" - "yes"
    result = run(ActionApplyChange(), later)
    assert "lost track" in result.text
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "paid"


def test_a_forged_pending_change_for_another_order_is_refused(use_db, db_url):
    mine, theirs = orders_with_status(db_url, "paid", SKIP + 2, 2)
    slots = verified(mine, db_url)
    slots.update(run(ActionOfferCancellation(), make_tracker(slots)).slots)
    slots["pending_change"] = slots["pending_change"] | {"order_id": theirs}
    result = run(ActionApplyChange(), answered_yes("action_offer_cancellation", slots))
    assert "couldn't verify" in result.text
    with session_scope(db_url) as session:
        assert session.get(Order, int(theirs)).status == "paid"


def test_a_yes_after_the_order_shipped_is_refused_with_what_it_still_allows(use_db, db_url):
    """The offer was made while it could be cancelled; the "yes" comes after it shipped."""
    (order_id,) = orders_with_status(db_url, "shipped", SKIP + 2, 1)
    slots = verified(order_id, db_url)
    slots["pending_change"] = ChangeRequest("cancel_order", order_id, "k").as_dict()
    result = run(ActionApplyChange(), answered_yes("action_offer_cancellation", slots))
    with session_scope(db_url) as session:
        facts = order_facts(session, order_id)
    said = refusal("already_shipped", "en", order_id=order_id)
    assert result.text == with_next_step(said, "already_shipped", facts, clock.today(), "en")
    assert result.text != said and facts.status == "shipped"


def test_database_down_gives_a_useful_message(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    slots = {"order_id": "100236", "verified_order": "100236"}
    result = run(ActionOfferCancellation(), make_tracker(slots))
    assert result.slots["change_offered"] is False
    assert "can't reach our order system" in result.text


def test_an_order_gone_since_the_check_gets_an_apology_not_a_crash(use_db):
    result = run(
        ActionOfferCancellation(), make_tracker({"order_id": "999999", "verified_order": "999999"})
    )
    assert result.slots["change_offered"] is False
    assert "can't reach our order system" in result.text


def two_line_order(db_url, status, skip):
    """A non-demo order in `status` with at least two lines."""
    for order_id in orders_with_status(db_url, status, skip, 30):
        with session_scope(db_url) as session:
            lines = (
                session.execute(
                    select(OrderItem.id)
                    .where(OrderItem.order_id == int(order_id))
                    .order_by(OrderItem.id)
                )
                .scalars()
                .all()
            )
        if len(lines) >= 2:
            return order_id, lines
    raise AssertionError(f"no {status} order with two lines")


def test_one_item_is_cancelled_after_a_pick_and_a_yes(use_db, db_url):
    order_id, lines = two_line_order(db_url, "paid", SKIP + 5)
    slots = verified(order_id, db_url, order_request="cancel_item")
    form = make_tracker(slots, new_slots={"item_choice": "2"}, active_loop="cancel_item_form")
    picked = run(ValidateCancelItemForm(), form)
    assert picked.slots["item_choice"] == str(lines[1])
    slots.update(picked.slots)
    offered = run(ActionOfferItemCancellation(), make_tracker(slots))
    assert offered.slots["change_offered"] is True and "Shall I go ahead?" in offered.text
    slots.update(offered.slots)
    done = run(ActionApplyChange(), answered_yes("action_offer_item_cancellation", slots))
    assert done.text.startswith("Done: I removed")
    with session_scope(db_url) as session:
        remaining = (
            session.execute(select(OrderItem.id).where(OrderItem.order_id == int(order_id)))
            .scalars()
            .all()
        )
        assert lines[1] not in remaining and lines[0] in remaining


def test_item_cancellation_asks_nothing_once_shipped(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "shipped", SKIP + 1, 1)
    slots = verified(order_id, db_url, order_request="cancel_item")
    result = run(ValidateCancelItemForm(), make_tracker(slots, active_loop="cancel_item_form"))
    assert result.slots["requested_slot"] is None
    offered = run(ActionOfferItemCancellation(), make_tracker(slots))
    assert offered.slots["change_offered"] is False and "already shipped" in offered.text


def test_an_unclear_pick_is_asked_again(use_db, db_url):
    order_id, _ = two_line_order(db_url, "paid", SKIP + 8)
    slots = verified(order_id, db_url)
    form = make_tracker(
        slots, new_slots={"item_choice": "the flux capacitor"}, active_loop="cancel_item_form"
    )
    result = run(ValidateCancelItemForm(), form)
    assert result.slots["item_choice"] is None and "couldn't tell which item" in result.text


def test_a_busy_database_gets_a_try_again_and_changes_nothing(use_db, db_url, monkeypatch):
    from tests.unit.test_db_busy import lock_held_elsewhere

    (order_id,) = orders_with_status(db_url, "paid", SKIP + 3, 1)
    slots = verified(order_id, db_url)
    slots.update(run(ActionOfferCancellation(), make_tracker(slots)).slots)
    monkeypatch.setenv("SHOPASSIST_DB_BUSY_TIMEOUT", "0.2")
    with lock_held_elsewhere(db_url, int(order_id)):
        result = run(ActionApplyChange(), answered_yes("action_offer_cancellation", slots))
    assert "busy right now" in result.text and "Nothing has been changed" in result.text
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "paid"
