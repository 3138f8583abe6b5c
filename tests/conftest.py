"""Shared fixtures: real databases, migrated with Alembic and seeded, per test session.

Store and action tests run twice: on SQLite (the embedded default) and on PostgreSQL (the
production engine), in a database of their own on the machine's server, dropped afterwards.
SHOPASSIST_TEST_PG_ADMIN_URL names the server (default: postgres@127.0.0.1:5432, trust auth).
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest

# Models load from local disk only, in tests as in production.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ANCHOR = date(2026, 11, 23)  # demo data is relative to this day in tests
# ...and the product's clock reads the same day, here and in every server a test starts.
os.environ["SHOPASSIST_TODAY"] = ANCHOR.isoformat()
# The action servers' secret (it keys their verification stamps); never used outside tests.
os.environ.setdefault("SHOPASSIST_ACTION_TOKEN", "unit-tests-only-" + "0" * 24)
PG_ADMIN_URL = os.environ.get(
    "SHOPASSIST_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def seeded_sqlite(tmp_path_factory) -> str:
    from shopassist.store.manage import ensure

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'shop.sqlite3'}"
    ensure(url, anchor=ANCHOR)
    return url


def seeded_postgres():
    """Yields the URL of a new, seeded PostgreSQL database and drops it afterwards."""
    from sqlalchemy.exc import OperationalError

    from shopassist.cluster import create_database, drop_database
    from shopassist.store.db import get_engine
    from shopassist.store.manage import ensure

    name = f"shopassist_test_{uuid.uuid4().hex[:10]}"
    try:
        url = create_database(PG_ADMIN_URL, name)
    except OperationalError as error:
        pytest.fail(
            f"PostgreSQL at {PG_ADMIN_URL} is needed for the production-engine tests: {error.orig}"
        )
    try:
        ensure(url, anchor=ANCHOR)
        yield url
    finally:
        get_engine(url).dispose()
        drop_database(PG_ADMIN_URL, name)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    """A seeded database of the tests' own (never the demo database in var/), per engine."""
    if request.param == "sqlite":
        yield seeded_sqlite(tmp_path_factory)
    else:
        yield from seeded_postgres()


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch):
    """Each test reads the settings of its own environment: read again at its start, at its
    end, and after each variable it changes through `monkeypatch`."""
    from shopassist.settings import get_settings

    for name in ("setenv", "delenv"):
        change = getattr(monkeypatch, name)

        def changed(*args, _change=change, **kwargs):
            _change(*args, **kwargs)
            get_settings.cache_clear()

        setattr(monkeypatch, name, changed)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture()
def use_db(db_url, monkeypatch) -> str:
    """Points the code under test (actions, services) at the test database."""
    monkeypatch.setenv("SHOPASSIST_DB_URL", db_url)
    return db_url


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: they are the slowest, and Playwright's sync API keeps an
    event loop running in this thread while its browser is open.

    A parameter list read from data (stories, translations, corpora) that came out empty
    would skip its test without failing: that stops the run instead."""
    empty = [
        item.nodeid
        for item in items
        for mark in item.iter_markers("skip")
        if str(mark.kwargs.get("reason", "")).startswith("got empty parameter set")
    ]
    if empty:
        raise pytest.UsageError(f"tests with an empty parameter list: {empty}")
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
