"""Engine and sessions. SQLite file by default; any SQLAlchemy URL via SHOPASSIST_DB_URL."""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "shopassist.sqlite3"


def database_url() -> str:
    return os.environ.get("SHOPASSIST_DB_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: SHOPASSIST_DB_URL), one per URL per process."""
    return _engine(url or database_url())


@cache
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # timeout: wait for a writer instead of failing at once with "database is locked".
        engine = create_engine(url, future=True, connect_args={"timeout": 5})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


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
