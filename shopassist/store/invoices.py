"""Invoices, for the verified owner of an order: what was billed, line by line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List, Optional

from sqlalchemy.orm import Session, selectinload

from shopassist import formats
from shopassist.store.models import Order
from shopassist.store.orders import WITH_LINES, item_label, load_order

WITH_INVOICE = (*WITH_LINES, selectinload(Order.invoice))  # what `invoice_of` reads


@dataclass(frozen=True)
class InvoiceLine:
    description: str  # the product with the options chosen
    quantity: int
    amount: str  # quantity x unit price


@dataclass(frozen=True)
class InvoiceView:
    number: str
    issued_on: date
    lines: List[InvoiceLine]
    shipping: str
    tax: str  # included in the total
    total: str
    payment_method: str


@dataclass(frozen=True)
class InvoiceLookup:
    """`order_status` is None when there is no such order; `invoice` is None when the order
    has no invoice yet (pending orders are invoiced once paid)."""

    order_status: Optional[str]
    invoice: Optional[InvoiceView]


def find_invoice(session: Session, order_id: object, language: str = "en") -> InvoiceLookup:
    """The invoice of an order, telling "no such order" from "not invoiced yet".

    Call only after `verify_owner`.
    """
    order = load_order(session, order_id, *WITH_INVOICE)
    if order is None:
        return InvoiceLookup(None, None)
    return InvoiceLookup(order.status, invoice_of(order, language))


def invoice_view(session: Session, order_id: object) -> Optional[InvoiceView]:
    """The invoice, or None when the order is unknown or not invoiced yet (`find_invoice`
    tells which)."""
    return find_invoice(session, order_id).invoice


def invoice_of(order: Order, language: str = "en") -> Optional[InvoiceView]:
    """The invoice of an order loaded `WITH_INVOICE`, or None before it is invoiced; its
    amounts written in `language`'s locale."""
    invoice, currency = order.invoice, order.currency
    if invoice is None:
        return None

    def money(cents: int, currency: str) -> str:
        return formats.money(cents, currency, language)

    return InvoiceView(
        number=invoice.number,
        issued_on=invoice.issued_at.date(),
        lines=[
            InvoiceLine(
                item_label(item),
                item.quantity,
                money(item.quantity * item.unit_price_cents, currency),
            )
            for item in order.items
        ],
        shipping=money(order.shipping_cents, currency),
        tax=money(invoice.tax_cents, currency),
        total=money(invoice.total_cents, currency),
        payment_method=order.payment_method.replace("_", " "),
    )
