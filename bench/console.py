"""The console's analytics at scale: a full read of the tracker store (the baseline, what
every page load did before) beside the incremental figures (per-conversation shares kept
between loads), on the same generated tracker store.

    python -m bench.console [--conversations 2000]

Conversations are copies of a 10-turn one written by Rasa's own SQLTrackerStore
(tests/console_kit.py), multiplied with SQL so that generating them takes seconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import create_engine

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


def table(results: List[Dict[str, Any]]) -> str:
    lines = [
        "| conversations | events | full read (before) | incremental, first load "
        "| incremental, nothing new | incremental, one new conversation |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['conversations']:,} | {r['events']:,} | {r['full_read_s']:.2f} s "
            f"| {r['incremental_first_s']:.2f} s | {r['incremental_unchanged_s'] * 1000:.0f} ms "
            f"| {r['incremental_one_new_s'] * 1000:.0f} ms |"
        )
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, nargs="+", default=[500, 2000, 8000])
    args = parser.parse_args(argv)
    print(table([measure(n) for n in args.conversations]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
