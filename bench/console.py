"""The console at scale.

Analytics: a full read of the tracker store (the baseline, what every page load did
before) beside the incremental figures (per-conversation shares kept between loads), on
the same generated tracker store:

    python -m bench.console [--conversations 2000]

Conversation list (shopassist/console/listing.py): one page, a page deep in the list, and
searches, at each size:

    python -m bench.console --list --conversations 1000 100000

Conversations are copies of ones written by Rasa's own SQLTrackerStore (tests/console_kit.py),
multiplied with SQL so that generating them takes seconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import create_engine, text

from bench import report

COLUMNS = "sender_id, type_name, timestamp, intent_name, action_name, data"


def build(path: Path, conversations: int) -> int:
    """A tracker store of `conversations` 10-turn conversations; returns its event count."""
    from tests.console_kit import T0, action, bot, session_start, slot, user, write_tracker_store

    template = {}
    for c in range(20):
        events, at = session_start(T0 + c * 60), T0 + c * 60
        for _ in range(10):
            at += 5
            events += [
                user("where is my order", "order_status", at, 0.9, sentiment=("neutral", 0.0)),
                slot("sentiment", "neutral", at),
                action("action_order_status", at),
                bot("It is on its way.", at + 1),
                action("action_listen", at + 1),
            ]
        template[f"c{c}"] = events
    write_tracker_store(path, template)
    with sqlite3.connect(path) as db:
        rows = db.execute(f"SELECT {COLUMNS} FROM events").fetchall()
        copies = [(f"{r[0]}-{k}",) + r[1:] for k in range(1, conversations // 20) for r in rows]
        db.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", copies)
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(conversations: int) -> Dict[str, Any]:
    from shopassist.console import analytics
    from shopassist.console.conversations import ConversationStore

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trackers.db"
        events = build(path, conversations)
        store = ConversationStore(create_engine(f"sqlite:///{path}", future=True))
        full = _timed(lambda: analytics.compute(store.rows(), {}))
        cold = _timed(lambda: analytics.figures(store, {}))
        warm = _timed(lambda: analytics.figures(store, {}))
        with sqlite3.connect(path) as db:  # one more conversation arrives
            db.execute(
                f"INSERT INTO events ({COLUMNS}) SELECT 'new', type_name, timestamp, "
                "intent_name, action_name, data FROM events WHERE sender_id = 'c1'"
            )
        after_new = _timed(lambda: analytics.figures(store, {}))
        assert analytics.figures(store, {}) == analytics.compute(store.rows(), {})
    return {
        "conversations": conversations,
        "events": events,
        "full_read_s": full,
        "incremental_first_s": cold,
        "incremental_unchanged_s": warm,
        "incremental_one_new_s": after_new,
    }


def build_list(path: Path, conversations: int) -> int:
    """A tracker store of `conversations` 2-turn conversations, one started every 30 s
    (copies of 20 written by Rasa, each with its own order number), the oldest of them a
    customer with a unique e-mail; returns its event count."""
    from tests.console_kit import T0, action, bot, session_start, slot, user, write_tracker_store

    template = {}
    for c in range(20):
        at = T0 + c * 30
        order = f"1{c:05d}"
        template[f"c{c:02d}"] = [
            *session_start(at),
            user(
                f"where is my order {order}",
                "order_status",
                at + 1,
                0.9,
                entities=[(order, "order_id")],
                sentiment=("neutral", 0.0),
            ),  # fmt: skip
            slot("order_id", order, at + 1),
            action("action_order_status", at + 2),
            bot("Which e-mail address did you order with?", at + 2),
            action("action_listen", at + 2),
            user("name@example.com", "inform", at + 5, 0.9, sentiment=("neutral", 0.0)),
            slot("email", "name@example.com", at + 5),
            action("action_order_status", at + 6),
            bot("It is on its way.", at + 6),
            action("action_listen", at + 6),
        ]
    write_tracker_store(path, template)
    copies = max(1, conversations // 20)
    with sqlite3.connect(path) as db:
        # Copy k of the template starts 20 * 30 s * k later: copy 0 is the oldest.
        db.execute(
            f"""INSERT INTO events ({COLUMNS})
            WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
            SELECT sender_id || '-' || n, type_name, timestamp + n * 600, intent_name,
                   action_name, data
            FROM events, k ORDER BY n, events.id""",
            (copies - 1,),
        )
        db.execute(
            "UPDATE events SET data = replace(data, 'name@example.com', 'needle@example.com') "
            "WHERE sender_id = 'c00'"
        )
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


BEFORE_UP_TO = 10_000


def _best(function, runs: int = 5) -> float:
    """The fastest of `runs` (the first also warms SQLite's page cache)."""
    return min(_timed(function) for _ in range(runs))


def measure_list(conversations: int) -> Dict[str, Any]:
    from shopassist.console import listing
    from shopassist.console.conversations import ConversationStore
    from shopassist.console.listing import ListQuery, page_of

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trackers.db"
        started = time.perf_counter()
        events = build_list(path, conversations)
        engine = create_engine(f"sqlite:///{path}", future=True)
        listing.ensure_indexes(engine)
        built = time.perf_counter() - started
        store = ConversationStore(engine)
        first = page_of(store, ListQuery())
        assert len(first.conversations) == listing.PAGE_SIZE
        # A page in the middle of the list, as "Older" links reach it.
        with engine.connect() as connection:
            (mid_ts, mid_id) = connection.execute(
                text("SELECT timestamp, id FROM events WHERE sender_id = :s ORDER BY id LIMIT 1"),
                {"s": f"c10-{max(1, conversations // 40)}"},
            ).one()
        middle = ListQuery(before=listing.Cursor(mid_ts, mid_id))
        assert len(page_of(store, middle).conversations) == listing.PAGE_SIZE
        order = ListQuery(search="100007")  # one template conversation in 20 and its copies
        assert len(page_of(store, order).conversations) == listing.PAGE_SIZE
        rare = ListQuery(search="needle@example.com")  # the oldest conversation only

        def find_rare():
            """Pages of the search, following "Older" until the conversation is found."""
            page, pages = page_of(store, rare), 1
            while not page.conversations and page.older:
                page, pages = page_of(store, replace(rare, before=page.older)), pages + 1
            assert [c.conversation for c in page.conversations] == ["c00"]
            return pages

        rare_pages = find_rare()
        result = {
            "conversations": conversations,
            "events": events,
            "build_s": built,
            "page_s": _best(lambda: page_of(store, ListQuery())),
            "middle_s": _best(lambda: page_of(store, middle)),
            "order_search_s": _best(lambda: page_of(store, order)),
            "rare_page_s": _best(lambda: page_of(store, rare)),
            "rare_pages": rare_pages,
            "rare_found_s": _best(find_rare, runs=1),
            "negative_s": _best(lambda: page_of(store, ListQuery(flags=["negative"]))),
            # Before: every conversation summarised in memory at the first load (the list's
            # old way); only up to BEFORE_UP_TO conversations, it grows linearly.
            "before_s": (
                _timed(lambda: ConversationStore(engine).summaries())
                if conversations <= BEFORE_UP_TO
                else None
            ),
        }
        engine.dispose()
        return result


def list_table(results: List[Dict[str, Any]]) -> str:
    head = [
        "conversations",
        "events",
        "before: first load, all in memory",
        "first page",
        "a page in the middle (keyset)",
        "search: an order number (many hits)",
        "search: an e-mail only the oldest has, one page (pages to find it: all of them)",
        "filter checked in Python, no hit (negative)",
    ]
    rows = [
        [
            f"{r['conversations']:,}",
            f"{r['events']:,}",
            f"{r['before_s']:.2f} s" if r["before_s"] is not None else "not run",
            f"{r['page_s'] * 1000:.0f} ms",
            f"{r['middle_s'] * 1000:.0f} ms",
            f"{r['order_search_s'] * 1000:.0f} ms",
            f"{r['rare_page_s'] * 1000:.0f} ms ({r['rare_pages']}: "
            f"{r['rare_found_s'] * 1000:.0f} ms)",
            f"{r['negative_s'] * 1000:.0f} ms",
        ]
        for r in results
    ]
    return "\n".join(report.table(head, rows, align="r" * len(head)))


def table(results: List[Dict[str, Any]]) -> str:
    head = [
        "conversations",
        "events",
        "full read (before)",
        "incremental, first load",
        "incremental, nothing new",
        "incremental, one new conversation",
    ]
    rows = [
        [
            f"{r['conversations']:,}",
            f"{r['events']:,}",
            f"{r['full_read_s']:.2f} s",
            f"{r['incremental_first_s']:.2f} s",
            f"{r['incremental_unchanged_s'] * 1000:.0f} ms",
            f"{r['incremental_one_new_s'] * 1000:.0f} ms",
        ]
        for r in results
    ]
    return "\n".join(report.table(head, rows, align="r" * len(head)))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, nargs="+", default=None)
    parser.add_argument("--list", action="store_true", help="time the conversation list")
    args = parser.parse_args(argv)
    if args.list:
        print(list_table([measure_list(n) for n in args.conversations or [1000, 10_000, 100_000]]))
    else:
        print(table([measure(n) for n in args.conversations or [500, 2000, 8000]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
