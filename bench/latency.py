"""Parse latency of a trained model, loaded in-process as the Rasa server loads it.

Run as `python -m bench.latency MODEL TEST_YML WARMUP_YML OUT_JSON`, one process per model, so
neither model runs with libraries the other has already warmed. Each test message is parsed
singly (one message at a time, as a chat turn arrives) after 20 warm-up parses of training
messages (TF/torch build their graphs and allocate on the first calls).
The same parses give the nlu_fallback count, which `rasa test nlu` hides (it undoes fallbacks).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

WARMUP = 20
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method), q in [0, 100]."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def fallback_counts(predictions: List[Dict[str, Any]]) -> Dict[str, int]:
    """How many parses ended as nlu_fallback, and on which kind of message."""
    fallbacks = [p for p in predictions if p["predicted"] == FALLBACK]
    on_oos = sum(1 for p in fallbacks if p["expected"] == OUT_OF_SCOPE)
    return {
        "messages": len(predictions),
        "nlu_fallback": len(fallbacks),
        "nlu_fallback_on_out_of_scope": on_oos,
        "nlu_fallback_on_in_scope": len(fallbacks) - on_oos,
    }


async def measure(model: Path, test_yml: Path, warmup_yml: Path) -> Dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    tests = load_data(str(test_yml)).intent_examples
    warmup = [m.get("text") for m in load_data(str(warmup_yml)).intent_examples][:WARMUP]

    start = time.perf_counter()
    agent = Agent.load(str(model))
    load_seconds = time.perf_counter() - start
    for text in warmup:
        await agent.parse_message(text)

    timings: List[float] = []
    predictions: List[Dict[str, Any]] = []
    load_before = os.getloadavg()[0]  # other jobs on a 2-core machine move the timings a lot
    for example in tests:
        start = time.perf_counter()
        parsed = await agent.parse_message(example.get("text"))
        timings.append((time.perf_counter() - start) * 1000.0)
        predictions.append(
            {
                "text": example.get("text"),
                "expected": example.get("intent"),
                "predicted": (parsed.get("intent") or {}).get("name"),
                "confidence": (parsed.get("intent") or {}).get("confidence"),
            }
        )
    return {
        "model": str(model),
        "load_seconds": round(load_seconds, 2),
        "warmup_messages": len(warmup),
        "messages": len(timings),
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "mean_ms": sum(timings) / len(timings) if timings else math.nan,
        "max_ms": max(timings, default=math.nan),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "fallback": fallback_counts(predictions),
        "predictions": predictions,
    }


def _quiet_logging() -> None:
    # As the `rasa` command sets it up (INFO): unconfigured, structlog prints a debug line on
    # every parse, and the timings would measure the console, not the model.
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)


def main(argv: List[str]) -> int:
    model, test_yml, warmup_yml, out_json = (Path(a) for a in argv)
    _quiet_logging()
    result = asyncio.run(measure(model, test_yml, warmup_yml))
    out_json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"latency: {model.name}: p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
