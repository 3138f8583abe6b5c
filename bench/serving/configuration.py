"""One configuration measured on its own cluster (shopassist/cluster.py): cold start, the
probe conversation, the warm-up, each load level, memory after each, and (one-instance
configurations) the long conversation. Returns the figures; nothing is asserted."""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench.serving.conversation import probe, run_long
from bench.serving.figures import best_under
from bench.serving.load import run_level, write_plan
from bench.serving.plan import PG_ADMIN_URL, RABBITMQ_URL, Config, Settings, display
from bench.serving.processes import rss_mb


def start_timed(cluster) -> Dict[str, Any]:
    """Cluster.start(), timed; meanwhile each process's health URL is polled, for the
    seconds until it first answers."""
    import requests

    ready: Dict[str, float] = {}
    done = threading.Event()
    begin = time.perf_counter()

    def poll() -> None:
        while not done.is_set():
            for process in [*cluster.rasa, *cluster.actions]:
                if process.name in ready or process.popen is None:
                    continue
                try:
                    if requests.get(process.health, timeout=1).ok:
                        ready[process.name] = round(time.perf_counter() - begin, 1)
                except requests.RequestException:
                    pass
            done.wait(0.25)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        cluster.start()
    finally:
        done.set()
        poller.join()
    return {"cluster_seconds": round(time.perf_counter() - begin, 1), "ready_seconds": ready}


def delete_queue(name: str) -> Optional[str]:
    """Deletes the cluster's RabbitMQ queue; returns a note if that failed."""
    import asyncio

    try:
        import aio_pika

        async def delete() -> None:
            connection = await aio_pika.connect_robust(RABBITMQ_URL)
            async with connection:
                channel = await connection.channel()
                await channel.queue_delete(name)

        asyncio.run(delete())
        return None
    except Exception as error:  # a leftover queue is a note, not a failed benchmark
        return f"RabbitMQ queue {name} not deleted: {error!r}"


def memory(cluster) -> Dict[str, Any]:
    return {p.name: rss_mb(p.popen.pid) for p in [*cluster.rasa, *cluster.actions]}


def _say(config: Config, text: str) -> None:
    print(f"bench: serving: {config.name}: {text}", flush=True)


def measure_config(
    config: Config,
    model: Path,
    shop_db: str,
    conversations: Sequence[Sequence[str]],
    cycle: Sequence[str],
    settings: Settings,
    workdir: Path,
    suffix: str,
) -> Dict[str, Any]:
    """`conversations`: the load's scripts, conversation n plays conversations[n % len]
    (the first is the probe); `cycle`: the long conversation's turns, repeated."""
    from shopassist.cluster import Cluster, create_database, drop_database

    result: Dict[str, Any] = {**asdict(config), "model": display(model)}
    tracker_name = f"shopassist_bench_trackers_{config.name.replace('-', '_')}_{suffix}"
    tracker_db = create_database(PG_ADMIN_URL, tracker_name)
    cluster = Cluster(
        workdir=workdir / config.name,
        model=model,
        tracker_db=tracker_db,
        shop_db=shop_db,
        rasa_servers=config.instances,
        action_servers=config.instances,
        # non-LLM turns only; every simulated customer comes from 127.0.0.1
        extra_env={
            "SHOPASSIST_GENERATOR": "template",
            "SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE": "0",
            "SHOPASSIST_IDENTITY_FAILURES_PER_CLIENT": "1000",
            "SHOPASSIST_IDENTITY_FREE_FAILURES_PER_TARGET": "1000",
        },
    )
    result.update(event_queue=cluster.event_queue, lock_prefix=cluster.lock_prefix)
    load_dir = workdir / config.name / "load"
    plan = write_plan(load_dir / "plan.json", conversations, settings.timeout)
    notes: List[str] = []
    try:
        _say(config, "starting the cluster ...")
        result["start"] = start_timed(cluster)
        start = result["start"]
        _say(config, f"ready in {start['cluster_seconds']} s ({start['ready_seconds']})")
        pids = {
            "rasa": [p.popen.pid for p in cluster.rasa],
            "actions": [p.popen.pid for p in cluster.actions],
        }
        result["probe"] = probe(cluster.url, conversations[0], settings.timeout)
        result["warmup"] = run_level(
            cluster.url,
            plan,
            settings.warmup_concurrency,
            settings,
            pids,
            load_dir / "warmup",
            seconds=settings.warmup_seconds,
            ramp=0.0,
        )
        result["memory_after_warmup"] = memory(cluster)
        result["levels"] = []
        for concurrency in settings.levels:
            level = run_level(
                cluster.url, plan, concurrency, settings, pids, load_dir / f"c{concurrency}"
            )
            result["levels"].append(level)
            _say(
                config,
                f"C={concurrency}: {level['turns_per_s']} turns/s, p50 {level['p50_ms']} ms,"
                f" p95 {level['p95_ms']} ms, errors {level['errors']}",
            )
        result["memory_after_load"] = memory(cluster)
        best = best_under(result["levels"])
        result["best_under_target"] = (
            None
            if best is None
            else {
                "concurrency": best["concurrency"],
                "turns_per_s": best["turns_per_s"],
                "turns_per_s_per_instance": round(best["turns_per_s"] / config.instances, 2),
                "p95_ms": best["p95_ms"],
            }
        )
        if config.long_conversation:
            _say(config, f"one {settings.long_turns}-turn conversation ...")
            result["long"] = run_long(cluster.url, cycle, settings.long_turns, settings.timeout)
            result["memory_after_long"] = memory(cluster)
            long = result["long"]
            _say(
                config,
                f"turns {long['first_turns']}: median {long['first_median_ms']} ms,"
                f" turns {long['last_turns']}: {long['last_median_ms']} ms (x{long['ratio']})",
            )
    except Exception as error:
        traceback.print_exc()
        _say(config, f"FAILED: {error}")
        result["error"] = f"{type(error).__name__}: {error}"[:3000]
    finally:
        cluster.stop()
        note = delete_queue(cluster.event_queue)
        if note:
            notes.append(note)
        try:
            drop_database(PG_ADMIN_URL, tracker_name)
        except Exception as error:
            notes.append(f"tracker database {tracker_name} not dropped: {error!r}")
    result["notes"] = notes
    return result
