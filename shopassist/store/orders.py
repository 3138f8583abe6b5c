"""Order look-ups, behind the identity rule: facts only for the customer who owns the order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Dict, Iterable, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shopassist.formats import money
from shopassist.store.identifiers import normalise_email, normalise_order_id
from shopassist.store.models import Customer, Order, OrderItem, Return, ReturnItem


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
    # The total as a number too, for replies that write it in the customer's locale.
    total_cents: int | None = None
    currency: str = "USD"


@dataclass(frozen=True)
class OrderSummary:
    """One line of a customer's order list."""

    order_id: str
    placed_on: date
    status: str
    total: str
    items: List[str]
    total_cents: int | None = None
    currency: str = "USD"


@dataclass(frozen=True)
class LineView:
    """One order line with what the customer may still change or return."""

    item_id: int
    name: str
    quantity: int
    unit_price: str
    colour: Optional[str]
    size: Optional[str]
    colours: List[str]  # the product's options, for "which colour instead?"
    sizes: List[str]
    returnable: bool  # the product may be returned (hygiene items only when faulty)
    returnable_quantity: int  # units not yet in a return (rejected returns do not count)
    label: str  # as shown to the customer: "1 x Northline Zip Hoodie (navy, M)"


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


def product_label(name: str, *options: Optional[str]) -> str:
    """A product with the options chosen: "Northline Zip Hoodie (navy, M)"."""
    chosen = [option for option in options if option]
    return f"{name} ({', '.join(chosen)})" if chosen else name


def item_label(item: OrderItem) -> str:
    return product_label(item.product.name, item.colour, item.size)


def line_text(quantity: int, name: str, *options: Optional[str]) -> str:
    """How an order line reads everywhere: "1 x Northline Zip Hoodie (navy, M)"."""
    return f"{quantity} x {product_label(name, *options)}"


def describe_item(item: OrderItem, quantity: Optional[int] = None) -> str:
    """`line_text` of an order line; `quantity` overrides the line's own, e.g. for the units
    of a line in a return."""
    units = item.quantity if quantity is None else quantity
    return line_text(units, item.product.name, item.colour, item.size)


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


LOCKED_ORDERS = "locked_orders"  # the key of `Session.info` that holds them


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
    order = session.execute(query).scalar_one_or_none()
    if for_update and order is not None:
        # Held for the transaction: the session keeps its objects only while something
        # refers to them, and a service's refusal is followed by the order's next step,
        # read from the order it locked (`loaded_order_facts`), not selected again.
        session.info.setdefault(LOCKED_ORDERS, []).append(order)
    return order


# What `facts_of` and `lines_of` read of an order, loaded with it: a caller that needs
# several views of one order loads it once with every view's options and passes it along.
WITH_LINES = (selectinload(Order.items).selectinload(OrderItem.product),)
WITH_FACTS = (*WITH_LINES, selectinload(Order.shipment))


def order_facts(session: Session, order_id: object) -> OrderFacts | None:
    """Facts of an order; call only after `verify_owner` said yes."""
    order = load_order(session, order_id, *WITH_FACTS)
    return None if order is None else facts_of(order)


def loaded_order_facts(session: Session, order_id: object) -> OrderFacts | None:
    """`order_facts` of an order a service already locked in `session` (`load_order`),
    without selecting its row again: `Session.get` finds it among the session's objects.
    What it was loaded without (products, shipment) is read on access."""
    number = normalise_order_id(order_id)
    order = None if number is None else session.get(Order, int(number))
    return None if order is None else facts_of(order)


def facts_of(order: Order) -> OrderFacts:
    """`order_facts` of an order loaded `WITH_FACTS`."""
    shipment = order.shipment
    return OrderFacts(
        order_id=str(order.id),
        status=order.status,
        placed_on=order.placed_at.date(),
        total=money(order.total_cents, order.currency),
        items=[describe_item(item) for item in order.items],
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
        estimated_delivery=shipment.estimated_delivery if shipment else None,
        delivered_on=shipment.delivered_at.date() if shipment and shipment.delivered_at else None,
        total_cents=order.total_cents,
        currency=order.currency,
    )


def owner_email(session: Session, order_id: object) -> Optional[str]:
    """The e-mail address of the order's customer, or None for an unknown order."""
    number = normalise_order_id(order_id)
    if number is None:
        return None
    return session.execute(
        select(Customer.email).join(Order).where(Order.id == int(number))
    ).scalar_one_or_none()


def recent_orders(session: Session, email: object, limit: int = 5) -> List[OrderSummary]:
    """The customer's newest orders first; empty for an unknown address.

    Call only for an address the customer proved (a token, or an order that matched).
    """
    address = normalise_email(email)
    if address is None:
        return []
    orders = session.execute(
        select(Order)
        .join(Customer)
        .where(Customer.email == address)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
        .options(selectinload(Order.items).selectinload(OrderItem.product))
    ).scalars()
    return [
        OrderSummary(
            order_id=str(order.id),
            placed_on=order.placed_at.date(),
            status=order.status,
            total=money(order.total_cents, order.currency),
            items=[describe_item(item) for item in order.items],
            total_cents=order.total_cents,
            currency=order.currency,
        )
        for order in orders
    ]


def returned_quantities(session: Session, item_ids: Iterable[int]) -> Dict[int, int]:
    """Units of each order line already in a return that was not rejected."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(ReturnItem.order_item_id, func.sum(ReturnItem.quantity))
        .join(Return)
        .where(ReturnItem.order_item_id.in_(ids), Return.state != "rejected")
        .group_by(ReturnItem.order_item_id)
    ).all()
    return {item_id: int(units) for item_id, units in rows}


def order_lines(session: Session, order_id: object) -> Optional[List[LineView]]:
    """The order's lines, or None for an unknown order; call only after `verify_owner`."""
    order = load_order(session, order_id, *WITH_LINES)
    return None if order is None else lines_of(session, order)


def lines_of(session: Session, order: Order) -> List[LineView]:
    """`order_lines` of an order loaded `WITH_LINES` (reads its lines' returns)."""
    returned = returned_quantities(session, [item.id for item in order.items])
    return [
        LineView(
            item_id=item.id,
            name=item.product.name,
            quantity=item.quantity,
            unit_price=money(item.unit_price_cents, order.currency),
            colour=item.colour,
            size=item.size,
            colours=item.product.colour_options,
            sizes=item.product.size_options,
            returnable=item.product.returnable,
            returnable_quantity=max(0, item.quantity - returned.get(item.id, 0)),
            label=describe_item(item),
        )
        for item in order.items
    ]
