"""Shared fixtures: a real database, migrated with Alembic and seeded, per test session."""

from __future__ import annotations

import os
from datetime import date

import pytest

# Models load from local disk only, in tests as in production.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ANCHOR = date(2026, 11, 23)  # demo data is relative to this day in tests


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    """A seeded SQLite database of the tests' own, never the demo database in var/."""
    from shopassist.store.manage import ensure

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'shop.sqlite3'}"
    ensure(url, anchor=ANCHOR)
    return url


@pytest.fixture()
def use_db(db_url, monkeypatch) -> str:
    """Points the code under test (actions, services) at the test database."""
    monkeypatch.setenv("SHOPASSIST_DB_URL", db_url)
    return db_url
