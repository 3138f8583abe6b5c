"""A Rasa server's resident memory, this checkout beside a baseline revision, in one run.

    .venv/bin/python -m bench.rasa_memory [--baseline REV] [--write]

For each side, one action server and one Rasa server are started from that side's code (the
baseline from a temporary git worktree of REV, default HEAD~1), both on the same trained
model (this checkout's, scripts/current-model.sh) and a fresh seeded SQLite shop database;
RSS (VmRSS of the Rasa process and its children, from /proc) is read once the server
answers and again after a few REST turns that use every part of the pipeline (a greeting,
help-page questions, which load the help search, an order question, a German and a Chinese
message), each time after RSS has held still for 2 s. The sides run one after the other, so
they never share the machine's memory or cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

from bench.report import table
from bench.serving.processes import rss_mb, steady

REPO = Path(__file__).resolve().parents[1]
MARKERS = ("<!-- rasa-memory:start -->", "<!-- rasa-memory:end -->")
TURNS = [
    "hi",
    "what is your return policy?",
    "do you ship to Austria?",
    "where is my order 100234?",
    "Wo ist meine Bestellung?",
    "我的订单在哪里？",
]


def measure(root: Path, model: Path, work: Path) -> Dict[str, Any]:
    """RSS of a Rasa server started from `root`'s code, after load and after TURNS."""
    from shopassist.cluster import free_port, wait_until_up
    from shopassist.store.manage import ensure

    work.mkdir(parents=True, exist_ok=True)
    shop_db = f"sqlite:///{work / 'shop.sqlite3'}"
    ensure(shop_db)
    action_port, rasa_port = free_port(), free_port()
    token = uuid.uuid4().hex * 2
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "HF_HUB_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "SHOPASSIST_DB_URL": shop_db,
        "SHOPASSIST_ACTION_TOKEN": token,
        "SHOPASSIST_GENERATOR": "template",
        # Both sides read this checkout's encoder export and help-page vectors.
        "SHOPASSIST_ENCODER_CACHE": str(REPO / "var" / "encoders"),
        "SHOPASSIST_KNOWLEDGE_CACHE": str(REPO / "var" / "knowledge"),
    }
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "  headers:\n    Authorization: Bearer ${SHOPASSIST_ACTION_TOKEN}\n"
        "nlg:\n  type: shopassist.nlg.RecordedResponses\n"
    )
    python = str(REPO / ".venv" / "bin" / "python")
    started: List[subprocess.Popen] = []

    def start(name: str, command: List[str]) -> subprocess.Popen:
        log = (work / f"{name}.log").open("w")
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)
        started.append(process)
        return process

    try:
        actions = start(
            "actions", [python, "-m", "shopassist.action_server", "--port", str(action_port)]
        )
        began = time.perf_counter()
        rasa = start(
            "rasa",
            [python, "-m", "shopassist.serve", "run", "--model", str(model), "--port",
             str(rasa_port), "--endpoints", str(endpoints), "--credentials",
             str(root / "credentials.yml")],
        )  # fmt: skip
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, work / "actions.log")
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, work / "rasa.log", seconds=300)
        ready = time.perf_counter() - began
        steady(rasa.pid)
        loaded = rss_mb(rasa.pid)["rss_mb"]
        for number, text in enumerate(TURNS):
            requests.post(
                f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                json={"sender": f"memory-{number}", "message": text},
                timeout=120,
            ).raise_for_status()
        steady(rasa.pid)
        after = rss_mb(rasa.pid)["rss_mb"]
        return {"ready_s": round(ready, 1), "loaded_mb": loaded, "turns_mb": after}
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def markdown(summary: Dict[str, Any]) -> str:
    rows = [
        f"Measured on {summary['date']} with `{summary['command']}` on {summary['machine']};"
        f" model `{summary['model']}`. One side at a time: an action server and a Rasa server"
        " started from that side's code on the same model; RSS is VmRSS of the Rasa process"
        " and its children once it answers (after RSS held still for 2 s), then after"
        f" {len(TURNS)} REST turns ({', '.join(repr(t) for t in TURNS)}).",
        "",
        *table(
            ["code", "Rasa RSS after load (MB)", "after the turns (MB)", "start to ready (s)"],
            (
                [
                    side["label"],
                    f"{side['loaded_mb']:.0f}",
                    f"{side['turns_mb']:.0f}",
                    f"{side['ready_s']:.1f}",
                ]
                for side in summary["sides"]
            ),
            align="lrrr",
        ),
    ]
    return "\n".join(rows) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD~1", help="git revision (default HEAD~1)")
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    args = parser.parse_args(argv)
    from bench import machine
    from bench.report import replace_section

    model = (
        REPO
        / subprocess.run(
            [str(REPO / "scripts" / "current-model.sh")], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    base = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", args.baseline],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    results = REPO / "results" / "bench" / "rasa-memory"
    shutil.rmtree(results, ignore_errors=True)
    with tempfile.TemporaryDirectory() as folder:
        baseline_root = Path(folder) / "baseline"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(baseline_root), base],
            check=True, capture_output=True,
        )  # fmt: skip
        try:
            sides = []
            for label, root in ((f"baseline `{base}`", baseline_root), (f"this `{head}`", REPO)):
                figures = measure(root, model, results / root.name)
                sides.append({"label": label, **figures})
                print(f"bench: rasa memory: {label}: {figures}", flush=True)
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(baseline_root)],
                capture_output=True,
            )  # fmt: skip
    command = "python -m bench.rasa_memory" + (
        f" --baseline {args.baseline}" if args.baseline != "HEAD~1" else ""
    )
    summary = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": "{cpu}, {cores} cores, {ram_gib} GiB RAM, load average {load}".format(
            load=" / ".join(f"{x:.2f}" for x in os.getloadavg()), **machine.describe()
        ),
        "model": model.name,
        "sides": sides,
    }
    results.mkdir(parents=True, exist_ok=True)
    (results / "rasa_memory.json").write_text(json.dumps(summary, indent=1) + "\n")
    section = markdown(summary)
    print(section)
    if args.write:
        path = REPO / "bench" / "BENCHMARKS.md"
        path.write_text(replace_section(path.read_text(), section, MARKERS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
