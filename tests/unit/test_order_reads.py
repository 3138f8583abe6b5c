"""One read of the order per action run: every statement an action sends to the real engine
is recorded, and each answer about an order (status, returns, payments, changes, the
identity check, carrying out a change) selects the order's row once, however many views of
it the answer needs."""

from __future__ import annotations

from typing import Callable, List

import pytest

from actions.cancellations import (
    ActionOfferCancellation,
    ActionOfferItemCancellation,
    ValidateCancelItemForm,
)
from actions.changes import (
    ActionAskItemChange,
    ActionOfferAddressChange,
    ActionOfferItemChange,
    ValidateAddressForm,
    ValidateChangeItemForm,
)
from actions.confirm import ActionApplyChange
from actions.identity import ValidateOrderLookupForm
from actions.order_lines import ActionAskItemChoice, ActionAskReturnItems
from actions.orders import ActionOrderStatus
from actions.payments import ActionCheckPayment, ActionSendInvoice
from actions.returns import ActionOfferReturn, ActionReturnStatus, ValidateReturnForm
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.db import session_scope
from shopassist.store.models import Order
from shopassist.store.orders import order_lines
from tests.actions_kit import answered_yes, make_tracker, orders_with_status, run, verified
from tests.sql_kit import order_selects, statements


def first_line(db_url: str, order_id: str):
    with session_scope(db_url) as session:
        return order_lines(session, order_id)[0]


def order_status(db_url):
    (order_id,) = orders_with_status(db_url, "shipped", 0, 1)
    return ActionOrderStatus(), make_tracker(verified(order_id, db_url))


def identity_check(db_url):
    """The form's check of a typed order number and e-mail (not yet proven)."""
    (order_id,) = orders_with_status(db_url, "shipped", 1, 1)
    email = verified(order_id, db_url)["email"]
    tracker = make_tracker(
        {"order_request": "status"},
        new_slots={"order_id": order_id, "email": email},
        active_loop="order_lookup_form",
    )
    return ValidateOrderLookupForm(), tracker


def delivered(db_url, **slots):
    (order_id,) = orders_with_status(db_url, "delivered", 0, 1)
    return order_id, verified(order_id, db_url, order_request="start_return", **slots)


def return_form(db_url):
    """A form turn asks for the order several times (slots before and after the pick, then
    the pick's validation)."""
    _, slots = delivered(db_url)
    tracker = make_tracker(slots, new_slots={"return_items": "1"}, active_loop="return_form")
    return ValidateReturnForm(), tracker


def ask_return_items(db_url):
    _, slots = delivered(db_url)
    return ActionAskReturnItems(), make_tracker(slots, active_loop="return_form")


def offer_return(db_url):
    order_id, slots = delivered(db_url)
    line = first_line(db_url, order_id)
    slots.update(
        return_items={str(line.item_id): 1},
        return_reason="does_not_fit",
        return_condition="unopened",
    )
    return ActionOfferReturn(), make_tracker(slots)


def return_status(db_url):
    order_id, slots = delivered(db_url)
    return ActionReturnStatus(), make_tracker(slots)


def paid(db_url, **slots):
    (order_id,) = orders_with_status(db_url, "paid", 0, 1)
    return order_id, verified(order_id, db_url, **slots)


def check_payment(db_url):
    return ActionCheckPayment(), make_tracker(paid(db_url)[1])


def send_invoice(db_url):
    return ActionSendInvoice(), make_tracker(paid(db_url)[1])


def offer_cancellation(db_url):
    return ActionOfferCancellation(), make_tracker(paid(db_url, order_request="cancel")[1])


def offer_item_cancellation(db_url):
    order_id, slots = paid(db_url)
    slots["item_choice"] = str(first_line(db_url, order_id).item_id)
    return ActionOfferItemCancellation(), make_tracker(slots)


def change_item_form(db_url):
    _, slots = paid(db_url, order_request="change_items")
    tracker = make_tracker(slots, new_slots={"item_choice": "1"}, active_loop="change_item_form")
    return ValidateChangeItemForm(), tracker


def ask_item_change(db_url):
    order_id, slots = paid(db_url)
    slots["item_choice"] = str(first_line(db_url, order_id).item_id)
    return ActionAskItemChange(), make_tracker(slots, active_loop="change_item_form")


def offer_item_change(db_url):
    order_id, slots = paid(db_url)
    slots.update(
        item_choice=str(first_line(db_url, order_id).item_id),
        item_change={"quantity": 0},
    )
    return ActionOfferItemChange(), make_tracker(slots)


def cancel_item_form(db_url):
    _, slots = paid(db_url, order_request="cancel_item")
    tracker = make_tracker(slots, new_slots={"item_choice": "1"}, active_loop="cancel_item_form")
    return ValidateCancelItemForm(), tracker


def ask_item_choice(db_url):
    _, slots = paid(db_url, order_request="cancel_item")
    return ActionAskItemChoice(), make_tracker(slots, active_loop="cancel_item_form")


def address_form(db_url):
    _, slots = paid(db_url, order_request="change_address")
    text = "12 High Street, London, SW1A 1AA, UK"
    tracker = make_tracker(slots, new_slots={"new_address": text}, active_loop="address_form")
    return ValidateAddressForm(), tracker


def offer_address_change(db_url):
    address = {"line1": "12 High Street", "city": "London", "postcode": "SW1A 1AA"}
    return ActionOfferAddressChange(), make_tracker(paid(db_url, new_address=address)[1])


def confirm_unchanged_address(db_url):
    """A "yes" to an address the order already has: carried out, nothing to write."""
    order_id, slots = paid(db_url)
    with session_scope(db_url) as session:
        order = session.get(Order, int(order_id))
        same = {
            "line1": order.ship_line1,
            "city": order.ship_city,
            "postcode": order.ship_postcode,
            "country": order.ship_country,
            "label": order.ship_line1,
        }
    slots["pending_change"] = ChangeRequest("change_address", order_id, "k", same).as_dict()
    return ActionApplyChange(), answered_yes("action_offer_address_change", slots)


def confirm_after_it_shipped(db_url):
    """A "yes" to a cancellation of an order that shipped since: the refusal and the next
    step come from the order the service loaded."""
    (order_id,) = orders_with_status(db_url, "shipped", 0, 1)
    slots = verified(order_id, db_url)
    slots["pending_change"] = ChangeRequest("cancel_order", order_id, "k").as_dict()
    return ActionApplyChange(), answered_yes("action_offer_cancellation", slots)


RUNS: List[Callable] = [
    order_status,
    identity_check,
    return_form,
    ask_return_items,
    offer_return,
    return_status,
    check_payment,
    send_invoice,
    offer_cancellation,
    offer_item_cancellation,
    change_item_form,
    ask_item_change,
    offer_item_change,
    cancel_item_form,
    ask_item_choice,
    address_form,
    offer_address_change,
    confirm_unchanged_address,
    confirm_after_it_shipped,
]


@pytest.mark.parametrize("setup", RUNS, ids=lambda setup: setup.__name__)
def test_an_action_run_selects_the_order_once(use_db, db_url, setup):
    action, tracker = setup(db_url)
    with statements(db_url) as sent:
        result = run(action, tracker)
    assert result.messages or result.events, "the action did nothing: the test proves nothing"
    assert "couldn't verify" not in result.text and "can't reach" not in result.text
    selects = order_selects(sent)
    assert len(selects) == 1, "\n\n".join(selects)
