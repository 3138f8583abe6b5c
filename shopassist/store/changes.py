"""Changes to orders: cancellations and returns. Each call is one transaction (the caller's
session scope), checks the policy, writes the audit log, and is safe to retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Dict, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopassist.store import audit, policy
from shopassist.store.models import Order, OrderItem, Refund, Return, ReturnItem
from shopassist.store.orders import load_order


@dataclass(frozen=True)
class Outcome:
    ok: bool
    reason: str  # a policy reason code, or "not_found"
    fee_cents: int = 0
    refund_cents: int = 0
    rma_number: Optional[str] = None


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _locked_order(session: Session, order_id: object) -> Optional[Order]:
    return load_order(
        session,
        order_id,
        selectinload(Order.items),
        selectinload(Order.returns),
        for_update=True,
    )


def cancel_order(session: Session, order_id: object, actor: str) -> Outcome:
    """Cancels the whole order if the policy allows; a paid order gets a pending refund."""
    order = _locked_order(session, order_id)
    if order is None:
        return Outcome(False, "not_found")
    decision = policy.cancellation(order.status)
    if not decision.allowed:
        return Outcome(False, decision.reason)
    refund_cents = 0
    if order.status != "pending":  # money was taken
        refund_cents = max(0, order.total_cents - decision.fee_cents)
        session.add(
            Refund(
                order=order,
                amount_cents=refund_cents,
                method=order.payment_method,
                state="pending",
                requested_at=_now(),
                request_key=f"cancel-{order.id}",
            )
        )
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
    order = _locked_order(session, order_id)
    if order is None:
        return Outcome(False, "not_found")
    if not quantities:
        return Outcome(False, "quantity")
    delivered_on = (
        order.shipment.delivered_at.date()
        if order.shipment and order.shipment.delivered_at
        else None
    )
    items = {item.id: item for item in order.items}
    fee = policy.return_fee_cents(reason)
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
            _already_returned(session, item),
            quantity,
            reason,
        )
        if not decision.allowed:
            return Outcome(False, decision.reason)
    ret = Return(
        rma_number=f"RMA-{order.id}-{len(order.returns) + 1}",
        order=order,
        reason=reason,
        condition=condition,
        state="authorized",
        fee_cents=fee,
        created_at=_now(),
        request_key=request_key,
        items=[ReturnItem(order_item=items[i], quantity=q) for i, q in quantities.items()],
    )
    session.add(ret)
    session.flush()
    refund = _return_refund(ret)
    audit.record(
        session,
        actor,
        "return.create",
        "return",
        ret.rma_number,
        {"order": order.id, "lines": quantities, "reason": reason, "fee_cents": fee},
    )
    return Outcome(True, "ok", fee, refund, ret.rma_number)


def _already_returned(session: Session, item: OrderItem) -> int:
    rows = session.execute(
        select(ReturnItem.quantity)
        .join(Return)
        .where(ReturnItem.order_item_id == item.id, Return.state != "rejected")
    ).scalars()
    return sum(rows)


def _return_refund(ret: Return) -> int:
    lines = [policy.RefundLine(i.order_item.unit_price_cents, i.quantity) for i in ret.items]
    return policy.refund_amount_cents(lines, ret.reason, ret.fee_cents)
