"""Each served language beside English in one run: understanding of the independent sets
(bench.independent: intent accuracy, off-topic recall) and replies in the customer's
language (bench.replies_language).

    .venv/bin/python -m bench.languages [--quick] [--write]

The current model (scripts/current-model.sh) reads bench/eval/<language>/ for en, de, fr,
es and zh in this process, loaded once, scored as bench.independent scores one language
(messages that also stand in the training data left out); then the assistant is served and
every message of the four other languages' sets opens a conversation of its own
(bench.replies_language). Quick: every seventh message of each set and the first 20 of each
language for the replies; results/bench/quick/languages.json only. Full: results/bench/
languages.json and, with --write, the sections "Understanding and replies per language"
and "Replies in the customer's language" of bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from bench import independent, replies_language
from bench.independent import REPO
from bench.report import table

LANGUAGES = ("en",) + replies_language.LANGUAGES
MARKERS = ("<!-- languages-bench:start -->", "<!-- languages-bench:end -->")
QUICK_EVERY = 7  # about the 15% sample of the other quick benchmarks
QUICK_REPLIES = 20


def understanding(quick: bool) -> Dict[str, Dict[str, Any]]:
    from rasa.core.agent import Agent

    from bench.serving.runner import current_model

    model = current_model()
    agent = Agent.load(str(model))
    results = {}
    for language in LANGUAGES:
        rows, left_out = independent.load_messages(language)
        if quick:
            rows = rows[::QUICK_EVERY]
        result = independent.evaluate(model, language, rows, agent=agent)
        result["left_out_as_seen_in_training"] = left_out
        results[language] = result
        print(f"languages: {language}: {independent.summary(result)}", flush=True)
    del agent
    gc.collect()  # the servers of the replies benchmark load the model again
    return results


def run(quick: bool = False, write: bool = False) -> Dict[str, Any]:
    started = time.perf_counter()
    load = os.getloadavg()
    failed: List[str] = []
    summary: Dict[str, Any] = {
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": quick,
    }
    try:
        read = understanding(quick)
        summary["understanding"] = {
            code: {k: v for k, v in r.items() if k not in ("readings", "errors")}
            for code, r in read.items()
        }
    except Exception as error:  # noqa: BLE001 - the other half still runs
        print(f"languages: understanding failed: {error!r}", file=sys.stderr)
        failed.append("understanding")
    try:
        replies = replies_language.run(limit=QUICK_REPLIES if quick else None)
        summary["replies"] = {k: v for k, v in replies.items() if k != "conversations"}
    except Exception as error:  # noqa: BLE001
        print(f"languages: replies failed: {error!r}", file=sys.stderr)
        failed.append("replies")
    summary.update(
        failed=failed,
        seconds=time.perf_counter() - started,
        load_average={"before": load, "after": os.getloadavg()},
    )
    out = REPO / "results" / "bench" / ("quick" if quick else "") / "languages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    from bench.report import publish

    publish(markdown(summary), MARKERS, write and not failed)
    if "replies" in summary and not quick:
        command = ".venv/bin/python -m bench.languages --write"
        publish(replies_language.markdown(replies, command), replies_language.MARKERS, write)
    return summary


def _num(value: Optional[float], digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(summary: Dict[str, Any]) -> str:
    load = summary["load_average"]
    lines = [
        "## Understanding and replies per language, one run",
        "",
        f"Measured on {summary['when']} in {summary['seconds'] / 60:.0f} minutes, load average "
        f"{load['before'][0]:.1f} before and {load['after'][0]:.1f} after. Command: "
        "`.venv/bin/python -m bench.languages --write` (`bench/languages.py`, part of "
        "`make bench`). Understanding: bench.independent's scoring of `bench/eval/<language>/` "
        "(in brackets: left out, the same words stand in the training data); replies: "
        "bench.replies_language (below).",
        "",
    ]
    read = summary.get("understanding") or {}
    replies = (summary.get("replies") or {}).get("languages") or {}
    rows = []
    for code in LANGUAGES:
        r, s = read.get(code) or {}, replies.get(code) or {}
        share = s.get("share")
        rows.append(
            [
                code,
                f"{r.get('in_scope', '-')} / {r.get('off_topic', '-')}"
                f" ({r.get('left_out_as_seen_in_training', '-')})",
                _num(r.get("accuracy")),
                _num(r.get("off_topic_recall")),
                "-" if share is None else f"{100 * share:.1f}% of {s['counted']}",
            ]
        )
    head = [
        "language",
        "in-scope / off-topic (left out)",
        "intent accuracy",
        "off-topic recall",
        "replies in the customer's language",
    ]
    return "\n".join([*lines, *table(head, rows)]) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    args = parser.parse_args(argv)
    return 1 if run(args.quick, args.write)["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
