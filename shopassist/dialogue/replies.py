"""What the customer is told when the policy or the data says no: one sentence per reason code.

Reason codes come from `shopassist.store.policy` and the change services; every code has
words here, so no refusal reaches the customer as a bare code or as silence.
"""

from __future__ import annotations

import string
from typing import Any

from shopassist.store import policy

# How to write an address so that the address form reads it (shopassist.dialogue.choices):
# the form's question in domain.yml and the help page (data/knowledge/orders.md) say the
# same, and tests/unit/test_address_hint.py keeps them so.
ADDRESS_FORMAT = (
    "on one line, separated by commas: street and number, city, postcode and country, "
    "for example: 12 High Street, London, SW1A 1AA, GB."
)
ADDRESS_HINT = f"Please write the new address {ADDRESS_FORMAT}"

REFUSALS = {
    # cancellations and item changes
    "already_shipped": "Order #{order_id} has already shipped, so it can't be cancelled any "
    "more. Once it arrives you can return it within {return_days} days of delivery.",
    "already_cancelled": "Order #{order_id} is already cancelled; nothing more to do.",
    "cancelled": "Order #{order_id} is cancelled, so there is nothing left to change.",
    "past_cutoff": "Order #{order_id} has already been packed or shipped, so it can't be "
    "changed any more. Once it arrives you can return what you don't want within "
    "{return_days} days of delivery.",
    "already_removed": "That item is no longer on order #{order_id}; nothing more to do.",
    "item_not_found": "I can't find that item on order #{order_id}.",
    "quantity_up": "I can only lower quantities on an existing order. For more, please "
    "place a new order; it ships separately.",
    "colour_unavailable": "Sorry, that colour isn't available for this product.",
    "size_unavailable": "Sorry, that size isn't available for this product.",
    "unchanged": "That is already how order #{order_id} stands, so I haven't changed anything.",
    "address_invalid": "Part of that address is missing or too long, so I couldn't use it. "
    + ADDRESS_HINT,
    "country_not_served": "Sorry, we don't ship to that country. We ship to: {countries}.",
    # returns
    "not_delivered": "Order #{order_id} hasn't been delivered yet, so it can't be returned "
    "yet. If you don't want it any more, ask me to cancel it while it hasn't shipped.",
    "not_returnable": "For hygiene reasons this item can only be returned if it is faulty, "
    "damaged or not what you ordered.",
    "window_closed": "Order #{order_id} was delivered more than {return_days} days ago, so "
    "the return window has closed.",
    "warranty": "Order #{order_id} is past the {return_days}-day return window, but a fault "
    "is covered by the product's warranty: our customer service team will handle a warranty "
    "claim for you.",
    "quantity": "That is more than can still be returned from this order line.",
    "unknown_reason": "I need to know why you're returning it (damaged, defective, wrong "
    "item, doesn't fit, changed your mind, or other).",
    # lost parcels
    "in_transit": "Order #{order_id} is still on its way with the carrier (expected "
    "{estimated_delivery}). If it hasn't arrived {grace_days} days after that, tell me and "
    "I'll refund it.",
    "delivered": "The carrier confirmed that order #{order_id} was delivered. Please check "
    "with neighbours and your safe place; if it is really missing, our customer service team "
    "will open an investigation with the carrier.",
    "not_shipped": "Order #{order_id} hasn't shipped yet, so it can't be lost. If you don't "
    "want it any more, I can cancel it instead.",
    "already_refunded": "Order #{order_id} has already been refunded.",
    # anything else
    "not_found": "Sorry, I can't find that order any more. Please contact our customer "
    "service team.",
}
GENERIC = "Sorry, I can't make that change. Our customer service team can look into it for you."


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "it" if key == "order_id" else "?"


def refusal(reason: str, **facts: Any) -> str:
    """The customer-facing sentence for a refusal `reason`, filled with `facts`."""
    defaults = {
        "return_days": policy.RETURN_WINDOW_DAYS,
        "grace_days": policy.LOST_PARCEL_GRACE_DAYS,
        "countries": ", ".join(sorted(policy.SHIPPING_COUNTRIES.values())),
    }
    template = REFUSALS.get(reason, GENERIC)
    return string.Formatter().vformat(template, (), _Blank({**defaults, **facts}))
