"""The serving benchmark: ShopAssist beside the stock `rasa init` assistant, same cluster.

Four configurations, one after the other in one run, each on the production-shaped cluster
of shopassist/cluster.py (HAProxy in front, PostgreSQL tracker store in a fresh database,
Redis lock store, RabbitMQ event broker, action servers behind the proxy):

    shopassist-1  ShopAssist, 1 Rasa server + 1 action server
    stock-1       the stock `rasa init` assistant, 1 Rasa server (its action server idle)
    shopassist-2  ShopAssist, 2 + 2
    stock-2       stock, 2 + 2

For each: cold start to ready (Cluster.start() wall time, and per process the time until its
health URL answers), a warm-up, closed-loop load through the proxy at each concurrency level
(every client thread one conversation at a time, a fresh sender id and requests.Session per
conversation, the next turn sent as soon as the reply is in: no think time), RSS of every
Rasa and action server process after the warm-up and after the load, and (one-instance
configurations) one long conversation, turn by turn, for the cost of a turn as the
conversation grows. Nothing is asserted: the figures are printed and written down.

The stock assistant is made with `rasa init --no-prompt`, which also trains it with its own
config.yml (Rasa's default pipeline and policies). It is served with the same cluster
(credentials.yml and deploy/endpoints.production.yml of ShopAssist; its custom actions are
never called, so the action servers are ShopAssist's, idle).

    .venv/bin/python -m bench.serving [--quick] [--write]

Full: results/bench/serving/serving.json (logs and the stock project beside it) and, with
--write, the "Serving" section of bench/BENCHMARKS.md; about 25 minutes on 2 cores.
Quick (--quick): load levels 1 and 4 for 8 s, a 60-turn long conversation; results only in
results/bench/quick/serving.json.

    .venv/bin/python -m bench.serving --action-memory [--write]

Only the action server's memory: one server, no cluster, its RSS after start and after each
kind of action called through /webhook (tests/webhook_kit.py); about a minute; with --write,
the "Action server memory" table of bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.latency import percentile  # noqa: E402

MARKERS = ("<!-- serving-bench:start -->", "<!-- serving-bench:end -->")
PG_ADMIN_URL = os.environ.get(
    "SHOPASSIST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ANCHOR = date(2026, 11, 23)  # the shop database's seed anchor, as the tests use it
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1/"

# Targets of the issue, printed next to the figures (a run never fails on them).
TARGET_P95_MS = 200.0
TARGET_TURNS_PER_S_PER_INSTANCE = 50.0
TARGET_LONG_RATIO = 1.5

UNAVAILABLE_MARK = "temporarily unavailable"  # shopassist.channels.guard's apology

# One conversation of the load, 20 turns, none of them an LLM turn (the generator backend is
# forced to the template one), each understood (no fallback: two in a session hand the
# conversation to a person). {order} and {email}: a real pair from the shop database.
SHOPASSIST_SCRIPT = [
    "hi",
    "where is my order #{order}?",
    "{email}",
    "thanks",
    "what is your return policy?",
    "how long does shipping take?",
    "are you a bot?",
    "what payment methods do you accept?",
    "where is my order #{order}?",
    "great, thank you",
    "how do returns work?",
    "do you ship abroad?",
    "who are you?",
    "hello again",
    "is my order #{order} shipped yet?",
    "thanks a lot",
    "can I pay with paypal?",
    "what are your opening hours?",
    "how are you?",
    "that's all, thanks",
]
# The stock assistant's intents (greet, mood_unhappy, affirm, mood_great, goodbye,
# bot_challenge), 20 turns as well, each answered: its "no" after "Did that help you?" was
# answered with nothing (ShopAssist's REST channel then sends its apology, one more tracker
# read), so the affirm path only.
STOCK_SCRIPT = [
    "hi",
    "I am sad",
    "yes",
    "great",
    "are you a bot?",
    "hello",
    "I am feeling very good",
    "bye",
    "hey there",
    "I'm so sad",
    "indeed",
    "good morning",
    "am I talking to a bot?",
    "I am great",
    "hello there",
    "very sad",
    "of course",
    "wonderful",
    "are you a human?",
    "bye bye",
]
# The long conversation: these cycles repeated, nothing that ends the conversation.
SHOPASSIST_CYCLE = [
    "hi",
    "what is your return policy?",
    "thanks",
    "how long does shipping take?",
    "are you a bot?",
    "what payment methods do you accept?",
    "great, thank you",
    "do you ship abroad?",
    "what are your opening hours?",
    "how are you?",
]
STOCK_CYCLE = [
    "hi",
    "I am sad",
    "yes",
    "great",
    "are you a bot?",
    "hello",
    "I am feeling very good",
    "hey there",
    "I'm so sad",
    "of course",
]


@dataclass(frozen=True)
class Config:
    name: str
    title: str
    assistant: str  # "shopassist" or "stock"
    instances: int  # Rasa servers, and as many action servers
    long_conversation: bool  # the turn-cost-vs-length run (one-instance configurations)


CONFIGS = (
    Config("shopassist-1", "ShopAssist, 1 Rasa + 1 action server", "shopassist", 1, True),
    Config("stock-1", "stock `rasa init`, 1 Rasa (+1 idle action server)", "stock", 1, True),
    Config("shopassist-2", "ShopAssist, 2 Rasa + 2 action servers", "shopassist", 2, False),
    Config("stock-2", "stock `rasa init`, 2 Rasa (+2 idle action servers)", "stock", 2, False),
)
ASSISTANTS = {"shopassist": "ShopAssist", "stock": "stock `rasa init`"}


@dataclass(frozen=True)
class Settings:
    levels: Tuple[int, ...]
    level_seconds: float  # measured part of each level
    ramp_seconds: float  # before it, not counted (client threads start staggered over it)
    warmup_seconds: float
    warmup_concurrency: int
    long_turns: int
    timeout: float = 60.0  # per HTTP request

    @staticmethod
    def of(quick: bool) -> Settings:
        if quick:
            return Settings((1, 4), 8.0, 1.0, 4.0, 4, 60)
        return Settings((1, 2, 4, 8, 16), 30.0, 2.0, 10.0, 4, 400)


# --------------------------------------------------------------------------- pure parts


@dataclass
class Turn:
    """One request: when it started and ended (perf_counter seconds) and what came back."""

    position: int  # 1-based turn number within its conversation
    started: float
    ended: float
    status: int = 0  # HTTP status; 0 when no response came
    replies: int = 0  # bot messages in the answer
    unavailable: bool = False  # the guard's "temporarily unavailable" apology among them
    error: str = ""

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000.0

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error


def _round(value: Optional[float], digits: int = 1) -> Optional[float]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, digits)


def summarize_level(turns: Sequence[Turn], window: Tuple[float, float]) -> Dict[str, Any]:
    """Figures of the turns that ended inside `window` (start, end in perf_counter seconds).

    turns/s and the latency percentiles count answered turns (HTTP 200); errors (other
    statuses, timeouts, refused connections) are counted apart, as are answers without any
    bot message (`empty_replies`) and answers with the guard's "temporarily unavailable".
    """
    start, end = window
    seconds = max(end - start, 1e-9)
    counted = [t for t in turns if start <= t.ended <= end]
    answered = [t for t in counted if t.ok]
    latencies = [t.ms for t in answered]
    by_position: Dict[int, List[float]] = {}
    for turn in answered:
        by_position.setdefault(turn.position, []).append(turn.ms)
    errors = [t for t in counted if not t.ok]
    return {
        "seconds": round(seconds, 2),
        "turns": len(answered),
        "turns_per_s": round(len(answered) / seconds, 2),
        "p50_ms": _round(percentile(latencies, 50)),
        "p95_ms": _round(percentile(latencies, 95)),
        "p99_ms": _round(percentile(latencies, 99)),
        "mean_ms": _round(statistics.fmean(latencies)) if latencies else None,
        "max_ms": _round(max(latencies)) if latencies else None,
        "errors": len(errors),
        "error_examples": sorted({t.error or f"HTTP {t.status}" for t in errors})[:5],
        "empty_replies": sum(1 for t in answered if t.replies == 0),
        "unavailable_replies": sum(1 for t in answered if t.unavailable),
        "p50_ms_by_turn": {
            str(p): _round(percentile(v, 50)) for p, v in sorted(by_position.items())
        },
    }


def best_under(levels: Sequence[Dict[str, Any]], p95_ms: float = TARGET_P95_MS):
    """The level with the highest turns/s whose p95 is under `p95_ms` and that had no
    errors; None if there is none."""
    fitting = [
        level
        for level in levels
        if level.get("turns")
        and level.get("p95_ms") is not None
        and level["p95_ms"] < p95_ms
        and not level.get("errors")
    ]
    return max(fitting, key=lambda level: level["turns_per_s"], default=None)


def long_summary(latencies_ms: Sequence[float], block: int = 10) -> Dict[str, Any]:
    """Median latency of each `block` turns of one long conversation, first against last."""
    n = len(latencies_ms)
    blocks = [
        {
            "turns": f"{i + 1}-{min(i + block, n)}",
            "median_ms": _round(statistics.median(latencies_ms[i : i + block])),
        }
        for i in range(0, n, block)
    ]
    first = statistics.median(latencies_ms[:block]) if n else None
    last = statistics.median(latencies_ms[-block:]) if n else None
    return {
        "turns": n,
        "first_turns": f"1-{min(block, n)}",
        "first_median_ms": _round(first),
        "last_turns": f"{max(n - block + 1, 1)}-{n}",
        "last_median_ms": _round(last),
        "ratio": round(last / first, 2) if first else None,
        "blocks": blocks,
    }


def parse_stat(text: str) -> Tuple[int, int]:
    """(parent pid, CPU clock ticks user + system) from /proc/<pid>/stat (comm may hold
    spaces and parentheses: the fields start after its last ')')."""
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def parse_rss_kb(status: str) -> Optional[int]:
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


# --------------------------------------------------------------------------- processes


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""


def process_tree(pid: int) -> List[int]:
    """`pid` and its descendants, from /proc (psutil is not installed)."""
    parents: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            text = _read(f"/proc/{entry}/stat")
            if text:
                parents.setdefault(parse_stat(text)[0], []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def rss_mb(pid: int) -> Dict[str, Any]:
    """Resident memory of a process and its children (MB), from /proc/<pid>/status."""
    pids = process_tree(pid)
    kb = [parse_rss_kb(_read(f"/proc/{p}/status")) for p in pids]
    known = [k for k in kb if k is not None]
    return {"rss_mb": round(sum(known) / 1024, 1) if known else None, "processes": len(known)}


def cpu_seconds(pids: Sequence[int]) -> float:
    """CPU time used so far by these processes and their children."""
    ticks = 0
    for pid in pids:
        for p in process_tree(pid):
            text = _read(f"/proc/{p}/stat")
            if text:
                ticks += parse_stat(text)[1]
    return ticks / os.sysconf("SC_CLK_TCK")


def _client_cpu() -> float:
    times = os.times()
    return times.user + times.system


# --------------------------------------------------------------------------- load


def _turn(session, url: str, sender: str, text: str, position: int, timeout: float):
    """One turn through the proxy: (Turn, the reply texts)."""
    import requests

    started = time.perf_counter()
    turn = Turn(position, started, started)
    texts: List[str] = []
    try:
        response = session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        turn.status = response.status_code
        if response.status_code == 200:
            texts = [str(m.get("text") or m.get("custom") or m) for m in response.json()]
    except (requests.RequestException, ValueError) as error:
        turn.error = type(error).__name__
    turn.ended = time.perf_counter()
    turn.replies = len(texts)
    turn.unavailable = any(UNAVAILABLE_MARK in t for t in texts)
    return turn, texts


def drive(
    url: str,
    make_script: Callable[[int], List[str]],
    concurrency: int,
    seconds: float,
    ramp: float,
    timeout: float,
) -> Tuple[List[Turn], Tuple[float, float], int]:
    """Closed-loop load: `concurrency` threads, each running whole scripted conversations
    one after the other (fresh sender id and session each) until the time is up. Threads
    start staggered over `ramp`; the window counted is (start + ramp, end). Returns the
    turns, the window and how many conversations were started."""
    import requests

    numbers = itertools.count()
    begin = time.perf_counter()
    window = (begin + ramp, begin + ramp + seconds)
    turns: List[List[Turn]] = [[] for _ in range(concurrency)]

    def client(index: int) -> None:
        time.sleep(ramp * index / concurrency)
        while time.perf_counter() < window[1]:
            number = next(numbers)
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            with requests.Session() as session:  # keeps HAProxy's cookie, as a browser does
                for position, text in enumerate(make_script(number), 1):
                    if time.perf_counter() >= window[1]:
                        break
                    turn, _ = _turn(session, url, sender, text, position, timeout)
                    turns[index].append(turn)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    started = next(numbers)
    return [t for worker in turns for t in worker], window, started


def run_level(
    url: str,
    make_script: Callable[[int], List[str]],
    concurrency: int,
    settings: Settings,
    pids: Dict[str, List[int]],
    seconds: Optional[float] = None,
    ramp: Optional[float] = None,
) -> Dict[str, Any]:
    seconds = settings.level_seconds if seconds is None else seconds
    ramp = settings.ramp_seconds if ramp is None else ramp
    load_before = os.getloadavg()[0]
    cpu_before = {kind: cpu_seconds(p) for kind, p in pids.items()}
    client_before, wall_before = _client_cpu(), time.perf_counter()
    turns, window, conversations = drive(
        url, make_script, concurrency, seconds, ramp, settings.timeout
    )
    wall = time.perf_counter() - wall_before
    level = {"concurrency": concurrency, **summarize_level(turns, window)}
    level["conversations_started"] = conversations
    cores = {kind: (cpu_seconds(p) - cpu_before[kind]) / wall for kind, p in pids.items()}
    cores["client"] = (_client_cpu() - client_before) / wall
    level["cores_busy"] = {kind: round(value, 2) for kind, value in cores.items()}
    level["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return level


def run_long(url: str, cycle: Sequence[str], turns: int, timeout: float) -> Dict[str, Any]:
    """One conversation of `turns` turns, sequential, `cycle` repeated."""
    import requests

    sender = f"bench-long-{uuid.uuid4().hex[:10]}"
    records: List[Turn] = []
    transcript: List[Dict[str, Any]] = []
    with requests.Session() as session:
        for index in range(turns):
            text = cycle[index % len(cycle)]
            turn, replies = _turn(session, url, sender, text, index + 1, timeout)
            records.append(turn)
            if index < 10 or index >= turns - 10:
                transcript.append({"turn": index + 1, "text": text, "replies": replies})
    latencies = [t.ms for t in records]
    return {
        **long_summary(latencies),
        "errors": sum(1 for t in records if not t.ok),
        "empty_replies": sum(1 for t in records if t.ok and t.replies == 0),
        "unavailable_replies": sum(1 for t in records if t.unavailable),
        "latencies_ms": [round(v, 1) for v in latencies],
        "transcript": transcript,
    }


def probe(url: str, script: Sequence[str], timeout: float) -> List[Dict[str, Any]]:
    """One scripted conversation, with the replies kept: what the load actually asks."""
    import requests

    sender = f"bench-probe-{uuid.uuid4().hex[:10]}"
    rows = []
    with requests.Session() as session:
        for position, text in enumerate(script, 1):
            turn, replies = _turn(session, url, sender, text, position, timeout)
            rows.append(
                {
                    "text": text,
                    "ms": round(turn.ms, 1),
                    "status": turn.status,
                    "error": turn.error,
                    "replies": replies,
                }
            )
    return rows


# --------------------------------------------------------------------------- cluster


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


def measure_config(
    config: Config,
    model: Path,
    shop_db: str,
    make_script: Callable[[int], List[str]],
    script: Sequence[str],
    cycle: Sequence[str],
    settings: Settings,
    workdir: Path,
    suffix: str,
) -> Dict[str, Any]:
    from shopassist.cluster import Cluster, create_database, drop_database

    result: Dict[str, Any] = {**asdict(config), "model": _display(model)}
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
    notes: List[str] = []
    try:
        print(f"bench: serving: {config.name}: starting the cluster ...", flush=True)
        result["start"] = start_timed(cluster)
        print(
            f"bench: serving: {config.name}: ready in {result['start']['cluster_seconds']} s"
            f" ({result['start']['ready_seconds']})",
            flush=True,
        )
        pids = {
            "rasa": [p.popen.pid for p in cluster.rasa],
            "actions": [p.popen.pid for p in cluster.actions],
        }
        result["probe"] = probe(cluster.url, script, settings.timeout)
        result["warmup"] = run_level(
            cluster.url,
            make_script,
            settings.warmup_concurrency,
            settings,
            pids,
            seconds=settings.warmup_seconds,
            ramp=0.0,
        )
        result["memory_after_warmup"] = memory(cluster)
        result["levels"] = []
        for concurrency in settings.levels:
            level = run_level(cluster.url, make_script, concurrency, settings, pids)
            result["levels"].append(level)
            print(
                f"bench: serving: {config.name}: C={concurrency}: {level['turns_per_s']} turns/s,"
                f" p50 {level['p50_ms']} ms, p95 {level['p95_ms']} ms, errors {level['errors']}",
                flush=True,
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
            print(
                f"bench: serving: {config.name}: one {settings.long_turns}-turn conversation ...",
                flush=True,
            )
            result["long"] = run_long(cluster.url, cycle, settings.long_turns, settings.timeout)
            result["memory_after_long"] = memory(cluster)
            long = result["long"]
            print(
                f"bench: serving: {config.name}: turns {long['first_turns']}: median"
                f" {long['first_median_ms']} ms, turns {long['last_turns']}:"
                f" {long['last_median_ms']} ms (x{long['ratio']})",
                flush=True,
            )
    except Exception as error:
        traceback.print_exc()
        print(f"bench: serving: {config.name} FAILED: {error}", flush=True)
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


# --------------------------------------------------------------------------- set-up


def init_stock(folder: Path) -> Tuple[Path, float, List[str]]:
    """`rasa init --no-prompt` into `folder`: the stock project, trained with its own config."""
    from bench import pipelines

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    command = pipelines.rasa_command("init", "--no-prompt", "--init-dir", str(folder))
    seconds = pipelines.run_logged(command, folder.parent / "stock-init.log", REPO)
    models = sorted((folder / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init left no model in {folder / 'models'}")
    return models[-1], seconds, command


def current_model() -> Path:
    output = subprocess.run(
        ["bash", str(REPO / "scripts" / "current-model.sh")],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (REPO / output).resolve()


def shop_customers(shop_db: str) -> List[Dict[str, str]]:
    """Every seeded customer with one of their orders: real e-mail/order pairs."""
    from shopassist.store.db import session_scope
    from shopassist.store.models import Customer

    with session_scope(shop_db) as session:
        rows = session.query(Customer).order_by(Customer.id).all()
        return [{"email": c.email, "order": str(c.orders[0].id)} for c in rows if c.orders]


def _display(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def run(quick: bool = False, write: bool = False, command: str = "") -> Dict[str, Any]:
    from bench import machine
    from shopassist.cluster import create_database, drop_database

    started = time.perf_counter()
    settings = Settings.of(quick)
    results_dir = REPO / "results" / "bench" / ("quick" if quick else "serving")
    out_json = results_dir / "serving.json"
    work = results_dir / "serving" if quick else results_dir
    for stale in ("logs", "stock-init"):
        shutil.rmtree(work / stale, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    if not command:
        command = "make bench" if "MAKELEVEL" in os.environ else "bench/run.py"
        command += " --quick --only serving" if quick else ""

    summary: Dict[str, Any] = {
        "mode": "quick" if quick else "full",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": machine.describe(),
        "settings": asdict(settings),
        "scripts": {
            "shopassist": {"load": SHOPASSIST_SCRIPT, "long_cycle": SHOPASSIST_CYCLE},
            "stock": {"load": STOCK_SCRIPT, "long_cycle": STOCK_CYCLE},
        },
        "targets": {
            "p95_ms": TARGET_P95_MS,
            "turns_per_s_per_instance": TARGET_TURNS_PER_S_PER_INSTANCE,
            "long_ratio": TARGET_LONG_RATIO,
        },
        "configurations": [],
        "notes": [],
        "failed": [],
    }
    models: Dict[str, Path] = {"shopassist": current_model()}
    summary["models"] = {"shopassist": _display(models["shopassist"])}
    print(f"bench: serving: ShopAssist model {summary['models']['shopassist']}", flush=True)
    print(
        "bench: serving: rasa init --no-prompt (creates and trains the stock assistant) ...",
        flush=True,
    )
    try:
        stock_model, seconds, init_command = init_stock(work / "stock-init")
        models["stock"] = stock_model
        summary["models"]["stock"] = _display(stock_model)
        summary["stock_init"] = {
            "seconds": round(seconds, 1),
            "command": " ".join(["rasa", *init_command[1:]]).replace(f"{REPO}/", ""),
        }
        print(f"bench: serving: stock assistant trained in {seconds:.0f} s", flush=True)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"bench: serving: rasa init FAILED: {error}", flush=True)
        summary["stock_init"] = {"error": str(error)[:3000]}
        summary["failed"].append("stock-init")

    from shopassist.store.db import get_engine
    from shopassist.store.manage import ensure

    suffix = uuid.uuid4().hex[:8]
    shop_name = f"shopassist_bench_shop_{suffix}"
    shop_db = create_database(PG_ADMIN_URL, shop_name)
    try:
        ensure(shop_db, anchor=ANCHOR)
        customers = shop_customers(shop_db)
        get_engine(shop_db).dispose()

        def shop_script(number: int) -> List[str]:
            customer = customers[number % len(customers)]
            return [line.format(**customer) for line in SHOPASSIST_SCRIPT]

        def stock_script(_number: int) -> List[str]:
            return list(STOCK_SCRIPT)

        scripts = {
            "shopassist": (shop_script, shop_script(0), SHOPASSIST_CYCLE),
            "stock": (stock_script, STOCK_SCRIPT, STOCK_CYCLE),
        }
        for config in CONFIGS:
            if config.assistant not in models:
                summary["configurations"].append(
                    {**asdict(config), "error": "no model (rasa init failed)"}
                )
                summary["failed"].append(config.name)
                continue
            make_script, script, cycle = scripts[config.assistant]
            result = measure_config(
                config,
                models[config.assistant],
                shop_db,
                make_script,
                script,
                cycle,
                settings,
                work / "logs",
                suffix,
            )
            summary["configurations"].append(result)
            summary["notes"] += result.pop("notes", [])
            if "error" in result:
                summary["failed"].append(config.name)
    finally:
        get_engine(shop_db).dispose()
        try:
            drop_database(PG_ADMIN_URL, shop_name)
        except Exception as error:
            summary["notes"].append(f"shop database {shop_name} not dropped: {error!r}")

    summary["total_seconds"] = round(time.perf_counter() - started, 1)
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    section = write_markdown(summary)
    (work / "REPORT.md").write_text(section, encoding="utf-8")
    print(section)
    print(f"bench: serving: figures in {_display(out_json)}")
    for note in summary["notes"]:
        print(f"bench: serving: note: {note}")
    if write and not quick:
        if summary["failed"]:
            print(
                f"bench: serving: {', '.join(summary['failed'])} failed;"
                " BENCHMARKS.md left as it was"
            )
        else:
            from bench.report import replace_section

            path = REPO / "bench" / "BENCHMARKS.md"
            document = path.read_text(encoding="utf-8") if path.exists() else ""
            path.write_text(replace_section(document, section, MARKERS), encoding="utf-8")
            print("bench: serving: bench/BENCHMARKS.md updated between the serving-bench markers")
    return summary


# --------------------------------------------------------------------------- Markdown


def _num(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def _verdict(met: Optional[bool]) -> str:
    return "n/a" if met is None else ("**met**" if met else "**not met**")


def _duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "n/a"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _configs(summary: Dict[str, Any]) -> List[Dict[str, Any]]:
    return summary.get("configurations") or []


def _start_table(summary: Dict[str, Any]) -> List[str]:
    lines = [
        "| configuration | cluster start to ready (s) | each Rasa server: s until `GET /` answers"
        " | each action server: s until `/health` answers |",
        "|---|---|---|---|",
    ]
    for c in _configs(summary):
        start = c.get("start") or {}
        ready = start.get("ready_seconds") or {}
        rasa = ", ".join(f"{_num(v, 1)}" for k, v in sorted(ready.items()) if k.startswith("rasa"))
        acts = ", ".join(f"{_num(v, 1)}" for k, v in sorted(ready.items()) if k.startswith("act"))
        lines.append(
            f"| {c['title']} | {_num(start.get('cluster_seconds'), 1)} | {rasa or 'n/a'}"
            f" | {acts or 'n/a'} |"
        )
    return lines


def _load_table(summary: Dict[str, Any]) -> List[str]:
    lines = [
        "| configuration | concurrent conversations | turns/s | turns/s per Rasa server"
        " | p50 / p95 / p99 (ms) | turns | errors | empty / apology replies"
        " | cores busy: Rasa / actions / client |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in _configs(summary):
        for level in c.get("levels") or []:
            cores = level.get("cores_busy") or {}
            lines.append(
                f"| {c['title']} | {level['concurrency']} | {_num(level['turns_per_s'], 1)}"
                f" | {_num(level['turns_per_s'] / c['instances'], 1)}"
                f" | {_num(level['p50_ms'])} / {_num(level['p95_ms'])} / {_num(level['p99_ms'])}"
                f" | {level['turns']} | {level['errors']}"
                f" | {level['empty_replies']} / {level['unavailable_replies']}"
                f" | {_num(cores.get('rasa'), 2)} / {_num(cores.get('actions'), 2)}"
                f" / {_num(cores.get('client'), 2)} |"
            )
        if c.get("error"):
            lines.append(f"| {c['title']} | failed: {c['error'][:200]} |  |  |  |  |  |  |  |")
    return lines


def _best(summary: Dict[str, Any], name: str) -> Optional[Dict[str, Any]]:
    for c in _configs(summary):
        if c.get("name") == name:
            return c.get("best_under_target")
    return None


def _best_table(summary: Dict[str, Any]) -> List[str]:
    target = summary.get("targets", {}).get("turns_per_s_per_instance", 50)
    p95 = summary.get("targets", {}).get("p95_ms", TARGET_P95_MS)
    lines = [
        f"| configuration | highest turns/s with p95 < {p95:g} ms and no errors"
        " | per Rasa server | at concurrency | its p95 (ms)"
        f" | target: >= {target:g} turns/s per server and no worse than stock |",
        "|---|---|---|---|---|---|",
    ]
    for c in _configs(summary):
        best = c.get("best_under_target")
        verdict = ""
        if c.get("assistant") == "shopassist":
            stock = _best(summary, c["name"].replace("shopassist", "stock"))
            met = None
            if c.get("levels"):
                ours = best["turns_per_s_per_instance"] if best else 0.0
                theirs = stock["turns_per_s_per_instance"] if stock else 0.0
                met = ours >= target and ours >= theirs
            verdict = _verdict(met)
        if best is None:
            none = "none" if c.get("levels") else "n/a"
            lines.append(f"| {c['title']} | {none} |  |  |  | {verdict} |")
            continue
        lines.append(
            f"| {c['title']} | {_num(best['turns_per_s'], 1)}"
            f" | {_num(best['turns_per_s_per_instance'], 1)} | {best['concurrency']}"
            f" | {_num(best['p95_ms'])} | {verdict} |"
        )
    return lines


def _memory_table(summary: Dict[str, Any]) -> List[str]:
    lines = [
        "| configuration | process | RSS after warm-up (MB) | after the load (MB)"
        " | after the long conversation (MB) |",
        "|---|---|---|---|---|",
    ]
    for c in _configs(summary):
        warm = c.get("memory_after_warmup") or {}
        for name in sorted(warm, key=lambda n: (not n.startswith("rasa"), n)):
            cells = [
                _num(((c.get(key) or {}).get(name) or {}).get("rss_mb"))
                for key in ("memory_after_warmup", "memory_after_load", "memory_after_long")
            ]
            if "memory_after_long" not in c:
                cells[2] = "-"
            lines.append(f"| {c['title']} | {name} | {' | '.join(cells)} |")
    return lines


def _long_table(summary: Dict[str, Any]) -> List[str]:
    runs = [(c, c["long"]) for c in _configs(summary) if c.get("long")]
    if not runs:
        return ["No long conversation was measured."]
    n = runs[0][1]["turns"]
    blocks = runs[0][1]["blocks"]
    picks = sorted({0, len(blocks) // 4, len(blocks) // 2, (3 * len(blocks)) // 4, len(blocks) - 1})
    target = summary.get("targets", {}).get("long_ratio", TARGET_LONG_RATIO)
    lines = [
        f"| turns (of one {n}-turn conversation), median latency (ms) | "
        + " | ".join(ASSISTANTS.get(c["assistant"], c["title"]) for c, _ in runs)
        + " |",
        "|---|" + "---|" * len(runs),
    ]
    for i in picks:
        cells = []
        for _, long in runs:
            block = long["blocks"][i] if i < len(long["blocks"]) else None
            cells.append(_num(block["median_ms"]) if block else "n/a")
        lines.append(f"| turns {blocks[i]['turns']} | " + " | ".join(cells) + " |")
    ratio_cells = []
    for c, long in runs:
        ratio = long.get("ratio")
        met = None if ratio is None else ratio <= target
        mark = (
            f" (target <= {target:g}x: {_verdict(met)})" if c["assistant"] == "shopassist" else ""
        )
        ratio_cells.append(f"{_num(ratio, 2)}x{mark}")
    lines.append(
        f"| last / first (turns {runs[0][1]['last_turns']} against {runs[0][1]['first_turns']}) | "
        + " | ".join(ratio_cells)
        + " |"
    )
    problems = [
        f"{ASSISTANTS.get(c['assistant'])}: {long['errors']} errors,"
        f" {long['empty_replies']} empty and {long['unavailable_replies']} apology replies"
        for c, long in runs
        if long.get("errors") or long.get("empty_replies") or long.get("unavailable_replies")
    ]
    if problems:
        lines += ["", "Long conversations with failed turns: " + "; ".join(problems) + "."]
    return lines


def _script_lines(summary: Dict[str, Any]) -> List[str]:
    scripts = summary.get("scripts") or {}
    lines = []
    for key, title in ASSISTANTS.items():
        script = scripts.get(key) or {}
        if script:
            load = " / ".join(f"“{t}”" for t in script.get("load", []))
            cycle = " / ".join(f"“{t}”" for t in script.get("long_cycle", []))
            lines.append(
                f"- {title}, load ({len(script.get('load', []))} turns): {load}."
                f" Long conversation (this cycle of {len(script.get('long_cycle', []))}"
                f" repeated): {cycle}."
            )
    return lines


def write_markdown(summary: Dict[str, Any]) -> str:
    """The "Serving" section of bench/BENCHMARKS.md for one run (without the markers)."""
    machine = summary.get("machine") or {}
    settings = summary.get("settings") or {}
    quick = summary.get("mode") == "quick"
    load_len = len((summary.get("scripts") or {}).get("shopassist", {}).get("load", [])) or 20
    long_turns = settings.get("long_turns")
    levels = ", ".join(str(c) for c in settings.get("levels", []))
    title = "## Serving: ShopAssist beside the stock `rasa init` assistant, same cluster"
    if quick:
        title += " (quick mode: not comparable to the targets)"
    stock_init = summary.get("stock_init") or {}
    init_text = (
        f" The stock assistant: `{stock_init['command']}` (creates the project and trains it"
        f" with its own config.yml, Rasa's default pipeline and policies;"
        f" {_duration(stock_init.get('seconds'))})."
        if stock_init.get("command")
        else " The stock assistant could not be made: "
        + str(stock_init.get("error", "not run"))[:300]
    )
    models = summary.get("models") or {}
    lines = [
        title,
        "",
        f"Measured on {summary.get('date')} with `{summary.get('command')}`"
        f" in {_duration(summary.get('total_seconds'))}"
        f" on {machine.get('cpu')}, {machine.get('cores')} cores, {machine.get('ram_gib')} GiB"
        f" RAM ({machine.get('os')}, Python {machine.get('python')}, Rasa {machine.get('rasa')}).",
        "",
        "Every configuration runs on the cluster of `shopassist/cluster.py`, one after the other"
        " in the same run: HAProxy in front, PostgreSQL tracker store (a fresh database each),"
        " Redis lock store, RabbitMQ event broker, the action servers behind the proxy,"
        " `deploy/endpoints.production.yml` (so both assistants run on ShopAssist's bounded"
        " SQL tracker store; Rasa's own store is compared in *Long conversations* below);"
        " all on this machine with the load generator"
        " (Python threads in the benchmark's process: its CPU share is the *client* column)."
        f" ShopAssist: `{models.get('shopassist')}`, generator backend `template` (no LLM"
        " turn)." + init_text + " Its custom actions are never called; the action servers are"
        " ShopAssist's, idle.",
        "",
        "### Cold start",
        "",
        "Seconds from starting the processes until each answers its health URL (all start at"
        " once; the cluster is ready when the last one, HAProxy included, answers).",
        "",
        *_start_table(summary),
        "",
        "### Throughput and turn latency under load",
        "",
        f"Closed loop through the proxy: each of C client threads runs whole {load_len}-turn"
        " conversations one after the other (a fresh sender id and HTTP session each), sending"
        " the next turn as soon as the reply is in (no think time). Figures over **turns"
        f" 1-{load_len} of {load_len}-turn conversations** (every position; the scripts are"
        f" below), {_num(settings.get('level_seconds'))} s per level (C = {levels}) after a"
        f" {_num(settings.get('ramp_seconds'))} s ramp, after a"
        f" {_num(settings.get('warmup_seconds'))} s warm-up at C ="
        f" {settings.get('warmup_concurrency')}; turns/s and latencies count the turns answered"
        " (HTTP 200) that ended in the measured window; errors are other statuses and"
        " timeouts. Empty: answers without any bot message; apology: ShopAssist's"
        ' "temporarily unavailable" reply. Cores busy: CPU seconds per wall second of the'
        " Rasa servers, the action servers and the load generator.",
        "",
        *_load_table(summary),
        "",
        *_best_table(summary),
        "",
        "### Memory",
        "",
        "Resident set size of each server process with its children (VmRSS from /proc),"
        f" after the warm-up, after the load levels and after the {long_turns}-turn"
        " conversation (one-server configurations).",
        "",
        *_memory_table(summary),
        "",
        "### Turn cost as a conversation grows",
        "",
        f"One conversation of {long_turns} turns against the one-server cluster of each"
        " assistant, one turn at a time through the proxy, each turn timed; median of each"
        " block of 10 turns.",
        "",
        *_long_table(summary),
        "",
        "Scripts (non-LLM turns only; ShopAssist's order questions use a real e-mail/order pair"
        " of the seeded shop database, a different customer per conversation):",
        "",
        *_script_lines(summary),
    ]
    notes = summary.get("notes") or []
    failed = summary.get("failed") or []
    if failed or notes:
        lines += [
            "",
            "Problems in this run: " + "; ".join([*(f"{f} failed" for f in failed), *notes]) + ".",
        ]
    lines += [
        "",
        f"Per-turn figures, the replies of one probe conversation per configuration and the"
        f" long conversations' latencies: `{_display_results(quick)}`.",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- action server


ACTION_MARKERS = ("<!-- action-memory:start -->", "<!-- action-memory:end -->")
# Shared libraries whose mapping in /proc/<pid>/maps says the framework is loaded.
FRAMEWORK_LIBRARIES = {"tensorflow": "libtensorflow_framework", "torch": "libtorch_cpu"}


def frameworks_loaded(pid: int) -> Dict[str, bool]:
    maps = _read(f"/proc/{pid}/maps")
    return {name: library in maps for name, library in FRAMEWORK_LIBRARIES.items()}


def steady(pid: int, seconds: float = 2.0, limit: float = 120.0) -> None:
    """Returns when the process's RSS has moved less than 1 MB over `seconds` (or after
    `limit` seconds)."""
    deadline = time.monotonic() + limit
    last = rss_mb(pid).get("rss_mb") or 0.0
    while time.monotonic() < deadline:
        time.sleep(seconds)
        now = rss_mb(pid).get("rss_mb") or 0.0
        if abs(now - last) < 1.0:
            return
        last = now


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
    section = action_memory_markdown(summary)
    print(section)
    if write:
        from bench.report import replace_section

        path = REPO / "bench" / "BENCHMARKS.md"
        path.write_text(
            replace_section(path.read_text(encoding="utf-8"), section, ACTION_MARKERS),
            encoding="utf-8",
        )
        print("bench: action memory: bench/BENCHMARKS.md updated between its markers")
    return summary


def action_memory_markdown(summary: Dict[str, Any]) -> str:
    """The "Action server memory" table of bench/BENCHMARKS.md for one run."""
    machine = summary.get("machine") or {}
    yes = {True: "yes", False: "no"}
    rows = [
        f"| {s['step']} | {_num(s.get('rss_mb'))} | {yes[s['tensorflow']]} | {yes[s['torch']]}"
        f" | {_num(s.get('seconds'), 1)} |"
        for s in summary.get("steps", [])
    ]
    return (
        "\n".join(
            [
                f"Measured on {summary.get('date')} with `{summary.get('command')}` on"
                f" {machine.get('cpu')}, {machine.get('cores')} cores (Python"
                f" {machine.get('python')}): one action server (`python -m"
                " shopassist.action_server`, generator `template`, a seeded SQLite shop database),"
                " each kind of action run in turn through `/webhook` as the Rasa server calls it;"
                " RSS is VmRSS of the server process from /proc, the frameworks are the ones whose"
                " library the process has mapped (/proc/<pid>/maps).",
                "",
                "| step | RSS (MB) | TensorFlow loaded | PyTorch loaded | seconds |",
                "|---|---|---|---|---|",
                *rows,
            ]
        )
        + "\n"
    )


def _display_results(quick: bool) -> str:
    return "results/bench/quick/serving.json" if quick else "results/bench/serving/serving.json"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="levels 1 and 4, 8 s; 60 turns")
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    parser.add_argument(
        "--action-memory",
        action="store_true",
        help="only the action server's memory after each kind of action (about a minute)",
    )
    args = parser.parse_args(argv)
    if args.action_memory:
        flags = " --action-memory" + (" --write" if args.write else "")
        action_memory(command="python -m bench.serving" + flags, write=args.write)
        return 0
    command = "python -m bench.serving" + "".join(
        f" {flag}" for flag, on in (("--quick", args.quick), ("--write", args.write)) if on
    )
    summary = run(quick=args.quick, write=args.write, command=command)
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
