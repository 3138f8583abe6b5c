"""One way of writing a day in every reply."""

from datetime import date, datetime

from shopassist.formats import day


def test_a_day_is_written_without_a_leading_zero():
    assert day(date(2026, 11, 5)) == "5 Nov 2026"
    assert day(date(2026, 11, 23)) == "23 Nov 2026"
    assert day(datetime(2026, 1, 9, 17, 30)) == "9 Jan 2026"
