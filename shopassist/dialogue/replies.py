"""What the customer is told when the policy or the data says no: one sentence per reason code.

Reason codes come from `shopassist.store.policy` and the change services; every code has
words in the message catalog ("refusal.<code>", shopassist/language/messages/), so no
refusal reaches the customer as a bare code or as silence.
"""

from __future__ import annotations

import string
from typing import Any

from shopassist.language.messages import SOURCE, catalog, message, message_template
from shopassist.store import policy


def address_hint(language: str = SOURCE) -> str:
    """How to write an address so that the address form reads it (shopassist.dialogue.choices):
    the form's question in domain.yml and its translations, and the help page
    (data/knowledge/orders.md), say the same; tests/unit/test_address_hint.py keeps them so.
    The example address stays as written in every language: it is what the form reads."""
    return message(
        "address.hint", language, address_format=message_template("address.format", language)
    )


ADDRESS_FORMAT = message_template("address.format")
ADDRESS_HINT = address_hint()

# The reason codes that have words of their own ("refusal.<code>" in the message catalog).
REASONS = tuple(
    key.split(".", 1)[1]
    for key in catalog(SOURCE)
    if key.startswith("refusal.") and key != "refusal.generic"
)
REFUSALS = {code: message_template(f"refusal.{code}") for code in REASONS}
GENERIC = message("refusal.generic")


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "it" if key == "order_id" else "?"


def refusal(reason: str, language: str = SOURCE, **facts: Any) -> str:
    """The customer-facing sentence for a refusal `reason` in `language`, filled with
    `facts`."""
    defaults = {
        "return_days": policy.RETURN_WINDOW_DAYS,
        "grace_days": policy.LOST_PARCEL_GRACE_DAYS,
        "countries": ", ".join(sorted(policy.SHIPPING_COUNTRIES.values())),
        "address_hint": address_hint(language),
    }
    key = f"refusal.{reason}" if reason in REASONS else "refusal.generic"
    template = message_template(key, language)
    return string.Formatter().vformat(template, (), _Blank({**defaults, **facts}))
