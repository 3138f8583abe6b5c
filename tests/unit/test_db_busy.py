"""A database busy with another change is told apart from one that cannot be reached.

For real: another connection holds a lock (SQLite: the write lock; PostgreSQL: the order's
row), a cancellation gives up after the configured wait, and nothing has changed.
"""

import sqlite3
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from shopassist.store.changes import cancel_order
from shopassist.store.db import busy_timeout, get_engine, is_busy, session_scope
from shopassist.store.models import AuditLog, Order, Refund
from tests.unit.test_item_changes import pick_order


@contextmanager
def lock_held_elsewhere(db_url, order_id):
    """Another connection holds the lock a change of `order_id` needs, until the block ends."""
    if db_url.startswith("sqlite"):
        connection = sqlite3.connect(db_url[len("sqlite:///") :], isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")  # the write lock of the whole database
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    engine = create_engine(db_url, future=True)
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(
                text("SELECT id FROM orders WHERE id = :id FOR UPDATE"), {"id": order_id}
            )
            yield
    finally:
        engine.dispose()


def test_the_busy_timeout_is_configurable(monkeypatch):
    monkeypatch.delenv("SHOPASSIST_DB_BUSY_TIMEOUT", raising=False)
    assert busy_timeout() == 5
    monkeypatch.setenv("SHOPASSIST_DB_BUSY_TIMEOUT", "0.2")
    assert busy_timeout() == 0.2
    monkeypatch.setenv("SHOPASSIST_DB_BUSY_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="SHOPASSIST_DB_BUSY_TIMEOUT"):
        busy_timeout()


def test_a_change_waiting_for_a_lock_gives_up_as_busy_and_changes_nothing(db_url, monkeypatch):
    with session_scope(db_url) as session:
        order_id = pick_order(session, "paid").id
    monkeypatch.setenv("SHOPASSIST_DB_BUSY_TIMEOUT", "0.2")
    try:
        with lock_held_elsewhere(db_url, order_id):
            started = time.monotonic()
            with pytest.raises(OperationalError) as caught:
                with session_scope(db_url) as session:
                    cancel_order(session, order_id, "test")
            waited = time.monotonic() - started
    finally:
        get_engine(db_url).dispose()  # the engine with the short timeout
        monkeypatch.delenv("SHOPASSIST_DB_BUSY_TIMEOUT")
    assert is_busy(caught.value), caught.value
    assert 0.15 < waited < 3  # the configured wait, not the default 5 s
    with session_scope(db_url) as session:
        assert session.get(Order, order_id).status == "paid"
        assert (
            session.execute(select(AuditLog).where(AuditLog.entity_id == str(order_id))).all() == []
        )
        assert session.execute(select(Refund).where(Refund.order_id == order_id)).all() == []


def test_an_unreachable_database_is_not_busy():
    with pytest.raises(OperationalError) as caught:
        with session_scope("postgresql://postgres@127.0.0.1:1/x") as session:
            session.execute(select(Order.id).limit(1))
    assert not is_busy(caught.value)


def test_other_errors_are_not_busy():
    assert not is_busy(ValueError("database is locked"))  # not a database error at all
    assert not is_busy(IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")))
    locked = OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
    assert is_busy(locked)
