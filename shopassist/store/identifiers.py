"""Parsing of what customers type for order numbers and e-mail addresses."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import text

# 100234, #100234, ORD-100234, ord 100234, order no. 100234, "order #100234".
_ORDER_ID = re.compile(
    r"(?i)^\s*(?:(?:ord(?:er)?)\s*(?:no\.?|number|nr\.?)?\s*[-#:]?\s*|#\s*)?(\d{6})\s*$"
)
# An e-mail address anywhere in a text; the one pattern that the NLU, the privacy filter
# and the generation checker use, so that all of them agree on what an address is.
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
EMAIL_IN_TEXT = re.compile(EMAIL_PATTERN)
_EMAIL = re.compile(rf"^{EMAIL_PATTERN}$")


def normalise_order_id(text: object) -> str | None:
    """The six-digit order number in `text`, or None when it is not one."""
    if text is None:
        return None
    match = _ORDER_ID.match(str(text))
    return match.group(1) if match else None


def normalise_email(text: object) -> str | None:
    """The address in lower case, or None when `text` is not an e-mail address."""
    if text is None:
        return None
    candidate = str(text).strip().strip("<>.,;").lower()
    if len(candidate) > 254 or not _EMAIL.match(candidate):
        return None
    return candidate


# Order numbers have six digits. A new order takes a random unused number, never the next in
# line: with sequential numbers one's own order number tells the neighbours' (the seeded demo
# orders keep their fixed numbers).
ORDER_NUMBERS = range(100000, 1000000)
_FREE_NUMBER_TRIES = 50


def new_order_number(connection) -> int:
    """A random six-digit order number that no order has yet (unguessable from any other)."""
    for _ in range(_FREE_NUMBER_TRIES):
        number = ORDER_NUMBERS[secrets.randbelow(len(ORDER_NUMBERS))]
        taken = connection.execute(text("SELECT 1 FROM orders WHERE id = :id"), {"id": number})
        if taken.first() is None:
            return number
    raise RuntimeError("no free order number found: the six-digit range is nearly used up")
