"""The SQL statements code under test sends to the real engine, to count its reads."""

from __future__ import annotations

import contextlib
import re
from typing import Iterator, List

from sqlalchemy import event

from shopassist.store.db import get_engine

# A statement that reads the orders table (by itself or joined), not order_items etc.
READS_ORDERS = re.compile(r"\b(?:FROM|JOIN)\s+orders\b", re.IGNORECASE)


@contextlib.contextmanager
def statements(db_url: str) -> Iterator[List[str]]:
    """The SQL statements sent to the database while the block runs."""
    sent: List[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = get_engine(db_url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def order_selects(sent: List[str]) -> List[str]:
    """The statements in `sent` that select from the orders table."""
    return [s for s in sent if s.lstrip().upper().startswith("SELECT") and READS_ORDERS.search(s)]
