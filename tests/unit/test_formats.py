"""One way of writing a day and an amount of money in every reply, and a time in the console."""

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from shopassist.formats import day, moment, money


def test_a_day_is_written_without_a_leading_zero():
    assert day(date(2026, 11, 5)) == "5 Nov 2026"
    assert day(date(2026, 11, 23)) == "23 Nov 2026"
    assert day(datetime(2026, 1, 9, 17, 30)) == "9 Jan 2026"


def test_money_has_its_currency_symbol_thousands_and_cents():
    assert money(129900) == "$1,299.00"
    assert money(5, "EUR") == "€0.05"
    assert money(695, "GBP") == "£6.95"
    assert money(1000, "CHF") == "CHF 10.00"


def test_a_console_time_is_utc_from_a_timestamp_or_a_datetime():
    at = datetime(2026, 11, 5, 9, 4, 7, tzinfo=timezone.utc)
    assert moment(at.timestamp()) == "2026-11-05 09:04"
    assert moment(at.timestamp(), seconds=True) == "2026-11-05 09:04:07"
    assert moment(at.replace(tzinfo=None)) == "2026-11-05 09:04"  # the database's naive UTC
    assert moment(at.astimezone(timezone(timedelta(hours=-5)))) == "2026-11-05 09:04"


ROOT = Path(__file__).resolve().parents[2]
# Code that writes what customers are told: actions, and the services their replies come from.
REPLY_CODE = ["actions", "shopassist/dialogue", "shopassist/generation", "shopassist/knowledge",
              "shopassist/store", "shopassist/channels", "shopassist/nlg.py"]  # fmt: skip
# A date, a time or an amount written by hand instead of through shopassist.formats.
OWN_FORMAT = re.compile(r"strftime\(|\.isoformat\(|\{[^{}\n]*:[^{}\n]*%[^{}\n]*\}|\.2f\}|/ ?100\b")
# A handoff ticket's transcript keeps ISO 8601 times: data for the console, not words.
NOT_REPLIES = {"shopassist/dialogue/transcript.py"}


def _reply_sources():
    for place in REPLY_CODE:
        path = ROOT / place
        for source in [path] if path.is_file() else sorted(path.rglob("*.py")):
            relative = source.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and relative not in NOT_REPLIES:
                yield relative, source.read_text(encoding="utf-8")


def test_replies_write_days_and_money_only_through_formats():
    sources = dict(_reply_sources())
    assert "actions/returns.py" in sources and "shopassist/store/orders.py" in sources
    hand_made = [
        f"{name}:{number}: {line.strip()}"
        for name, text in sources.items()
        for number, line in enumerate(text.splitlines(), 1)
        if OWN_FORMAT.search(line)
    ]
    assert hand_made == []
    # and the check would see one: the way the invoice reply used to write its day
    assert OWN_FORMAT.search('f"{invoice.issued_on:%d %b %Y}"')
    assert OWN_FORMAT.search('return f"{symbol}{cents / 100:,.2f}"')
