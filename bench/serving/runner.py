"""Runs the serving benchmark (the package's docstring says what it measures): the
models, the shop database, each configuration in turn, then the report; and the command
line, `python -m bench.serving [--quick] [--write] [--action-memory]`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bench.report import publish
from bench.serving.action_memory import action_memory
from bench.serving.configuration import measure_config
from bench.serving.plan import (
    ANCHOR,
    CONFIGS,
    PG_ADMIN_URL,
    REPO,
    SHOPASSIST_CYCLE,
    SHOPASSIST_SCRIPT,
    STOCK_CYCLE,
    STOCK_SCRIPT,
    TARGET_LONG_RATIO,
    TARGET_P95_MS,
    TARGET_TURNS_PER_S_PER_INSTANCE,
    Settings,
    display,
    results_dir,
    shop_customers,
)
from bench.serving.report import MARKERS, write_markdown


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


def run(quick: bool = False, write: bool = False, command: str = "") -> Dict[str, Any]:
    from bench import machine
    from shopassist.cluster import create_database, drop_database

    started = time.perf_counter()
    settings = Settings.of(quick)
    out_json = results_dir(quick) / "serving.json"
    work = results_dir(quick) / "serving" if quick else results_dir(quick)
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
    models = _models(work, summary)
    from shopassist.store.db import get_engine
    from shopassist.store.manage import ensure

    suffix = uuid.uuid4().hex[:8]
    shop_name = f"shopassist_bench_shop_{suffix}"
    shop_db = create_database(PG_ADMIN_URL, shop_name)
    try:
        ensure(shop_db, anchor=ANCHOR)
        customers = shop_customers(shop_db)
        get_engine(shop_db).dispose()

        # A different customer per conversation: real e-mail/order pairs.
        shop = [[line.format(**c) for line in SHOPASSIST_SCRIPT] for c in customers]
        scripts = {"shopassist": (shop, SHOPASSIST_CYCLE), "stock": ([STOCK_SCRIPT], STOCK_CYCLE)}
        for config in CONFIGS:
            if config.assistant not in models:
                summary["configurations"].append(
                    {**asdict(config), "error": "no model (rasa init failed)"}
                )
                summary["failed"].append(config.name)
                continue
            conversations, cycle = scripts[config.assistant]
            result = measure_config(
                config,
                models[config.assistant],
                shop_db,
                conversations,
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
    publish(section, MARKERS, write and not quick and not summary["failed"])
    print(f"bench: serving: figures in {display(out_json)}")
    for note in summary["notes"]:
        print(f"bench: serving: note: {note}")
    if write and not quick:
        print(
            f"bench: serving: {', '.join(summary['failed'])} failed; BENCHMARKS.md left as it was"
            if summary["failed"]
            else "bench: serving: bench/BENCHMARKS.md updated between the serving-bench markers"
        )
    return summary


def _models(work: Path, summary: Dict[str, Any]) -> Dict[str, Path]:
    """ShopAssist's current model and the stock one, made by `rasa init` (missing if that
    failed: its configurations are then reported failed)."""
    models: Dict[str, Path] = {"shopassist": current_model()}
    summary["models"] = {"shopassist": display(models["shopassist"])}
    print(f"bench: serving: ShopAssist model {summary['models']['shopassist']}", flush=True)
    print(
        "bench: serving: rasa init --no-prompt (creates and trains the stock assistant) ...",
        flush=True,
    )
    try:
        stock_model, seconds, init_command = init_stock(work / "stock-init")
        models["stock"] = stock_model
        summary["models"]["stock"] = display(stock_model)
        summary["stock_init"] = {
            "seconds": round(seconds, 1),
            "command": " ".join(["rasa", *init_command[1:]]).replace(f"{REPO}/", ""),
        }
        print(f"bench: serving: stock assistant trained in {seconds:.0f} s", flush=True)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"bench: serving: rasa init FAILED: {error}", flush=True)
        summary["stock_init"] = {"error": str(error)[:3000]}
        summary["failed"].append("stock-init")
    return models


def main(argv: Optional[List[str]] = None) -> int:
    import bench.serving

    parser = argparse.ArgumentParser(
        prog="python -m bench.serving", description=bench.serving.__doc__.split("\n")[0]
    )
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
