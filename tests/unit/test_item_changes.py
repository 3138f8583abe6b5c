"""Changes before packing (lines, address), lost parcels and return previews: one
transaction each, policy-checked, audited, safe to retry, nothing left behind on failure."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from shopassist.store import policy
from shopassist.store.changes import (
    Outcome,
    evaluate_return,
    request_lost_parcel_refund,
    start_return,
)
from shopassist.store.db import session_scope
from shopassist.store.item_changes import cancel_item, change_address, change_item
from shopassist.store.models import AuditLog, Order, OrderItem, Refund, Return
from tests.conftest import ANCHOR, seeded_postgres, seeded_sqlite
from tests.sql_kit import order_selects, statements

DEMO_ORDERS = frozenset({100234, 100235, 100236, 100310, 100311, 100312, 100400, 100401, 100402})


def pick_order(session, status, fits=lambda order: True):
    """An order of `status` that a test may change: not a demo order, not changed by another
    test yet (no audit rows), and away from both ends of the status list, which other tests
    take ("the first paid order", "the last packed one")."""
    orders = (
        session.execute(select(Order).where(Order.status == status).order_by(Order.id))
        .scalars()
        .all()
    )
    touched = set(
        session.execute(select(AuditLog.entity_id).where(AuditLog.entity == "order")).scalars()
    )
    for order in orders[4:-2]:
        if order.id not in DEMO_ORDERS and str(order.id) not in touched and fits(order):
            return order
    raise AssertionError(f"no untouched {status} order fits")


def several_lines(order):
    return len(order.items) >= 2


def audit_rows(session, order_id):
    return (
        session.execute(
            select(AuditLog).where(AuditLog.entity_id == str(order_id)).order_by(AuditLog.id)
        )
        .scalars()
        .all()
    )


def refunds(session, order_id):
    return session.execute(select(Refund).where(Refund.order_id == order_id)).scalars().all()


# --- removing a line -------------------------------------------------------------------------


def test_removing_a_paid_line_refunds_it_and_reduces_order_and_invoice(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "paid", several_lines)
        order_id, total, lines = order.id, order.total_cents, len(order.items)
        item = order.items[-1]
        item_id, line_cents = item.id, item.quantity * item.unit_price_cents
    with session_scope(db_url) as session:
        assert cancel_item(session, order_id, item_id, "test") == Outcome(True, "ok", 0, line_cents)
    with session_scope(db_url) as session:
        order = session.get(Order, order_id)
        assert order.status == "paid" and len(order.items) == lines - 1
        assert session.get(OrderItem, item_id) is None
        assert order.total_cents == order.invoice.total_cents == total - line_cents
        assert order.invoice.tax_cents == round((total - line_cents) * 8 / 108)
        (refund,) = refunds(session, order_id)
        assert (refund.amount_cents, refund.state) == (line_cents, "pending")
        assert refund.request_key == f"cancel-item-{item_id}"
        assert refund.method == order.payment_method
        (row,) = audit_rows(session, order_id)
        details = json.loads(row.details)
        assert (row.action, row.actor) == ("order_item.cancel", "test")
        assert details["item"] == item_id and details["refund_cents"] == line_cents
    with session_scope(db_url) as session:  # retried: the line is gone, nothing written
        assert cancel_item(session, order_id, item_id, "test") == Outcome(False, "already_removed")
    with session_scope(db_url) as session:
        assert len(refunds(session, order_id)) == 1 and len(audit_rows(session, order_id)) == 1
        assert session.get(Order, order_id).total_cents == total - line_cents


def test_removing_a_packed_line_keeps_the_repacking_fee(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "packed", several_lines)
        order_id, item = order.id, order.items[0]
        item_id, line_cents = item.id, item.quantity * item.unit_price_cents
    fee = policy.CANCELLATION_FEE_PACKED_CENTS
    with session_scope(db_url) as session:
        outcome = cancel_item(session, order_id, item_id, "test")
    assert outcome == Outcome(True, "packed_fee", fee, line_cents - fee)
    with session_scope(db_url) as session:
        (refund,) = refunds(session, order_id)
        assert refund.amount_cents == line_cents - fee
        assert session.get(Order, order_id).status == "packed"


def test_removing_a_pending_line_refunds_nothing(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "pending", several_lines)
        order_id, total, item = order.id, order.total_cents, order.items[0]
        item_id, line_cents = item.id, item.quantity * item.unit_price_cents
    with session_scope(db_url) as session:
        assert cancel_item(session, order_id, item_id, "test") == Outcome(True, "ok", 0, 0)
    with session_scope(db_url) as session:
        order = session.get(Order, order_id)
        assert order.total_cents == total - line_cents and order.invoice is None
        assert refunds(session, order_id) == []


def test_removing_the_only_line_cancels_the_whole_order(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "paid", lambda o: len(o.items) == 1)
        order_id, total, item_id = order.id, order.total_cents, order.items[0].id
    with session_scope(db_url) as session, statements(db_url) as sent:
        assert cancel_item(session, order_id, item_id, "test") == Outcome(
            True, "whole_order", 0, total
        )
    assert len(order_selects(sent)) == 1  # the whole order is cancelled as loaded
    with session_scope(db_url) as session:
        order = session.get(Order, order_id)
        assert order.status == "cancelled" and len(order.items) == 1  # kept for the record
        assert [r.request_key for r in refunds(session, order_id)] == [f"cancel-{order_id}"]
        assert [r.action for r in audit_rows(session, order_id)] == ["order.cancel"]
    with session_scope(db_url) as session:  # retried
        assert cancel_item(session, order_id, item_id, "test").reason == "already_cancelled"
        assert len(refunds(session, order_id)) == 1


def test_removing_a_line_is_refused_once_shipped_or_for_a_wrong_line(db_url):
    with session_scope(db_url) as session:
        shipped = pick_order(session, "shipped", several_lines)
        cancelled = pick_order(session, "cancelled", several_lines)
        pending = pick_order(session, "pending")
        lines = {order.id: len(order.items) for order in (shipped, cancelled, pending)}
        cases = [
            (shipped.id, shipped.items[0].id, "already_shipped"),
            (cancelled.id, cancelled.items[0].id, "already_cancelled"),
            (pending.id, shipped.items[0].id, "item_not_found"),  # a line of another order
            (pending.id, "not a number", "item_not_found"),
            ("999999", shipped.items[0].id, "not_found"),
        ]
    with session_scope(db_url) as session:
        for order_id, item_id, reason in cases:
            assert cancel_item(session, order_id, item_id, "test") == Outcome(False, reason)
    with session_scope(db_url) as session:
        for order_id, count in lines.items():
            assert len(session.get(Order, order_id).items) == count
            assert audit_rows(session, order_id) == []


# --- changing a line -------------------------------------------------------------------------


def test_a_lower_quantity_of_a_paid_line_refunds_the_difference_once(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "paid", lambda o: any(i.quantity >= 2 for i in o.items))
        item = next(i for i in order.items if i.quantity >= 2)
        order_id, total, item_id = order.id, order.total_cents, item.id
        quantity, price = item.quantity, item.unit_price_cents
    with session_scope(db_url) as session:
        outcome = change_item(session, order_id, item_id, "test", quantity=quantity - 1)
    assert outcome == Outcome(True, "ok", refund_cents=price)
    for _ in range(2):  # the same request again, e.g. a retried confirmation
        with session_scope(db_url) as session:
            again = change_item(session, order_id, str(item_id), "test", quantity=quantity - 1)
            assert again == Outcome(True, "unchanged")
    with session_scope(db_url) as session:
        order = session.get(Order, order_id)
        line = session.get(OrderItem, item_id)
        assert line.quantity == quantity - 1 and line.unit_price_cents == price
        assert order.total_cents == order.invoice.total_cents == total - price
        (refund,) = refunds(session, order_id)
        assert refund.amount_cents == price and refund.state == "pending"
        assert refund.request_key == f"reduce-item-{item_id}-to-{quantity - 1}"
        (row,) = audit_rows(session, order_id)
        assert row.action == "order_item.change"
        details = json.loads(row.details)
        assert details["from"] == {"quantity": quantity}
        assert details["to"] == {"quantity": quantity - 1}


def _sized(order):
    return any(i.product.size_options and len(i.product.colour_options) >= 2 for i in order.items)


def test_colour_and_size_change_keeps_the_price(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "pending", _sized)
        item = next(
            i for i in order.items if i.product.size_options and len(i.product.colour_options) >= 2
        )
        order_id, total, item_id = order.id, order.total_cents, item.id
        old = (item.colour, item.size, item.unit_price_cents)
        colour = next(c for c in item.product.colour_options if c != item.colour)
        size = next(s for s in item.product.size_options if s != item.size)
    with session_scope(db_url) as session:  # typed in any case
        outcome = change_item(
            session, order_id, item_id, "test", colour=colour.upper(), size=size.lower()
        )
    assert outcome == Outcome(True, "ok")
    with session_scope(db_url) as session:
        line = session.get(OrderItem, item_id)
        assert (line.colour, line.size, line.unit_price_cents) == (colour, size, old[2])
        assert session.get(Order, order_id).total_cents == total
        assert refunds(session, order_id) == []
        (row,) = audit_rows(session, order_id)
        details = json.loads(row.details)
        assert details["from"] == {"colour": old[0], "size": old[1]}
        assert details["to"] == {"colour": colour, "size": size}
    with session_scope(db_url) as session:
        assert change_item(session, order_id, item_id, "test", colour=colour).reason == "unchanged"
        assert len(audit_rows(session, order_id)) == 1


def test_item_changes_are_refused_with_a_reason_and_write_nothing(db_url):
    with session_scope(db_url) as session:
        paid = pick_order(session, "paid", lambda o: any(not i.product.sizes for i in o.items))
        line = next(i for i in paid.items if not i.product.sizes)
        packed, cancelled = pick_order(session, "packed"), pick_order(session, "cancelled")
        before = (paid.total_cents, line.quantity, line.colour, line.size)
        paid_id, item_id = paid.id, line.id
        packed_id, packed_item = packed.id, packed.items[0].id
        cancelled_id, cancelled_item = cancelled.id, cancelled.items[0].id
    cases = [
        (paid_id, item_id, {"quantity": before[1] + 1}, "quantity_up"),
        (paid_id, item_id, {"quantity": 0}, "quantity"),
        (paid_id, item_id, {"quantity": "lots"}, "quantity"),
        (paid_id, item_id, {"colour": "purple"}, "colour_unavailable"),
        (paid_id, item_id, {"size": "M"}, "size_unavailable"),  # a product without sizes
        (paid_id, packed_item, {"colour": "black"}, "item_not_found"),  # another order's line
        (packed_id, packed_item, {"colour": "purple"}, "past_cutoff"),
        (cancelled_id, cancelled_item, {"colour": "purple"}, "cancelled"),
        ("999999", item_id, {"quantity": 1}, "not_found"),
    ]
    with session_scope(db_url) as session:
        for order_id, line_id, change, reason in cases:
            outcome = change_item(session, order_id, line_id, "test", **change)
            assert outcome == Outcome(False, reason), (change, reason)
        assert change_item(session, paid_id, item_id, "test") == Outcome(True, "unchanged")
    with session_scope(db_url) as session:
        line = session.get(OrderItem, item_id)
        order = session.get(Order, paid_id)
        assert (order.total_cents, line.quantity, line.colour, line.size) == before
        for order_id in (paid_id, packed_id, cancelled_id):
            assert audit_rows(session, order_id) == []
        assert refunds(session, paid_id) == []


# --- the shipping address --------------------------------------------------------------------


def test_address_changes_before_packing_once(db_url):
    with session_scope(db_url) as session:
        order_id = pick_order(session, "paid", lambda o: o.ship_country != "FR").id
    new = ("12  Rue de Rivoli", "Paris", "75004", "fr")
    with session_scope(db_url) as session:
        assert change_address(session, order_id, *new, "test") == Outcome(True, "ok")
    with session_scope(db_url) as session:  # retried
        assert change_address(session, order_id, *new, "test") == Outcome(True, "unchanged")
    with session_scope(db_url) as session:
        order = session.get(Order, order_id)
        assert (order.ship_line1, order.ship_city, order.ship_postcode, order.ship_country) == (
            "12 Rue de Rivoli",
            "Paris",
            "75004",
            "FR",
        )
        (row,) = audit_rows(session, order_id)
        details = json.loads(row.details)
        assert row.action == "order.address_change" and details["to"]["country"] == "FR"
        assert details["from"]["country"] != "FR"


def test_address_changes_are_refused_with_a_reason_and_write_nothing(db_url):
    with session_scope(db_url) as session:
        pending = pick_order(session, "pending")
        packed, cancelled = pick_order(session, "packed"), pick_order(session, "cancelled")
        before = (pending.ship_line1, pending.ship_city, pending.ship_country)
        ids = pending.id, packed.id, cancelled.id
    cases = [
        (ids[1], ("1 Main Street", "Austin", "73301", "US"), "past_cutoff"),
        (ids[2], ("1 Main Street", "Austin", "73301", "US"), "cancelled"),
        (ids[0], ("1-2-3 Ginza", "Tokyo", "104-0061", "JP"), "country_not_served"),
        (ids[0], ("1 Main Street", " ", "73301", "US"), "address_invalid"),
        (ids[0], ("1 Main Street", "Austin", "73301", "USA"), "address_invalid"),
        ("999999", ("1 Main Street", "Austin", "73301", "US"), "not_found"),
    ]
    with session_scope(db_url) as session:
        for order_id, address, reason in cases:
            assert change_address(session, order_id, *address, "test") == Outcome(False, reason)
    with session_scope(db_url) as session:
        order = session.get(Order, ids[0])
        assert (order.ship_line1, order.ship_city, order.ship_country) == before
        assert all(audit_rows(session, order_id) == [] for order_id in ids)


# --- lost parcels ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_db_url(db_url, tmp_path_factory):
    """A database of this module's own, on `db_url`'s engine. A refunded lost parcel is a
    refunded order without a return, which tests of returns assume never exists."""
    if db_url.startswith("sqlite"):
        yield seeded_sqlite(tmp_path_factory)
    else:
        yield from seeded_postgres()


def test_a_lost_parcel_is_refunded_after_the_grace_period_once(own_db_url):
    db_url = own_db_url
    with session_scope(db_url) as session:
        order = pick_order(session, "shipped")
        order_id, total, eta = order.id, order.total_cents, order.shipment.estimated_delivery
    last_wait = eta + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS)
    with session_scope(db_url) as session:
        waiting = request_lost_parcel_refund(session, order_id, "test", last_wait)
        assert waiting == Outcome(False, "in_transit")
    with session_scope(db_url) as session:
        outcome = request_lost_parcel_refund(session, order_id, "test", last_wait + timedelta(1))
    assert outcome == Outcome(True, "ok", refund_cents=total)
    with session_scope(db_url) as session:  # retried: the same refund, nothing new
        again = request_lost_parcel_refund(session, order_id, "test", last_wait + timedelta(2))
        assert again == outcome
    with session_scope(db_url) as session:
        assert session.get(Order, order_id).status == "refunded"
        (refund,) = refunds(session, order_id)
        assert (refund.amount_cents, refund.state, refund.request_key) == (
            total,
            "pending",
            f"lost-{order_id}",
        )
        (row,) = audit_rows(session, order_id)
        assert row.action == "order.lost_parcel_refund"
        assert json.loads(row.details)["from"] == "shipped"


def test_lost_parcel_refunds_are_refused_with_a_reason(db_url):
    with session_scope(db_url) as session:
        ids = {
            status: pick_order(session, status).id
            for status in ("delivered", "paid", "cancelled", "refunded", "partially_returned")
        }
    expected = {
        "delivered": "delivered",
        "partially_returned": "delivered",
        "paid": "not_shipped",
        "cancelled": "cancelled",
        "refunded": "already_refunded",
    }
    with session_scope(db_url) as session:
        for status, order_id in ids.items():
            outcome = request_lost_parcel_refund(session, order_id, "t", ANCHOR + timedelta(60))
            assert outcome == Outcome(False, expected[status])
        assert request_lost_parcel_refund(session, "999999", "t", ANCHOR).reason == "not_found"
    with session_scope(db_url) as session:
        assert all(audit_rows(session, order_id) == [] for order_id in ids.values())
        lost = session.execute(select(Refund).where(Refund.request_key.like("lost-%")))
        assert {r.order_id for r in lost.scalars()}.isdisjoint(ids.values())


# --- return previews -------------------------------------------------------------------------


def _returnable_recently(order):
    """Delivered 21-29 days ago (test_changes takes the first one within 20), all returnable."""
    age = (ANCHOR - order.shipment.delivered_at.date()).days
    return 21 <= age <= 29 and all(i.product.returnable for i in order.items) and not order.returns


def test_a_return_is_previewed_without_writing_and_started_with_the_same_figures(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "delivered", _returnable_recently)
        order_id, item = order.id, order.items[0]
        item_id, quantity, price = item.id, item.quantity, item.unit_price_cents
    fee = policy.RETURN_SHIPPING_FEE_CENTS
    with session_scope(db_url) as session:
        preview = evaluate_return(session, order_id, {item_id: 1}, "changed_mind", ANCHOR)
        assert preview == Outcome(True, "ok", fee, max(0, price - fee))
        assert evaluate_return(session, order_id, {item_id: 1}, "damaged", ANCHOR) == Outcome(
            True, "ok", 0, price
        )
        late = ANCHOR + timedelta(days=30)
        refusals = [
            (order_id, {item_id: quantity + 1}, "changed_mind", ANCHOR, "quantity"),
            (order_id, {}, "changed_mind", ANCHOR, "quantity"),
            (order_id, {item_id: 1}, "bored", ANCHOR, "unknown_reason"),
            (order_id, {item_id: 1}, "changed_mind", late, "window_closed"),
            ("999999", {item_id: 1}, "changed_mind", ANCHOR, "not_found"),
        ]
        for args in refusals:
            assert evaluate_return(session, *args[:4]) == Outcome(False, args[4]), args
    with session_scope(db_url) as session:
        assert session.execute(select(Return).where(Return.order_id == order_id)).all() == []
        assert audit_rows(session, order_id) == []
    with session_scope(db_url) as session:
        started = start_return(
            session,
            order_id,
            {item_id: 1},
            "changed_mind",
            "unopened",
            f"preview-{order_id}",
            "test",
            ANCHOR,
        )
    assert (started.ok, started.fee_cents, started.refund_cents) == (
        True,
        fee,
        preview.refund_cents,
    )
    with session_scope(db_url) as session:  # the return now counts against the line
        again = evaluate_return(session, order_id, {item_id: quantity}, "changed_mind", ANCHOR)
        assert again == Outcome(False, "quantity")


# --- failures --------------------------------------------------------------------------------


def test_a_failure_mid_change_leaves_nothing_behind(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "paid", several_lines)
        order_id, item_id = order.id, order.items[0].id
        before = (order.total_cents, order.invoice.total_cents, len(order.items), order.ship_city)
    with pytest.raises(RuntimeError):
        with session_scope(db_url) as session:
            assert cancel_item(session, order_id, item_id, "test").ok
            assert change_address(
                session, order_id, "1 Main Street", "Austin", "73301", "US", "t"
            ).ok
            session.flush()  # written to the database, not yet committed
            raise RuntimeError("the connection dropped before commit")
    with session_scope(db_url) as session:
        order = session.get(Order, order_id)
        after = (order.total_cents, order.invoice.total_cents, len(order.items), order.ship_city)
        assert after == before and session.get(OrderItem, item_id) is not None
        assert audit_rows(session, order_id) == [] and refunds(session, order_id) == []
