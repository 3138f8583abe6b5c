"""The shop's rules, in one place: returns, cancellations, address changes and refunds.

Actions, the console and the knowledge base all follow this module; change a rule here and
in data/knowledge together. Money is in integer cents, days are calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

RETURN_WINDOW_DAYS = 30  # counted from the day of delivery: day 30 is the last day
RETURN_SHIPPING_FEE_CENTS = 695  # paid by the customer when the return is not our fault
CANCELLATION_FEE_PACKED_CENTS = 495  # repacking cost once an order is packed
REFUND_DAYS_AFTER_RECEIPT = 5  # business days to issue a refund once the return arrives

# Reasons where the shop is at fault: free return shipping, full refund including shipping.
SHOP_FAULT_REASONS = frozenset({"damaged", "defective", "wrong_item", "never_arrived"})
RETURN_REASONS = SHOP_FAULT_REASONS | frozenset({"changed_mind", "does_not_fit", "other"})

FREE_CANCELLATION_STATES = frozenset({"pending", "paid"})
FEE_CANCELLATION_STATES = frozenset({"packed"})
ADDRESS_CHANGE_STATES = frozenset({"pending", "paid"})  # the label is printed when packed
RETURNABLE_STATES = frozenset({"delivered", "partially_returned"})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # a code the caller turns into words: "ok", "window_closed", ...
    fee_cents: int = 0


def cancellation(status: str) -> Decision:
    """May an order in `status` be cancelled, and at what fee?"""
    if status in FREE_CANCELLATION_STATES:
        return Decision(True, "ok")
    if status in FEE_CANCELLATION_STATES:
        return Decision(True, "packed_fee", CANCELLATION_FEE_PACKED_CENTS)
    if status == "cancelled":
        return Decision(False, "already_cancelled")
    return Decision(False, "already_shipped")  # shipped or later: return it instead


def address_change(status: str) -> Decision:
    if status in ADDRESS_CHANGE_STATES:
        return Decision(True, "ok")
    if status == "cancelled":
        return Decision(False, "cancelled")
    return Decision(False, "past_cutoff")


def last_return_day(delivered_on: date) -> date:
    return delivered_on + timedelta(days=RETURN_WINDOW_DAYS)


def return_eligibility(
    status: str,
    delivered_on: date | None,
    today: date,
    product_returnable: bool,
    quantity_ordered: int,
    quantity_already_returned: int,
    quantity_requested: int,
    reason: str,
) -> Decision:
    """May `quantity_requested` of one order line be returned today, and what does it cost?"""
    if reason not in RETURN_REASONS:
        return Decision(False, "unknown_reason")
    if status not in RETURNABLE_STATES or delivered_on is None:
        return Decision(False, "not_delivered")
    # Faulty goods are taken back whatever the category; hygiene items otherwise not.
    if not product_returnable and reason not in SHOP_FAULT_REASONS:
        return Decision(False, "not_returnable")
    if today > last_return_day(delivered_on):
        # A fault that shows after the window is a warranty claim, not a return.
        return Decision(False, "warranty" if reason == "defective" else "window_closed")
    if quantity_requested < 1 or quantity_requested > quantity_ordered - quantity_already_returned:
        return Decision(False, "quantity")
    return Decision(True, "ok", return_fee_cents(reason))


def return_fee_cents(reason: str) -> int:
    """Return shipping the customer pays: nothing when the shop was at fault."""
    return 0 if reason in SHOP_FAULT_REASONS else RETURN_SHIPPING_FEE_CENTS


@dataclass(frozen=True)
class RefundLine:
    unit_price_cents: int
    quantity: int


def refund_amount_cents(
    lines: Iterable[RefundLine],
    reason: str,
    return_fee_cents: int,
    shipping_paid_cents: int = 0,
    whole_order: bool = False,
) -> int:
    """Items' price, less the return fee; shipping back too when we were at fault for all."""
    amount = sum(line.unit_price_cents * line.quantity for line in lines)
    if whole_order and reason in SHOP_FAULT_REASONS:
        amount += shipping_paid_cents
    return max(0, amount - return_fee_cents)


def refund_due_by(received_on: date) -> date:
    """The day a refund is issued at the latest: business days after the return arrives."""
    day, left = received_on, REFUND_DAYS_AFTER_RECEIPT
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
