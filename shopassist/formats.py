"""How replies write a day and an amount of money: one way each, so that no two replies differ
("5 Nov 2026", not "05 Nov"; "$1,234.50").

The console writes its times through `moment` (UTC, sortable), its own style for staff.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

# Symbols of the shop's currencies; any other is written as its code ("CHF 12.00").
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def money(cents: int, currency: str = "USD") -> str:
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    return f"{symbol}{cents / 100:,.2f}"


def moment(value: float | datetime, seconds: bool = False) -> str:
    """A time in the console, in UTC: "2026-11-05 14:30" (":07" more with `seconds`).

    `value` is a Unix timestamp (tracker events) or a datetime; a naive one is already UTC,
    as the database stores them.
    """
    if isinstance(value, datetime):
        at = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    else:
        at = datetime.fromtimestamp(value, tz=timezone.utc)
    return at.astimezone(timezone.utc).strftime(
        "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    )
