"""The serving benchmark's figures, from what the measurements recorded: a load level from
locust's statistics, the best level under the p95 target, the long conversation's blocks. Pure
functions: tested without any server."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from bench.serving.plan import TARGET_P95_MS


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


def percentile_of(histogram: Dict[int, int], percent: float) -> Optional[int]:
    """Locust's percentile of a response-time histogram {rounded ms: count}
    (locust.stats.calculate_response_time_percentile): the time within which `percent` of
    the requests finished."""
    total = sum(histogram.values())
    if not total:
        return None
    within, counted = int(total * percent), 0
    for ms in sorted(histogram, reverse=True):
        counted += histogram[ms]
        if total - counted <= within:
            return ms
    return 0


def level_from_locust(
    entries: Sequence[Dict[str, Any]], tally: Dict[str, Any], seconds: float
) -> Dict[str, Any]:
    """A level's figures from locust's statistics (`--json-file`: one entry per request
    name, here `turn NN`, over the measured part after --reset-stats), the locustfile's
    tally and the `seconds` of measured load.

    turns are the requests answered: locust's requests less its failures (other statuses,
    timeouts, refused connections), which are counted apart. The percentiles are locust's,
    over every request of the window; it keeps response times rounded to 2 significant
    digits above 100 ms.
    """
    histogram: Dict[int, int] = {}
    for entry in entries:
        for ms, count in entry["response_times"].items():
            histogram[int(ms)] = histogram.get(int(ms), 0) + count
    requests = sum(e["num_requests"] for e in entries)
    errors = sum(e["num_failures"] for e in entries)
    answered = requests - errors
    seconds = max(seconds, 1e-9)
    by_turn = {
        str(int(e["name"].split()[1])): percentile_of(
            {int(ms): n for ms, n in e["response_times"].items()}, 0.5
        )
        for e in entries
        if e["name"].startswith("turn ")
    }
    total_ms = sum(e["total_response_time"] for e in entries)
    return {
        "seconds": round(seconds, 2),
        "turns": answered,
        "turns_per_s": round(answered / seconds, 2),
        "p50_ms": percentile_of(histogram, 0.5),
        "p95_ms": percentile_of(histogram, 0.95),
        "p99_ms": percentile_of(histogram, 0.99),
        "mean_ms": _round(total_ms / requests) if requests else None,
        "max_ms": _round(max(e["max_response_time"] for e in entries)) if requests else None,
        "errors": errors,
        "error_examples": sorted(set(tally.get("errors", [])))[:5],
        "empty_replies": int(tally.get("empty_replies", 0)),
        "unavailable_replies": int(tally.get("unavailable_replies", 0)),
        "conversations_started": int(tally.get("conversations_started", 0)),
        "p50_ms_by_turn": dict(sorted(by_turn.items(), key=lambda item: int(item[0]))),
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
    blocks: List[Dict[str, Any]] = [
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
