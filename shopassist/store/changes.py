"""Changes to orders: cancellations, returns and lost parcels. Each call is one transaction
(the caller's session scope), locks the order row, checks the policy, writes the audit log,
and is safe to retry. Changes before packing (lines, address) are in `item_changes`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Dict, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopassist import clock
from shopassist.store import audit, policy
from shopassist.store.models import Order, Refund, Return, ReturnItem
from shopassist.store.orders import WITH_FACTS, load_order, returned_quantities


@dataclass(frozen=True)
class Outcome:
    ok: bool
    reason: str  # a policy reason code, or "not_found", "unchanged", "item_not_found", ...
    fee_cents: int = 0
    refund_cents: int = 0
    rma_number: Optional[str] = None


def utc_now() -> datetime:
    return clock.now()


def locked_order(session: Session, order_id: object) -> Optional[Order]:
    """The order with its lines, its row locked until the transaction ends (PostgreSQL)."""
    return load_order(
        session,
        order_id,
        selectinload(Order.items),
        selectinload(Order.returns),
        for_update=True,
    )


def add_refund(session: Session, order: Order, amount_cents: int, request_key: str) -> Refund:
    """A pending refund to the order's payment method; `request_key` is unique per cause."""
    refund = Refund(
        order=order,
        amount_cents=amount_cents,
        method=order.payment_method,
        state="pending",
        requested_at=utc_now(),
        request_key=request_key,
    )
    session.add(refund)
    return refund


def cancel_order(session: Session, order_id: object, actor: str) -> Outcome:
    """Cancels the whole order if the policy allows; a paid order gets a pending refund."""
    order = locked_order(session, order_id)
    if order is None:
        return Outcome(False, "not_found")
    return cancel_locked_order(session, order, actor)


def cancel_locked_order(session: Session, order: Order, actor: str) -> Outcome:
    """`cancel_order` of an order already loaded by `locked_order`."""
    decision = policy.cancellation(order.status)
    if not decision.allowed:
        return Outcome(False, decision.reason)
    refund_cents = 0
    if order.status != "pending":  # money was taken
        refund_cents = max(0, order.total_cents - decision.fee_cents)
        add_refund(session, order, refund_cents, f"cancel-{order.id}")
    previous = order.status
    order.status = "cancelled"
    audit.record(
        session,
        actor,
        "order.cancel",
        "order",
        order.id,
        {"from": previous, "fee_cents": decision.fee_cents, "refund_cents": refund_cents},
    )
    return Outcome(True, decision.reason, decision.fee_cents, refund_cents)


def evaluate_return(
    session: Session, order_id: object, quantities: Dict[int, int], reason: str, today: date
) -> Outcome:
    """Would a return of `quantities` be authorized today, at what fee and refund?

    The same checks as `start_return`, for offering a return before the customer confirms;
    writes nothing.
    """
    order = load_order(session, order_id, *WITH_FACTS)
    if order is None:
        return Outcome(False, "not_found")
    return check_return(session, order, quantities, reason, today)


def check_return(
    session: Session, order: Order, quantities: Dict[int, int], reason: str, today: date
) -> Outcome:
    """`evaluate_return` of an order already loaded with its lines' products and shipment
    (`WITH_FACTS`)."""
    if not quantities:
        return Outcome(False, "quantity")
    delivered_on = (
        order.shipment.delivered_at.date()
        if order.shipment and order.shipment.delivered_at
        else None
    )
    items = {item.id: item for item in order.items}
    returned = returned_quantities(session, items)
    for item_id, quantity in quantities.items():
        item = items.get(item_id)
        if item is None:
            return Outcome(False, "quantity")
        decision = policy.return_eligibility(
            order.status,
            delivered_on,
            today,
            item.product.returnable,
            item.quantity,
            returned.get(item.id, 0),
            quantity,
            reason,
        )
        if not decision.allowed:
            return Outcome(False, decision.reason)
    fee = policy.return_fee_cents(reason)
    lines = [policy.RefundLine(items[i].unit_price_cents, q) for i, q in quantities.items()]
    return Outcome(True, "ok", fee, policy.refund_amount_cents(lines, reason, fee))


def start_return(
    session: Session,
    order_id: object,
    quantities: Dict[int, int],
    reason: str,
    condition: str,
    request_key: str,
    actor: str,
    today: date,
) -> Outcome:
    """Authorizes a return of `quantities` (order item id -> units) if every line is eligible.

    `request_key` identifies the customer's request (e.g. conversation and turn): the same
    key twice returns the first return instead of creating another.
    """
    existing = session.execute(
        select(Return).where(Return.request_key == request_key)
    ).scalar_one_or_none()
    if existing is not None:
        return Outcome(
            True, "ok", existing.fee_cents, _return_refund(existing), existing.rma_number
        )
    order = locked_order(session, order_id)
    if order is None:
        return Outcome(False, "not_found")
    check = check_return(session, order, quantities, reason, today)
    if not check.ok:
        return check
    items = {item.id: item for item in order.items}
    ret = Return(
        rma_number=f"RMA-{order.id}-{len(order.returns) + 1}",
        order=order,
        reason=reason,
        condition=condition,
        state="authorized",
        fee_cents=check.fee_cents,
        created_at=utc_now(),
        request_key=request_key,
        items=[ReturnItem(order_item=items[i], quantity=q) for i, q in quantities.items()],
    )
    session.add(ret)
    session.flush()
    audit.record(
        session,
        actor,
        "return.create",
        "return",
        ret.rma_number,
        {"order": order.id, "lines": quantities, "reason": reason, "fee_cents": check.fee_cents},
    )
    return Outcome(True, "ok", check.fee_cents, _return_refund(ret), ret.rma_number)


def _return_refund(ret: Return) -> int:
    lines = [policy.RefundLine(i.order_item.unit_price_cents, i.quantity) for i in ret.items]
    return policy.refund_amount_cents(lines, ret.reason, ret.fee_cents)


def request_lost_parcel_refund(
    session: Session, order_id: object, actor: str, today: date
) -> Outcome:
    """Refunds the whole order when the parcel is overdue beyond the grace period.

    Reasons: "ok" (also for a retry: the first refund is returned), "not_found" and those of
    `policy.lost_parcel_refund`.
    """
    order = load_order(session, order_id, selectinload(Order.shipment), for_update=True)
    if order is None:
        return Outcome(False, "not_found")
    key = f"lost-{order.id}"
    existing = session.execute(select(Refund).where(Refund.request_key == key)).scalar_one_or_none()
    if existing is not None:
        return Outcome(True, "ok", refund_cents=existing.amount_cents)
    eta = order.shipment.estimated_delivery if order.shipment else None
    decision = policy.lost_parcel_refund(order.status, eta, today)
    if not decision.allowed:
        return Outcome(False, decision.reason)
    add_refund(session, order, order.total_cents, key)
    previous = order.status
    order.status = "refunded"
    audit.record(
        session,
        actor,
        "order.lost_parcel_refund",
        "order",
        order.id,
        {"from": previous, "estimated_delivery": eta, "refund_cents": order.total_cents},
    )
    return Outcome(True, "ok", refund_cents=order.total_cents)
