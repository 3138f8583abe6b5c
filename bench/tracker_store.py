"""A turn's cost against the length of its conversation: Rasa's SQLTrackerStore (the
baseline) beside ShopAssist's BoundedSQLTrackerStore, same model, same process, same run.

    python -m bench.tracker_store MODEL [--turns 400] [--actions URL]

One conversation of `--turns` turns (a cycle of non-LLM messages) is held in-process with
Rasa's Agent on a fresh SQLite tracker store of each kind (Rasa's; the bounded store reading
the whole session to find the state at its cut, as it did before its snapshots; the bounded
store with its snapshots); the median turn latency and the median time to load the tracker
of turns 1-10 and of the last 10 turns are printed as a Markdown row. For ShopAssist's model, custom
actions need an action server (`--actions http://127.0.0.1:5055/webhook`), started with the
same SHOPASSIST_ACTION_TOKEN as this command.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import structlog

from bench.report import row

SHOPASSIST_CYCLE = [
    "what is your return policy?",
    "are you a bot?",
    "how long does shipping take?",
    "thanks",
    "what payment methods do you accept?",
    "hello",
]
STOCK_CYCLE = ["hello", "I am sad", "yes", "great", "are you a bot?", "I am happy"]


async def _conversation(model: str, store_type: str, turns: int, actions: Optional[str]):
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import EndpointConfig

    from shopassist.tracker_store import BoundedSQLTrackerStore

    # The action server answers only callers with its token (endpoints.yml sends it).
    token = os.environ.get("SHOPASSIST_ACTION_TOKEN", "")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    endpoint = EndpointConfig(actions, headers=headers) if actions else None
    agent = Agent.load(model, action_endpoint=endpoint)
    cycle = SHOPASSIST_CYCLE if actions else STOCK_CYCLE
    with tempfile.TemporaryDirectory() as folder:
        db = f"{folder}/t.db"
        if store_type == "rasa":
            store = SQLTrackerStore(agent.domain, dialect="sqlite", db=db)
        else:
            store = BoundedSQLTrackerStore(
                agent.domain, dialect="sqlite", db=db, snapshots=store_type == "bounded"
            )
        loads: List[float] = []
        retrieve = store.retrieve

        async def timed_retrieve(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await retrieve(*args, **kwargs)
            finally:
                loads.append((time.perf_counter() - started) * 1000)

        store.retrieve = timed_retrieve
        agent.tracker_store = store
        agent.processor.tracker_store = agent.tracker_store
        latencies: List[float] = []
        load_per_turn: List[float] = []
        for turn in range(turns):
            loads.clear()
            started = time.perf_counter()
            await agent.handle_text(cycle[turn % len(cycle)], sender_id="long")
            latencies.append((time.perf_counter() - started) * 1000)
            load_per_turn.append(sum(loads))
    return latencies, load_per_turn


def measure(model: str, store_type: str, turns: int, actions: Optional[str]) -> Dict:
    latencies, loads = asyncio.run(_conversation(model, store_type, turns, actions))
    first, last = statistics.median(latencies[:10]), statistics.median(latencies[-10:])
    return {
        "store": store_type,
        "first_ms": first,
        "last_ms": last,
        "ratio": last / first,
        "load_first_ms": statistics.median(loads[:10]),
        "load_last_ms": statistics.median(loads[-10:]),
    }


LABELS = {
    "rasa": "Rasa's SQLTrackerStore",
    "bounded-whole-session": "BoundedSQLTrackerStore, no snapshot (the session read whole)",
    "bounded": "BoundedSQLTrackerStore (snapshot and the events after it)",
}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--actions", help="action server webhook (ShopAssist's model)")
    args = parser.parse_args(argv)
    # Rasa's per-turn debug logs (logging and structlog) would be measured too.
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    name = Path(args.model).name
    for store_type, label in LABELS.items():
        r = measure(args.model, store_type, args.turns, args.actions)
        cells = [name, label, f"{r['first_ms']:.0f}", f"{r['last_ms']:.0f}"]
        cells += [f"x{r['ratio']:.2f}", f"{r['load_first_ms']:.1f}", f"{r['load_last_ms']:.1f}"]
        print(row(cells), flush=True)  # a row of BENCHMARKS.md's table, as each is measured
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
