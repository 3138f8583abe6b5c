"""The one way console handlers reach a database: in a worker thread, off the event loop.

SQLAlchemy's calls block; run on Sanic's event loop, one slow query (a big tracker store, a
locked SQLite file) would hold up every other agent's page and the live takeover's polls.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

T = TypeVar("T")


async def off_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` in the default thread pool; its result or its error."""
    return await asyncio.to_thread(function, *args, **kwargs)
