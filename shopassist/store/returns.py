"""Read-only views of returns and refunds, for the verified owner of an order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List, Optional

from sqlalchemy.orm import Session, selectinload

from shopassist.formats import money
from shopassist.store import policy
from shopassist.store.models import Order, Return
from shopassist.store.orders import describe_item, load_order

RETURN_STATES = {
    "authorized": "authorized, waiting for the parcel to reach us",
    "received": "received, the refund is being prepared",
    "refunded": "completed and refunded",
    "rejected": "rejected",
}


@dataclass(frozen=True)
class RefundView:
    amount: str
    method: str
    state: str  # pending | issued
    issued_on: Optional[date]
    due_by: Optional[date]  # for a pending refund of a received return
    amount_cents: Optional[int] = None  # for replies that write it in the customer's locale


@dataclass(frozen=True)
class ReturnView:
    rma_number: str
    state: str
    items: List[str]
    refund: Optional[RefundView]


@dataclass(frozen=True)
class OrderRefunds:
    returns: List[ReturnView]
    other_refunds: List[RefundView]  # refunds without a return, e.g. after a cancellation


def _refund_view(refund, received_on: Optional[date]) -> RefundView:
    due = policy.refund_due_by(received_on) if refund.state != "issued" and received_on else None
    return RefundView(
        amount=money(refund.amount_cents),
        method=refund.method.replace("_", " "),
        state=refund.state,
        issued_on=refund.issued_at.date() if refund.issued_at else None,
        due_by=due,
        amount_cents=refund.amount_cents,
    )


# What `refunds_of` reads of an order, loaded with it.
WITH_REFUNDS = (selectinload(Order.returns).selectinload(Return.items), selectinload(Order.refunds))


def order_refunds(session: Session, order_id: object) -> Optional[OrderRefunds]:
    """Returns and refunds of an order; call only after the identity check."""
    order = load_order(session, order_id, *WITH_REFUNDS)
    return None if order is None else refunds_of(order)


def refunds_of(order: Order) -> OrderRefunds:
    """`order_refunds` of an order loaded `WITH_REFUNDS`."""
    returns = []
    for ret in order.returns:
        received = ret.received_at.date() if ret.received_at else None
        returns.append(
            ReturnView(
                rma_number=ret.rma_number,
                state=ret.state,
                items=[describe_item(i.order_item, i.quantity) for i in ret.items],
                refund=_refund_view(ret.refund, received) if ret.refund else None,
            )
        )
    others = [_refund_view(r, None) for r in order.refunds if r.return_id is None]
    return OrderRefunds(returns=returns, other_refunds=others)
