"""Starting a return or asking for a refund through the return form, offer and "yes"."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from actions.confirm import ActionApplyChange
from actions.returns import ActionOfferReturn, ValidateReturnForm
from shopassist.store.db import session_scope
from shopassist.store.models import Order, Refund, Return
from shopassist.store.orders import order_facts, order_lines
from shopassist.store.product_names import names_in
from tests.actions_kit import answered_yes, make_tracker, orders_with_status, run, verified
from tests.conftest import ANCHOR

SKIP = 24  # which orders of a status these tests take (other files take others)


def recently_delivered(db_url, skip):
    """A non-demo order delivered in the last 20 days with a returnable line."""
    for order_id in orders_with_status(db_url, "delivered", skip, 60):
        with session_scope(db_url) as session:
            facts, lines = order_facts(session, order_id), order_lines(session, order_id)
        fresh = facts.delivered_on and facts.delivered_on >= ANCHOR - timedelta(days=20)
        if fresh and any(line.returnable and line.returnable_quantity for line in lines):
            return order_id, lines
    pytest.fail("the seed has no recently delivered order with a returnable line")


def form(slots, **new_slots):
    return run(
        ValidateReturnForm(), make_tracker(slots, new_slots=new_slots, active_loop="return_form")
    )


def test_a_return_is_asked_checked_confirmed_and_created_once(use_db, db_url):
    order_id, lines = recently_delivered(db_url, SKIP)
    slots = verified(order_id, db_url, order_request="start_return")
    shown = [line for line in lines if line.returnable_quantity]  # the list the form shows
    index = next(i for i, line in enumerate(shown) if line.returnable)
    lines = shown
    first = form(slots, return_items=str(index + 1))
    assert first.slots["return_items"] == {
        str(lines[index].item_id): lines[index].returnable_quantity
    }
    slots.update(first.slots)
    slots.update(form(slots, return_reason="it doesn't fit").slots)
    assert slots["return_reason"] == "does_not_fit"
    slots.update(form(slots, return_condition="still in the box").slots)
    assert slots["return_condition"] == "unopened"
    offered = run(ActionOfferReturn(), make_tracker(slots))
    assert offered.slots["change_offered"] is True
    assert "$6.95" in offered.text and "Shall I authorise the return?" in offered.text
    slots.update(offered.slots)
    yes = answered_yes("action_offer_return", slots, sender="return-test")
    done = run(ActionApplyChange(), yes)
    assert "Return number: RMA-" in done.text
    again = run(ActionApplyChange(), yes)  # the same "yes" delivered twice
    assert again.text == done.text
    with session_scope(db_url) as session:
        count = session.execute(
            select(func.count(Return.id)).where(Return.order_id == int(order_id))
        ).scalar_one()
        assert count == 1


def test_a_damaged_item_skips_the_condition_and_ships_free(use_db, db_url):
    order_id, lines = recently_delivered(db_url, SKIP + 5)
    slots = verified(order_id, db_url, order_request="start_return")
    picked = form(slots, return_items="1, it arrived broken")
    assert picked.slots["return_reason"] == "damaged"
    assert picked.slots["return_condition"] == "damaged"
    slots.update(picked.slots)
    offered = run(ActionOfferReturn(), make_tracker(slots))
    assert "Return shipping is free" in offered.text


def test_an_order_not_yet_delivered_asks_nothing_and_is_refused(use_db, db_url):
    (order_id,) = orders_with_status(db_url, "shipped", SKIP, 1)
    slots = verified(order_id, db_url, order_request="start_return")
    assert form(slots).slots["requested_slot"] is None
    offered = run(ActionOfferReturn(), make_tracker(slots))
    assert offered.slots["change_offered"] is False and "hasn't been delivered" in offered.text


def test_past_the_window_is_refused(use_db, db_url):
    slots = verified("100402", db_url, order_request="start_return")  # delivered 40 days ago
    slots.update(return_items={}, return_reason="changed_mind")
    lines = None
    with session_scope(db_url) as session:
        lines = order_lines(session, "100402")
    slots["return_items"] = {str(lines[0].item_id): 1}
    offered = run(ActionOfferReturn(), make_tracker(slots))
    assert offered.slots["change_offered"] is False and "return window has closed" in offered.text


def test_a_lost_parcel_is_refunded_after_the_grace_period(use_db, db_url):
    today = ANCHOR  # the seed's shipped orders have estimated deliveries around it
    for order_id in orders_with_status(db_url, "shipped", SKIP, 60):
        with session_scope(db_url) as session:
            facts = order_facts(session, order_id)
        if facts.estimated_delivery and facts.estimated_delivery + timedelta(days=6) < today:
            break
    else:
        pytest.fail("the seed has no overdue parcel")
    slots = verified(order_id, db_url, order_request="refund")
    reason = form(slots, return_reason="it never arrived")
    assert reason.slots["return_reason"] == "never_arrived"
    assert reason.slots["requested_slot"] is None  # no items or condition to ask
    slots.update(reason.slots)
    offered = run(ActionOfferReturn(), make_tracker(slots))
    assert offered.slots["change_offered"] is True and facts.total in offered.text
    slots.update(offered.slots)
    done = run(ActionApplyChange(), answered_yes("action_offer_return", slots))
    assert f"refunded order #{order_id}" in done.text
    with session_scope(db_url) as session:
        assert session.get(Order, int(order_id)).status == "refunded"
        assert (
            session.execute(
                select(func.count(Refund.id)).where(Refund.order_id == int(order_id))
            ).scalar_one()
            == 1
        )


def test_a_parcel_still_in_transit_is_not_refunded(use_db, db_url):
    slots = verified("100310", db_url, order_request="refund", return_reason="never_arrived")
    offered = run(ActionOfferReturn(), make_tracker(slots))
    assert offered.slots["change_offered"] is False and "still on its way" in offered.text


def test_a_reason_given_with_the_request_is_not_asked_again(use_db, db_url):
    slots = verified("100310", db_url, order_request="refund")
    request = [
        {
            "event": "user",
            "text": "i want a refund, order 100310 never arrived",
            "parse_data": {"intent": {"name": "request_refund"}},
        }
    ]
    tracker = make_tracker(slots, events=request, active_loop="return_form")
    result = run(ValidateReturnForm(), tracker)
    assert result.slots["return_reason"] == "never_arrived"
    assert result.slots["requested_slot"] is None  # nothing left to ask: the offer checks


@pytest.mark.parametrize("language", ["de", "fr", "es", "zh"])
def test_the_item_is_named_in_the_customers_language(use_db, db_url, language):
    """Asked which item, a customer writing German (French, ...) names it in that language."""
    for order_id in orders_with_status(db_url, "delivered", 0, 200):
        with session_scope(db_url) as session:
            shown = [line for line in order_lines(session, order_id) if line.returnable_quantity]
        names = [names_in(line.label, language) for line in shown]
        # A line whose specific name (the first) names no other line of the order, and is
        # not its English name ("Toaster").
        index = next(
            (i for i, own in enumerate(names) if own and len(shown) > 1
             and own[0].lower() not in shown[i].label.lower()
             and not any(own[0] in other for j, other in enumerate(names) if j != i)),
            None,
        )  # fmt: skip
        if index is not None:
            break
    else:
        pytest.fail("the seed has no delivered order of two lines named apart")
    slots = verified(order_id, db_url, order_request="start_return")
    tracker = make_tracker(
        slots,
        new_slots={"return_items": names[index][0]},
        active_loop="return_form",
        language=language,
    )
    picked = run(ValidateReturnForm(), tracker)
    line = shown[index]
    assert picked.slots["return_items"] == {str(line.item_id): line.returnable_quantity}
    # An English conversation does not read it: the form asks again.
    english = make_tracker(
        slots, new_slots={"return_items": names[index][0]}, active_loop="return_form"
    )
    assert run(ValidateReturnForm(), english).slots["return_items"] is None
