"""Changes before the order is packed: remove a line, change a line's quantity, colour or
size, or ship to another address. Same conventions as `changes`: one transaction in the
caller's session scope, the order row locked, the policy checked, the audit log written in
the same transaction, and a retry changes nothing twice."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist.store import audit, policy
from shopassist.store.changes import Outcome, add_refund, cancel_locked_order, locked_order
from shopassist.store.models import AuditLog, Order, OrderItem
from shopassist.store.orders import describe_item

# The columns' lengths: PostgreSQL refuses longer values, SQLite would store them.
ADDRESS_LIMITS = {"line1": 120, "city": 80, "postcode": 20, "country": 2}


def _as_int(value: object) -> Optional[int]:
    """An integer from what a slot may hold (2, 2.0, "2"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _line(order: Order, item_id: object) -> Optional[OrderItem]:
    wanted = _as_int(item_id)
    return next((item for item in order.items if item.id == wanted), None)


def _locked_line(
    session: Session, order_id: object, item_id: object
) -> Tuple[Order, OrderItem] | str:
    """The order, locked, and its line `item_id`; else why not: "not_found" (no such
    order), "already_removed" (the line was removed before: a retry) or "item_not_found"."""
    order = locked_order(session, order_id)
    if order is None:
        return "not_found"
    item = _line(order, item_id)
    return (order, item) if item is not None else _missing_line_reason(session, order, item_id)


def _missing_line_reason(session: Session, order: Order, item_id: object) -> str:
    """Why the line is not in the order: "already_removed" when it was removed before (a
    retry), else "item_not_found". Every removal is in the audit log, so it knows."""
    wanted = _as_int(item_id)
    removals = session.execute(
        select(AuditLog.details).where(
            AuditLog.action == "order_item.cancel",
            AuditLog.entity == "order",
            AuditLog.entity_id == str(order.id),
        )
    ).scalars()
    if any(json.loads(details).get("item") == wanted for details in removals):
        return "already_removed"
    return "item_not_found"


def _reduce_total(order: Order, cents: int) -> None:
    """The order and its invoice lose `cents` of goods; the tax is recomputed.

    Shipping stays as charged: an order that drops below the free-shipping threshold is not
    charged shipping after the fact.
    """
    order.total_cents -= cents
    if order.invoice is not None:
        order.invoice.total_cents -= cents
        order.invoice.tax_cents = policy.included_tax_cents(order.invoice.total_cents)


def cancel_item(session: Session, order_id: object, item_id: object, actor: str) -> Outcome:
    """Removes one line before shipping, per `policy.cancellation` (the fee once packed).

    The only line cancels the whole order instead (reason "whole_order"). Money taken for
    the line comes back as a pending refund, less the fee. Reasons: "ok", "packed_fee",
    "whole_order", "not_found", "item_not_found", "already_removed" (a retry: nothing
    written), "already_shipped", "already_cancelled".
    """
    found = _locked_line(session, order_id, item_id)
    if isinstance(found, str):
        return Outcome(False, found)
    order, item = found
    decision = policy.cancellation(order.status)
    if not decision.allowed:
        return Outcome(False, decision.reason)
    if len(order.items) == 1:  # nothing would be left to send
        return replace(cancel_locked_order(session, order, actor), reason="whole_order")
    line_cents = item.quantity * item.unit_price_cents
    refund_cents = 0
    if order.status != "pending":  # money was taken
        refund_cents = max(0, line_cents - decision.fee_cents)
        add_refund(session, order, refund_cents, f"cancel-item-{item.id}")
    _reduce_total(order, line_cents)
    details = {
        "item": item.id,
        "line": describe_item(item),
        "status": order.status,
        "fee_cents": decision.fee_cents,
        "refund_cents": refund_cents,
    }
    order.items.remove(item)
    session.delete(item)
    audit.record(session, actor, "order_item.cancel", "order", order.id, details)
    return Outcome(True, decision.reason, decision.fee_cents, refund_cents)


def _option(text: object, options: List[str]) -> str:
    """The product's own spelling of an option typed in any case ("m" -> "M")."""
    typed = " ".join(str(text).split())
    return next((option for option in options if option.lower() == typed.lower()), typed)


def _wanted(item: OrderItem, quantity: object, colour: object, size: object) -> Dict[str, object]:
    """What the customer asked for that differs from the line now."""
    wanted: Dict[str, object] = {}
    if quantity is not None:
        wanted["quantity"] = _as_int(quantity)
    if colour is not None:
        wanted["colour"] = _option(colour, item.product.colour_options)
    if size is not None:
        wanted["size"] = _option(size, item.product.size_options)
    return {field: value for field, value in wanted.items() if value != getattr(item, field)}


def _refusal(item: OrderItem, wanted: Dict[str, object]) -> Optional[str]:
    if "quantity" in wanted:
        quantity = wanted["quantity"]
        if quantity is None or quantity < 1:  # removing the line is `cancel_item`
            return "quantity"
        if quantity > item.quantity:  # more units are a new order: price and stock differ
            return "quantity_up"
    if "colour" in wanted and wanted["colour"] not in item.product.colour_options:
        return "colour_unavailable"
    if "size" in wanted and wanted["size"] not in item.product.size_options:
        return "size_unavailable"
    return None


def change_item(
    session: Session,
    order_id: object,
    item_id: object,
    actor: str,
    quantity: object = None,
    colour: object = None,
    size: object = None,
) -> Outcome:
    """Lowers a line's quantity or switches its colour or size, per `policy.item_change`.

    The price stays. A lower quantity of a paid order refunds the difference (pending
    refund, keyed by line and new quantity: a retry does not refund twice). Reasons: "ok",
    "unchanged" (nothing asked, or already so: nothing written), "not_found",
    "item_not_found", "already_removed", "cancelled", "past_cutoff", "quantity" (below 1),
    "quantity_up", "colour_unavailable", "size_unavailable".
    """
    found = _locked_line(session, order_id, item_id)
    if isinstance(found, str):
        return Outcome(False, found)
    order, item = found
    wanted = _wanted(item, quantity, colour, size)
    if not wanted:
        return Outcome(True, "unchanged")
    decision = policy.item_change(order.status)
    if not decision.allowed:
        return Outcome(False, decision.reason)
    refusal = _refusal(item, wanted)
    if refusal is not None:
        return Outcome(False, refusal)
    before = {field: getattr(item, field) for field in wanted}
    refund_cents = 0
    if "quantity" in wanted:
        cents = (item.quantity - wanted["quantity"]) * item.unit_price_cents
        _reduce_total(order, cents)
        if order.status != "pending":  # money was taken
            refund_cents = cents
            add_refund(session, order, cents, f"reduce-item-{item.id}-to-{wanted['quantity']}")
    for field, value in wanted.items():
        setattr(item, field, value)
    audit.record(
        session,
        actor,
        "order_item.change",
        "order",
        order.id,
        {"item": item.id, "from": before, "to": wanted, "refund_cents": refund_cents},
    )
    return Outcome(True, decision.reason, refund_cents=refund_cents)


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def change_address(
    session: Session,
    order_id: object,
    line1: str,
    city: str,
    postcode: str,
    country: str,
    actor: str,
) -> Outcome:
    """Ships the order to another address while the policy allows (until it is packed).

    `country` is an ISO code of `policy.SHIPPING_COUNTRIES`. Reasons: "ok", "unchanged"
    (already this address), "not_found", "cancelled", "past_cutoff", "address_invalid"
    (a field empty or too long), "country_not_served".
    """
    new = {
        "line1": _clean(line1),
        "city": _clean(city),
        "postcode": _clean(postcode).upper(),
        "country": _clean(country).upper(),
    }
    order = locked_order(session, order_id)
    if order is None:
        return Outcome(False, "not_found")
    old = {
        "line1": order.ship_line1,
        "city": order.ship_city,
        "postcode": order.ship_postcode,
        "country": order.ship_country,
    }
    if new == old:  # e.g. a retried confirmation
        return Outcome(True, "unchanged")
    decision = policy.address_change(order.status)
    if not decision.allowed:
        return Outcome(False, decision.reason)
    if any(not new[field] or len(new[field]) > limit for field, limit in ADDRESS_LIMITS.items()):
        return Outcome(False, "address_invalid")
    if new["country"] not in policy.SHIPPING_COUNTRIES:
        return Outcome(False, "country_not_served")
    order.ship_line1, order.ship_city = new["line1"], new["city"]
    order.ship_postcode, order.ship_country = new["postcode"], new["country"]
    audit.record(
        session, actor, "order.address_change", "order", order.id, {"from": old, "to": new}
    )
    return Outcome(True, "ok")
