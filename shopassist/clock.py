"""The product's one clock: every "today" and "now" (return windows, lockouts, tickets).

SHOPASSIST_TODAY=YYYY-MM-DD pins the date (tests and demos replay one fixed day, so no test
depends on the calendar); the time of day keeps running, so waits and lockouts still pass.
Times are naive UTC, as the store keeps them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from shopassist.settings import env_name, get_settings

TODAY_ENV = env_name("today")


def _offset(real_now: datetime) -> timedelta:
    pinned = get_settings().today
    if pinned is None:
        return timedelta(0)
    return timedelta(days=(pinned - real_now.date()).days)


def now() -> datetime:
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    return real + _offset(real)


def today() -> date:
    return now().date()
