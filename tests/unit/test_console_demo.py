"""The demo sign-in works on the demo database only."""

from __future__ import annotations

from datetime import datetime

import pytest

from shopassist.auth import customer_token
from shopassist.console import demo
from shopassist.store.db import session_scope
from shopassist.store.models import Customer
from tests.conftest import seeded_sqlite


@pytest.fixture()
def demo_on(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DEMO_LOGIN", "1")
    monkeypatch.setenv(customer_token.SECRET_ENV, "d" * 40)


def test_the_demo_database_lists_its_customers_and_signs_them_in(demo_on, tmp_path_factory):
    url = seeded_sqlite(tmp_path_factory)
    with session_scope(url) as session:
        listed = demo.customers(session)
        assert len(listed) == demo.DEMO_CUSTOMERS
        login = demo.log_in(session, "anna.becker@example.com")
    assert customer_token.verify(login["token"]) == "anna.becker@example.com"


def test_any_other_database_is_refused(demo_on, tmp_path_factory):
    url = seeded_sqlite(tmp_path_factory)
    with session_scope(url) as session:
        session.add(
            Customer(email="jane.real@gmail.com", name="Jane Real", created_at=datetime(2026, 1, 1))
        )
    with session_scope(url) as session:
        assert demo.customers(session) == []
        with pytest.raises(demo.NotDemoData):
            demo.log_in(session, "anna.becker@example.com")
