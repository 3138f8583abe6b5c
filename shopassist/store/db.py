"""Engine and sessions. SQLite file by default; any SQLAlchemy URL via SHOPASSIST_DB_URL."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shopassist.settings import default_of, get_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = Path(default_of("db_url").removeprefix("sqlite:///"))

# What a lock wait that ran out says: SQLite's busy errors, PostgreSQL's lock_timeout.
_SQLITE_BUSY = ("database is locked", "database table is locked")
_PG_LOCK_NOT_AVAILABLE = "55P03"
_PG_LOCK_TIMEOUT = "canceling statement due to lock timeout"


def database_url() -> str:
    return get_settings().db_url


def busy_timeout() -> float:
    """Seconds to wait for a row or database lock held by another conversation before
    giving up (SHOPASSIST_DB_BUSY_TIMEOUT, default 5): long enough for any other change to
    finish, short enough that the customer gets an answer."""
    return get_settings().db_busy_timeout


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: SHOPASSIST_DB_URL), one per URL and timeout per process."""
    return _engine(url or database_url(), busy_timeout())


@cache
def _engine(url: str, timeout: float) -> Engine:
    if url.startswith("sqlite"):
        # timeout: wait for a writer instead of failing at once with "database is locked".
        engine = create_engine(url, future=True, connect_args={"timeout": timeout})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if url.startswith("postgresql"):
        # lock_timeout: a row locked by another conversation (FOR UPDATE) fails after the
        # same wait instead of hanging the action server (0 would mean "wait forever").
        options = f"-c lock_timeout={max(1, round(timeout * 1000))}"
        return create_engine(
            url, future=True, pool_pre_ping=True, connect_args={"options": options}
        )
    return create_engine(url, future=True, pool_pre_ping=True)


def is_busy(error: BaseException) -> bool:
    """True when `error` is a lock wait that ran out: try again soon, nothing was changed.

    False for every other error, including a database that cannot be reached.
    """
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.orig, "pgcode", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    message = str(error.orig).lower()
    return any(text in message for text in (*_SQLITE_BUSY, _PG_LOCK_TIMEOUT))


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: committed if the block succeeds, rolled back otherwise."""
    session = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
