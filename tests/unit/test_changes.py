"""Cancellations and returns: one transaction each, policy-checked, audited, idempotent."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shopassist.store.changes import cancel_order, start_return
from shopassist.store.db import session_scope
from shopassist.store.models import AuditLog, Order, Refund, Return
from shopassist.store.policy import CANCELLATION_FEE_PACKED_CENTS
from tests.conftest import ANCHOR


def first_order(session, status):
    return (
        session.execute(select(Order).where(Order.status == status).order_by(Order.id))
        .scalars()
        .first()
    )


def audit_rows(session, entity_id):
    return (
        session.execute(select(AuditLog).where(AuditLog.entity_id == str(entity_id)))
        .scalars()
        .all()
    )


def test_paid_order_is_cancelled_with_full_refund_and_audit(db_url):
    with session_scope(db_url) as session:
        order = first_order(session, "paid")
        order_id, total = order.id, order.total_cents
    with session_scope(db_url) as session:
        outcome = cancel_order(session, order_id, "test")
    assert outcome.ok and outcome.fee_cents == 0 and outcome.refund_cents == total
    with session_scope(db_url) as session:
        assert session.get(Order, order_id).status == "cancelled"
        (row,) = audit_rows(session, order_id)
        assert row.action == "order.cancel" and json.loads(row.details)["from"] == "paid"
    with session_scope(db_url) as session:  # retried: no second refund, no second audit row
        assert cancel_order(session, order_id, "test").reason == "already_cancelled"
        refunds = session.execute(select(func.count(Refund.id)).where(Refund.order_id == order_id))
        assert refunds.scalar_one() == 1 and len(audit_rows(session, order_id)) == 1


def test_packed_order_costs_the_fee_and_shipped_cannot_be_cancelled(db_url):
    with session_scope(db_url) as session:
        packed, shipped = first_order(session, "packed").id, first_order(session, "shipped").id
    with session_scope(db_url) as session:
        outcome = cancel_order(session, packed, "test")
        assert outcome.ok and outcome.fee_cents == CANCELLATION_FEE_PACKED_CENTS
        refused = cancel_order(session, shipped, "test")
        assert not refused.ok and refused.reason == "already_shipped"
    with session_scope(db_url) as session:
        assert session.get(Order, shipped).status == "shipped"
        assert audit_rows(session, shipped) == []


def delivered_order(session, max_days_ago):
    """A delivered order, delivered at most `max_days_ago` days before the anchor."""
    for order in session.execute(
        select(Order).where(Order.status == "delivered").order_by(Order.id)
    ).scalars():
        age = (ANCHOR - order.shipment.delivered_at.date()).days
        if age <= max_days_ago and all(item.product.returnable for item in order.items):
            return order
    raise AssertionError("no such order in the seed")


def test_return_is_authorized_once_per_request(db_url):
    with session_scope(db_url) as session:
        order = delivered_order(session, 20)
        order_id, item = order.id, order.items[0]
        item_id, price = item.id, item.unit_price_cents
    with session_scope(db_url) as session:
        first = start_return(
            session, order_id, {item_id: 1}, "damaged", "opened", "req-1", "test", ANCHOR
        )
    with session_scope(db_url) as session:
        again = start_return(
            session, order_id, {item_id: 1}, "damaged", "opened", "req-1", "test", ANCHOR
        )
    assert first.ok and first == again and first.rma_number.startswith(f"RMA-{order_id}-")
    assert first.fee_cents == 0 and first.refund_cents == price
    with session_scope(db_url) as session:
        returns = session.execute(select(Return).where(Return.order_id == order_id)).scalars().all()
        assert len(returns) == 1 and returns[0].state == "authorized"
        assert [r.action for r in audit_rows(session, first.rma_number)] == ["return.create"]


def test_returns_outside_the_window_or_of_others_items_are_refused(db_url):
    with session_scope(db_url) as session:
        old = next(
            o
            for o in session.execute(select(Order).where(Order.status == "delivered")).scalars()
            if o.shipment.delivered_at.date() < ANCHOR - timedelta(days=31)
        )
        other = first_order(session, "shipped")
        old_id, old_item, other_id = old.id, old.items[0].id, other.id
    with session_scope(db_url) as session:
        late = start_return(
            session, old_id, {old_item: 1}, "changed_mind", "unopened", "r2", "t", ANCHOR
        )
        assert late.reason == "window_closed"
        foreign = start_return(
            session, other_id, {old_item: 1}, "changed_mind", "unopened", "r3", "t", ANCHOR
        )
        assert foreign.reason == "quantity"
        assert (
            start_return(session, "999999", {1: 1}, "damaged", "opened", "r4", "t", ANCHOR).reason
            == "not_found"
        )
    with session_scope(db_url) as session:
        assert (
            session.execute(select(Return).where(Return.request_key.in_(["r2", "r3", "r4"]))).all()
            == []
        )


def test_a_failure_mid_change_leaves_nothing_behind(db_url):
    with session_scope(db_url) as session:
        order_id = first_order(session, "paid").id
    with pytest.raises(RuntimeError):
        with session_scope(db_url) as session:
            assert cancel_order(session, order_id, "test").ok
            raise RuntimeError("the connection dropped before commit")
    with session_scope(db_url) as session:
        assert session.get(Order, order_id).status == "paid"
        assert audit_rows(session, order_id) == []
