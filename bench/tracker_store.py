"""A turn's cost against the length of its conversation: Rasa's SQLTrackerStore (the
baseline) beside ShopAssist's BoundedSQLTrackerStore, same model, same process, same run.

    python -m bench.tracker_store MODEL [--turns 400] [--actions URL]

One conversation of `--turns` turns (a cycle of non-LLM messages) is held in-process with
Rasa's Agent on a fresh SQLite tracker store of each kind; the median turn latency of turns
1-10 and of the last 10 turns is printed as a Markdown row. For ShopAssist's model, custom
actions need an action server (`--actions http://127.0.0.1:5055/webhook`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import structlog

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

    endpoint = EndpointConfig(actions) if actions else None
    agent = Agent.load(model, action_endpoint=endpoint)
    cycle = SHOPASSIST_CYCLE if actions else STOCK_CYCLE
    store_class = BoundedSQLTrackerStore if store_type == "bounded" else SQLTrackerStore
    with tempfile.TemporaryDirectory() as folder:
        agent.tracker_store = store_class(agent.domain, dialect="sqlite", db=f"{folder}/t.db")
        agent.processor.tracker_store = agent.tracker_store
        latencies: List[float] = []
        for turn in range(turns):
            started = time.perf_counter()
            await agent.handle_text(cycle[turn % len(cycle)], sender_id="long")
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def measure(model: str, store_type: str, turns: int, actions: Optional[str]) -> Dict:
    latencies = asyncio.run(_conversation(model, store_type, turns, actions))
    first, last = statistics.median(latencies[:10]), statistics.median(latencies[-10:])
    return {"store": store_type, "first_ms": first, "last_ms": last, "ratio": last / first}


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
    for store_type in ("rasa", "bounded"):
        r = measure(args.model, store_type, args.turns, args.actions)
        label = "Rasa's SQLTrackerStore" if store_type == "rasa" else "BoundedSQLTrackerStore"
        print(
            f"| {name} | {label} | {r['first_ms']:.0f} | {r['last_ms']:.0f} | x{r['ratio']:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
