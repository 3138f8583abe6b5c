"""The product's one clock: pinned by SHOPASSIST_TODAY, real otherwise."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone

import pytest

from shopassist import clock
from tests.conftest import ANCHOR


def test_the_tests_run_on_the_anchor_day_whatever_the_calendar_says():
    assert clock.today() == ANCHOR
    assert clock.now().date() == ANCHOR


def test_a_pinned_day_keeps_the_time_of_day_running(monkeypatch):
    monkeypatch.setenv(clock.TODAY_ENV, "2030-02-28")
    first = clock.now()
    time.sleep(0.01)
    second = clock.now()
    assert first.date() == second.date() == date(2030, 2, 28)
    assert second > first
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    minutes = abs((second.hour - real.hour) * 60 + second.minute - real.minute) % 1440
    assert min(minutes, 1440 - minutes) <= 1  # same time of day (across midnight too)


def test_without_a_pinned_day_the_clock_is_the_real_one(monkeypatch):
    monkeypatch.delenv(clock.TODAY_ENV)
    assert clock.today() == datetime.now(timezone.utc).date()


def test_a_malformed_day_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(clock.TODAY_ENV, "23/11/2026")
    with pytest.raises(ValueError, match="SHOPASSIST_TODAY must be a date"):
        clock.today()
