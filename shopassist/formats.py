"""How replies write a day and an amount of money: one way each, so that no two replies differ
("5 Nov 2026", not "05 Nov"; "$1,234.50").
"""

from __future__ import annotations

from datetime import date

# Symbols of the shop's currencies; any other is written as its code ("CHF 12.00").
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def money(cents: int, currency: str = "USD") -> str:
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    return f"{symbol}{cents / 100:,.2f}"
