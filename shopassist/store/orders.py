"""Order look-ups, behind the identity rule: facts only for the customer who owns the order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shopassist.store.identifiers import normalise_email, normalise_order_id
from shopassist.store.models import Customer, Order


@dataclass(frozen=True)
class OrderFacts:
    """What the assistant may tell the verified owner about an order."""

    order_id: str
    status: str
    placed_on: date
    total: str
    items: List[str]
    carrier: str | None = None
    tracking_number: str | None = None
    estimated_delivery: date | None = None
    delivered_on: date | None = None


STATUS_LABELS = {
    "pending": "pending payment",
    "paid": "paid, waiting to be packed",
    "packed": "packed, waiting for the carrier",
    "shipped": "shipped",
    "out_for_delivery": "out for delivery",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "partially_returned": "delivered, partly returned",
    "refunded": "refunded",
}


def format_money(cents: int, currency: str = "USD") -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    return f"{symbol}{cents / 100:,.2f}"


def verify_owner(session: Session, order_id: object, email: object) -> bool:
    """True only when the order exists and belongs to the e-mail address.

    Callers must answer a False the same way whether the order or the address is unknown,
    so that nobody can probe which orders or customers exist.
    """
    number, address = normalise_order_id(order_id), normalise_email(email)
    if number is None or address is None:
        return False
    owner = session.execute(
        select(Customer.email).join(Order).where(Order.id == int(number))
    ).scalar_one_or_none()
    return owner is not None and owner == address


def load_order(
    session: Session, order_id: object, *options, for_update: bool = False
) -> Order | None:
    """The order named in any common form (`#100234`, `ORD-100234`), or None.

    `options` are loader options for what the caller reads next; `for_update` locks the row
    so that two conversations changing one order wait for each other (PostgreSQL).
    """
    number = normalise_order_id(order_id)
    if number is None:
        return None
    query = select(Order).where(Order.id == int(number)).options(*options)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def order_facts(session: Session, order_id: object) -> OrderFacts | None:
    """Facts of an order; call only after `verify_owner` said yes."""
    order = load_order(session, order_id, selectinload(Order.items), selectinload(Order.shipment))
    if order is None:
        return None
    shipment = order.shipment
    return OrderFacts(
        order_id=str(order.id),
        status=order.status,
        placed_on=order.placed_at.date(),
        total=format_money(order.total_cents, order.currency),
        items=[f"{item.quantity} x {item.product.name}" for item in order.items],
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
        estimated_delivery=shipment.estimated_delivery if shipment else None,
        delivered_on=shipment.delivered_at.date() if shipment and shipment.delivered_at else None,
    )
