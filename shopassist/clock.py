"""The product's one clock: every "today" and "now" (return windows, lockouts, tickets).

SHOPASSIST_TODAY=YYYY-MM-DD pins the date (tests and demos replay one fixed day, so no test
depends on the calendar); the time of day keeps running, so waits and lockouts still pass.
Times are naive UTC, as the store keeps them.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

TODAY_ENV = "SHOPASSIST_TODAY"


def _offset(real_now: datetime) -> timedelta:
    # Read on each call: tests set it per test, and processes inherit it from their parent.
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return timedelta(0)
    try:
        pinned = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_ENV} must be a date such as 2026-11-23, not {value!r}") from None
    return timedelta(days=(pinned - real_now.date()).days)


def now() -> datetime:
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    return real + _offset(real)


def today() -> date:
    return now().date()
