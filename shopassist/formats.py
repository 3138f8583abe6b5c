"""How replies write a day and an amount of money: one way each, so that no two replies differ
("5 Nov 2026", not "05 Nov"; "$1,234.50").

English keeps the shop's own style above, written by hand (many replies and test stories
quote it). The other served languages take their locale's style from CLDR through Babel:
"5. November 2026", "129,98 $" in German; "2026年11月5日", "US$129.98" in Chinese.

The console writes its times through `moment` (UTC, sortable), its own style for staff.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

# Symbols of the shop's currencies; any other is written as its code ("CHF 12.00").
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
# The CLDR locale of each served language (the region sets the currency's style).
LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "zh": "zh_Hans_CN"}
# "long" spells the month out ("5. November 2026"); CLDR's medium date is all digits in
# German ("05.11.2026"), which customers misread between day and month.
DATE_FORMAT = "long"


def _locale(language: str) -> str | None:
    """The CLDR locale for `language`, or None for English and anything not served."""
    return None if language == "en" else LOCALES.get(language)


def day(value: date, language: str = "en") -> str:
    locale = _locale(language)
    if locale is None:
        return f"{value.day} {value:%b %Y}"
    return format_date(value, format=DATE_FORMAT, locale=locale)


def money(cents: int, currency: str = "USD", language: str = "en") -> str:
    locale = _locale(language)
    if locale is None:
        symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
        return f"{symbol}{cents / 100:,.2f}"
    # Decimal: the cents are exact, and Babel rounds a float's binary error otherwise.
    return format_currency(Decimal(cents) / 100, currency, locale=locale)


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
