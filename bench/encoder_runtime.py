"""The featurizer's encoder on PyTorch beside the same encoder on ONNX Runtime, in one run.

    .venv/bin/python -m bench.encoder_runtime [--messages 400] [--write]

Each runtime runs in a process of its own (so its memory is its own): the WordEncoder of
shopassist.nlu.encoder with one thread, as config.yml sets it, loads all-MiniLM-L6-v2,
encodes 20 messages to warm up, then each message of the English independent set singly
(as a parse does), split on whitespace. Reported: load time, time per message, the
process's peak RSS, and how far the two runtimes' vectors are apart. The NLU results of a
model trained on each are in "Understanding on customers' own words" (bench.independent).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np

from bench.independent import REPO, load_messages
from bench.report import table

OUT = REPO / "results" / "bench" / "encoder_runtime.json"
MARKERS = ("<!-- encoder-runtime:start -->", "<!-- encoder-runtime:end -->")
RUNTIMES = ("torch", "onnx")


def measure(runtime: str, texts: List[str], vectors_out: Path) -> Dict[str, Any]:
    """In this process: load the encoder on `runtime`, time each text; writes the sentence
    vectors to `vectors_out`."""
    from shopassist.nlu.encoder import WordEncoder
    from shopassist.nlu.model_location import resolve_model_dir

    began = time.perf_counter()
    encoder = WordEncoder(resolve_model_dir(None, None), num_threads=1, runtime=runtime)
    load_seconds = time.perf_counter() - began
    for text in texts[:20]:
        encoder.encode([text.split()])
    times, vectors = [], []
    for text in texts:
        began = time.perf_counter()
        (result,) = encoder.encode([text.split()])
        times.append(time.perf_counter() - began)
        vectors.append(result.sentence[0])
    np.save(vectors_out, np.stack(vectors))
    return {
        "runtime": runtime,
        "load_s": round(load_seconds, 2),
        "p50_ms": round(float(np.percentile(times, 50)) * 1000, 2),
        "p95_ms": round(float(np.percentile(times, 95)) * 1000, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "torch_loaded": "torch" in sys.modules,
    }


def run(messages: int) -> Dict[str, Any]:
    from bench import machine

    rows, _ = load_messages("en")
    texts = [row["text"] for row in rows][:messages]
    results, vectors = [], {}
    with tempfile.TemporaryDirectory() as work:
        listing = Path(work) / "texts.json"
        listing.write_text(json.dumps(texts), encoding="utf-8")
        for runtime in RUNTIMES:
            out = Path(work) / f"{runtime}.npy"
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.encoder_runtime",
                    "--child",
                    runtime,
                    str(listing),
                    str(out),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            vectors[runtime] = np.load(out)
    difference = float(np.abs(vectors["torch"] - vectors["onnx"]).max())
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine.describe(),
        "load_average": round(os.getloadavg()[0], 2),
        "messages": len(texts),
        "runtimes": results,
        "max_abs_difference": difference,
    }


def markdown(summary: Dict[str, Any], command: str) -> str:
    machine = summary["machine"]
    rows = [
        [
            r["runtime"],
            r["load_s"],
            r["p50_ms"],
            r["p95_ms"],
            r["peak_rss_mb"],
            "yes" if r["torch_loaded"] else "no",
        ]
        for r in summary["runtimes"]
    ]
    head = ["runtime", "load (s)", "per message p50 (ms)", "p95 (ms)", "peak RSS (MB)"]
    return "\n".join(
        [
            f"Measured on {summary['date']} with `{command}` on {machine.get('cpu')},"
            f" {machine.get('cores')} cores, load average {summary['load_average']}:"
            f" the featurizer's encoder alone, one thread, {summary['messages']} messages of"
            " the English independent set encoded singly after 20 warm-up messages; each"
            " runtime in its own process.",
            "",
            *table([*head, "PyTorch loaded"], rows),
            "",
            "Largest difference between the two runtimes' sentence vectors, over all messages:"
            f" {summary['max_abs_difference']:.1e}.",
        ]
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        runtime, listing, out = args.child
        texts = json.loads(Path(listing).read_text(encoding="utf-8"))
        print(json.dumps(measure(runtime, texts, Path(out))))
        return 0
    summary = run(args.messages)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    command = "python -m bench.encoder_runtime" + (
        f" --messages {args.messages}" if args.messages != 400 else ""
    )
    from bench.report import publish

    publish(markdown(summary, command + (" --write" if args.write else "")), MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
