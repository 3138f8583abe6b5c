"""The action server's memory, alone: one server, no cluster, its RSS after start and after
each kind of action called through /webhook as the Rasa server calls it
(tests/webhook_kit.py), and which frameworks it has loaded.

    .venv/bin/python -m bench.serving --action-memory [--write]
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timezone
from typing import Any, Dict, List

from bench.report import publish
from bench.serving.plan import ANCHOR, REPO, shop_customers
from bench.serving.processes import frameworks_loaded, rss_mb, steady
from bench.serving.report import ACTION_MARKERS, action_memory_markdown


def action_memory(rounds: int = 5, command: str = "", write: bool = False) -> Dict[str, Any]:
    """RSS of one action server after start and after each kind of action, `rounds` runs
    each (a knowledge question, an order status with its identity check, a return through
    its form); the generator is the template one (no LLM)."""
    from bench import machine
    from shopassist.cluster import free_port, wait_until_up
    from shopassist.store.manage import ensure
    from tests import webhook_kit as kit
    from tests.servers import ACTION_TOKEN, BIN, Servers, base_env

    results_dir = REPO / "results" / "bench" / "serving"
    work = results_dir / "action-memory"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shop_db = f"sqlite:///{work / 'shop.sqlite3'}"
    ensure(shop_db, anchor=ANCHOR)
    customers = shop_customers(shop_db)
    returner = kit.returning_customer(shop_db)
    env = base_env(shop_db, SHOPASSIST_GENERATOR="template", SHOPASSIST_TODAY=ANCHOR.isoformat())
    port = free_port()
    servers = Servers(work)
    server, log = servers.start(
        "actions", [str(BIN / "python"), "-m", "shopassist.action_server", "--port", str(port)], env
    )
    steps: List[Dict[str, Any]] = []

    def measure(step: str, seconds: float, sample: str = "") -> None:
        steps.append(
            {
                "step": step,
                "seconds": round(seconds, 2),
                **rss_mb(server.pid),
                **frameworks_loaded(server.pid),
                "sample": sample[:200],
            }
        )
        print(f"bench: action memory: {steps[-1]}", flush=True)

    kinds = {
        "knowledge question": lambda call, n: kit.knowledge_question(call, f"memory-faq-{n}", n),
        "order status with identity check": lambda call, n: kit.order_status(
            call, f"memory-order-{n}", customers[n % len(customers)]
        ),
        "return step (form and offer)": lambda call, n: kit.return_step(
            call, f"memory-return-{n}", returner
        ),
    }
    try:
        began = time.perf_counter()
        wait_until_up(f"http://127.0.0.1:{port}/health", server, log, seconds=180)
        measure("after start (health answers)", time.perf_counter() - began)
        # The server builds the help pages' index in a thread after it starts: wait until
        # its memory stops growing, so the next figure is the server at rest, warmed up.
        steady(server.pid)
        measure("after the start's warm-up (RSS steady for 2 s)", time.perf_counter() - began)
        call = kit.WebhookCalls(f"http://127.0.0.1:{port}", ACTION_TOKEN)
        for kind, turn in kinds.items():
            began, sample = time.perf_counter(), ""
            for number in range(rounds):
                sample = turn(call, number)
            measure(f"after {rounds} x {kind}", time.perf_counter() - began, sample)
    finally:
        servers.stop()
    summary = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command or "python -m bench.serving --action-memory",
        "machine": machine.describe(),
        "rounds": rounds,
        "steps": steps,
    }
    out_json = results_dir / "action_memory.json"
    out_json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    publish(action_memory_markdown(summary), ACTION_MARKERS, write)
    if write:
        print("bench: action memory: bench/BENCHMARKS.md updated between its markers")
    return summary
