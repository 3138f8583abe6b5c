"""One read of the order per action run: every statement an action sends to the real engine
is recorded, and each answer about an order (status, returns, payments, changes, the
identity check) selects the order's row once, however many views of it the answer needs."""

from __future__ import annotations

import contextlib
import re
from typing import Callable, Iterator, List

import pytest
from sqlalchemy import event

from actions.cancellations import ActionOfferCancellation, ActionOfferItemCancellation
from actions.changes import ActionAskItemChange, ActionOfferItemChange, ValidateChangeItemForm
from actions.identity import ValidateOrderLookupForm
from actions.order_lines import ActionAskReturnItems
from actions.orders import ActionOrderStatus
from actions.payments import ActionCheckPayment, ActionSendInvoice
from actions.returns import ActionOfferReturn, ActionReturnStatus, ValidateReturnForm
from shopassist.store.db import get_engine, session_scope
from shopassist.store.orders import order_lines
from tests.actions_kit import make_tracker, orders_with_status, run, verified

# A statement that reads the orders table (by itself or joined), not order_items etc.
READS_ORDERS = re.compile(r"\b(?:FROM|JOIN)\s+orders\b", re.IGNORECASE)


@contextlib.contextmanager
def statements(db_url: str) -> Iterator[List[str]]:
    """The SQL statements sent to the database while the block runs."""
    sent: List[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = get_engine(db_url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def order_selects(sent: List[str]) -> List[str]:
    return [s for s in sent if s.lstrip().upper().startswith("SELECT") and READS_ORDERS.search(s)]


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
