"""The shop's rules, in one place: returns, cancellations, changes before packing, lost
parcels and refunds.

Actions, the console and the knowledge base all follow this module; change a rule here and
in data/knowledge together. Money is in integer cents, days are calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Optional, Tuple

from shopassist.spellings import without_accents

RETURN_WINDOW_DAYS = 30  # counted from the day of delivery: day 30 is the last day
RETURN_SHIPPING_FEE_CENTS = 695  # paid by the customer when the return is not our fault
CANCELLATION_FEE_PACKED_CENTS = 495  # repacking cost once an order is packed
REFUND_DAYS_AFTER_RECEIPT = 5  # business days to issue a refund once the return arrives
# The carrier's estimate slips now and then: a parcel counts as lost only this many days
# after it, so that we do not refund parcels that arrive a little late.
LOST_PARCEL_GRACE_DAYS = 5
# A pending order's card authorisation is a hold, not a charge: banks drop it within this
# many business days when the order is cancelled or reduced (for answers about "money taken").
PAYMENT_HOLD_RELEASE_BUSINESS_DAYS = 5
TAX_PERCENT = 8  # sales tax, included in every price

# Reasons where the shop is at fault: free return shipping, full refund including shipping.
SHOP_FAULT_REASONS = frozenset({"damaged", "defective", "wrong_item", "never_arrived"})
RETURN_REASONS = SHOP_FAULT_REASONS | frozenset({"changed_mind", "does_not_fit", "other"})

FREE_CANCELLATION_STATES = frozenset({"pending", "paid"})
FEE_CANCELLATION_STATES = frozenset({"packed"})
ADDRESS_CHANGE_STATES = frozenset({"pending", "paid"})  # the label is printed when packed
ITEM_CHANGE_STATES = frozenset({"pending", "paid"})  # the box is filled when packed
IN_TRANSIT_STATES = frozenset({"shipped", "out_for_delivery"})
CARRIER_DELIVERED_STATES = frozenset({"delivered", "partially_returned"})

# Countries we ship to (ISO 3166-1 alpha-2 -> name); an address change must stay inside.
SHIPPING_COUNTRIES = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "DE": "Germany",
    "FR": "France",
    "IT": "Italy",
    "ES": "Spain",
    "NL": "Netherlands",
    "BE": "Belgium",
    "AT": "Austria",
}
# Other names customers give the shipping countries, by ISO code: the address form takes
# them (country_code) and the NLU's lookup tables list them (shopassist/nlu/lookups.py).
COUNTRY_ALIASES = {
    "US": ("USA", "United States of America", "America", "the States"),
    "CA": (),
    "GB": ("UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "IE": ("Republic of Ireland", "Eire", "Éire"),
    "DE": ("Deutschland",),
    "FR": (),
    "IT": ("Italia",),
    "ES": ("España",),
    "NL": ("The Netherlands", "Holland", "Nederland"),
    "BE": ("België", "Belgique"),
    "AT": ("Österreich",),
}


def country_spellings(code: str) -> Tuple[str, ...]:
    """Every way of writing a shipping country that the shop knows: its code, its name, its
    aliases, and those without accents ("Osterreich", "Oesterreich")."""
    names = (code, SHIPPING_COUNTRIES[code], *COUNTRY_ALIASES.get(code, ()))
    return tuple(dict.fromkeys([*names, *(v for n in names for v in without_accents(n))]))


def country_code(name: str) -> Optional[str]:
    """The ISO code of a shipping country written in any of its `country_spellings`, in any
    letter case, with or without "the"; None for any other country."""
    key = " ".join(str(name or "").split()).rstrip(".").casefold()
    for code in SHIPPING_COUNTRIES:
        names = {n.casefold() for n in country_spellings(code)}
        if key in names or key.removeprefix("the ") in names:
            return code
    return None


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


def item_change(status: str) -> Decision:
    """May a line's quantity, colour or size change? Only until the order is packed.

    Removing a line is a cancellation of that line and follows `cancellation` instead: free
    while pending or paid, the repacking fee once packed, refused once shipped.
    """
    if status in ITEM_CHANGE_STATES:
        return Decision(True, "ok")
    if status == "cancelled":
        return Decision(False, "cancelled")
    return Decision(False, "past_cutoff")


def lost_parcel_refund(status: str, estimated_delivery: date | None, today: date) -> Decision:
    """May a parcel that did not arrive be refunded in full today?"""
    if status in IN_TRANSIT_STATES and estimated_delivery is not None:
        if today > estimated_delivery + timedelta(days=LOST_PARCEL_GRACE_DAYS):
            return Decision(True, "ok")
        return Decision(False, "in_transit")  # still within the grace period: wait
    if status in CARRIER_DELIVERED_STATES:
        return Decision(False, "delivered")  # the carrier confirmed it: an investigation
    if status == "refunded":
        return Decision(False, "already_refunded")
    if status == "cancelled":
        return Decision(False, "cancelled")
    return Decision(False, "not_shipped")


def included_tax_cents(total_cents: int) -> int:
    """The sales tax contained in a total (prices include tax)."""
    return round(total_cents * TAX_PERCENT / (100 + TAX_PERCENT))


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
