"""The structured slots: what the follow-up forms and the offers keep between turns.

`item_change`, `return_items`, `new_address` and `pending_change` are `any` slots
(domain.yml) holding a dict: a change as `parse_item_change` reads it, `return_items_value`,
`new_address_value` and `ChangeRequest.as_dict`. The readers below read them back.
Conversations stored before these slots were typed hold the same dict as a JSON string, a
`from_text` slot holds the customer's own words until the form's validator reads them, and
whoever posts events can put anything in a slot. So each reader accepts the dict or its JSON
string and returns None for anything else; none raises.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Dict, Optional

from shopassist.dialogue.choices import Address
from shopassist.store.change_requests import ChangeRequest

ITEM_CHANGE_KEYS = frozenset({"colour", "size", "quantity"})
ADDRESS_PARTS = ("line1", "city", "postcode")


def structure(value: Any) -> Optional[Dict[str, Any]]:
    """A copy of the dict in `value`, also when stored as its JSON string; else None."""
    if isinstance(value, str):
        if not value.lstrip().startswith("{"):
            return None  # words, not a stored structure
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):  # the latter: absurdly nested text
            return None
    return dict(value) if isinstance(value, dict) else None


def _count(value: Any) -> Optional[int]:
    """A whole number of units (0 or more), else None; True is not a number here."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def item_change(value: Any) -> Optional[Dict[str, Any]]:
    """What changes on the chosen line: any of `colour`, `size` (text) and `quantity`
    (0 removes it); None when there is no such change."""
    data = structure(value)
    if not data or not set(data) <= ITEM_CHANGE_KEYS:
        return None
    if any(not isinstance(data[key], str) for key in ("colour", "size") if key in data):
        return None
    if "quantity" in data:
        data["quantity"] = _count(data["quantity"])
        if data["quantity"] is None:
            return None
    return data


def return_items_value(quantities: Dict[int, int]) -> Dict[str, int]:
    # String keys: a slot's value is stored as JSON, whose keys are strings anyway.
    return {str(item_id): quantity for item_id, quantity in quantities.items()}


def return_items(value: Any) -> Optional[Dict[int, int]]:
    """Units to return per order item id (empty if none were picked); None when `value`
    holds no such choice."""
    data = structure(value)
    if data is None:
        return None
    quantities = {}
    for item_id, quantity in data.items():
        number, units = _count(item_id), _count(quantity)
        if number is None or units is None:
            return None
        quantities[number] = units
    return quantities


def new_address_value(address: Address) -> Dict[str, Any]:
    return asdict(address)


def new_address(value: Any) -> Optional[Address]:
    """The address to ship to (the country may be missing: the order's then); None when
    `value` holds no such address."""
    data = structure(value)
    if data is None or set(data) - {*ADDRESS_PARTS, "country"}:
        return None
    if not all(isinstance(data.get(part), str) and data[part].strip() for part in ADDRESS_PARTS):
        return None
    country = data.get("country")
    if country is not None and not isinstance(country, str):
        return None
    return Address(data["line1"], data["city"], data["postcode"], country or None)


def pending_change(value: Any) -> Optional[ChangeRequest]:
    """The change offered and waiting for the customer's yes, or None."""
    data = structure(value)
    return None if data is None else ChangeRequest.from_dict(data)
