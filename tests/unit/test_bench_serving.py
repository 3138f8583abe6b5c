"""The serving benchmark's pure parts: a load level from locust's statistics, the best level
under the p95 target, the long-conversation summary, /proc parsing and the Markdown section.
No servers start: tests/integration/test_bench_load.py runs locust against a server, and
`bench/run.py --quick --only serving` is the end-to-end check."""

from __future__ import annotations

import pytest

from bench import report
from bench.serving import figures, plan, processes
from bench.serving import report as serving


def entry(position, times_ms, failures=0):
    """One request name's statistics as locust's --json-file writes them."""
    histogram = {}
    for ms in times_ms:
        histogram[str(ms)] = histogram.get(str(ms), 0) + 1
    return {
        "name": f"turn {position:02d}",
        "method": "POST",
        "num_requests": len(times_ms),
        "num_failures": failures,
        "total_response_time": float(sum(times_ms)),
        "max_response_time": float(max(times_ms)),
        "min_response_time": float(min(times_ms)),
        "response_times": histogram,
    }


def test_percentiles_are_locusts():
    # what locust.stats.calculate_response_time_percentile (2.46) returns for the same
    # histogram: the time within which more than the share finished, from the top down
    histogram = {10: 50, 20: 40, 100: 9, 300: 1}
    assert figures.percentile_of(histogram, 0.5) == 20
    assert figures.percentile_of(histogram, 0.95) == 100
    assert figures.percentile_of(histogram, 0.99) == 300
    assert figures.percentile_of(histogram, 1.0) == 300
    assert figures.percentile_of({}, 0.5) is None


def test_level_counts_answered_turns_and_errors_apart():
    entries = [entry(1, [100] * 9 + [300]), entry(2, [40, 50], failures=2), entry(5, [70])]
    tally = {
        "empty_replies": 1,
        "unavailable_replies": 1,
        "conversations_started": 4,
        "errors": ["ReadTimeout", "HTTP 503", "HTTP 503"],
    }

    level = figures.level_from_locust(entries, tally, seconds=10.0)

    assert level["turns"] == 11 and level["seconds"] == 10.0
    assert level["turns_per_s"] == 1.1
    assert level["errors"] == 2
    assert level["error_examples"] == ["HTTP 503", "ReadTimeout"]
    assert level["empty_replies"] == 1 and level["unavailable_replies"] == 1
    assert level["conversations_started"] == 4
    assert level["p50_ms"] == 100 and level["p99_ms"] == 300 and level["max_ms"] == 300.0
    assert level["mean_ms"] == pytest.approx(round((900 + 300 + 40 + 50 + 70) / 13, 1))
    assert level["p50_ms_by_turn"] == {"1": 100, "2": 50, "5": 70}  # locust: the upper one


def test_an_empty_level_has_no_latency():
    level = figures.level_from_locust([], {}, seconds=8.0)
    assert level["turns"] == 0 and level["turns_per_s"] == 0.0
    assert level["p95_ms"] is None and level["mean_ms"] is None


def test_best_level_is_the_fastest_under_the_p95_target_without_errors():
    levels = [
        {"concurrency": 1, "turns": 300, "turns_per_s": 10.0, "p95_ms": 120.0, "errors": 0},
        {"concurrency": 2, "turns": 600, "turns_per_s": 20.0, "p95_ms": 150.0, "errors": 0},
        {"concurrency": 4, "turns": 900, "turns_per_s": 30.0, "p95_ms": 199.9, "errors": 1},
        {"concurrency": 8, "turns": 990, "turns_per_s": 33.0, "p95_ms": 200.0, "errors": 0},
        {"concurrency": 16, "turns": 960, "turns_per_s": 32.0, "p95_ms": 480.0, "errors": 0},
    ]
    assert figures.best_under(levels)["concurrency"] == 2
    assert figures.best_under(levels, p95_ms=500.0)["concurrency"] == 8
    assert figures.best_under(levels[3:]) is None
    assert (
        figures.best_under(
            [{"concurrency": 1, "turns": 0, "turns_per_s": 0.0, "p95_ms": None, "errors": 0}]
        )
        is None
    )


def test_long_summary_compares_the_last_ten_turns_with_the_first_ten():
    latencies = [50.0 + i for i in range(400)]  # grows by 1 ms a turn
    summary = figures.long_summary(latencies)
    assert summary["first_turns"] == "1-10" and summary["last_turns"] == "391-400"
    assert summary["first_median_ms"] == 54.5 and summary["last_median_ms"] == 444.5
    assert summary["ratio"] == pytest.approx(444.5 / 54.5, abs=0.01)
    assert len(summary["blocks"]) == 40 and summary["blocks"][-1]["turns"] == "391-400"


def test_proc_parsing_survives_odd_process_names():
    stat = "4242 (rasa (run) x) S 17 4242 4242 0 -1 4194560 1 0 0 0 350 25 0 0 20 0 12"
    assert processes.parse_stat(stat) == (17, 375)
    status = "Name:\trasa\nVmPeak:\t 9000 kB\nVmRSS:\t 2285568 kB\nThreads:\t40\n"
    assert processes.parse_rss_kb(status) == 2285568
    assert processes.parse_rss_kb("Name:\tkthread\n") is None


def test_own_process_memory_is_read_from_proc():
    import os

    memory = processes.rss_mb(os.getpid())
    assert memory["rss_mb"] > 1 and memory["processes"] >= 1


def level(concurrency, turns_per_s, p95, errors=0):
    return {
        "concurrency": concurrency,
        "turns": int(turns_per_s * 30),
        "turns_per_s": turns_per_s,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 1.2,
        "errors": errors,
        "empty_replies": 0,
        "unavailable_replies": 0,
        "cores_busy": {"rasa": 0.9, "actions": 0.1, "client": 0.05},
    }


def config(name, assistant, instances, levels, long=None):
    memory = {f"rasa{i}": {"rss_mb": 2200.0, "processes": 1} for i in range(1, instances + 1)}
    memory.update({f"actions{i}": {"rss_mb": 900.0, "processes": 1} for i in range(1, 2)})
    result = {
        "name": name,
        "title": f"{assistant} x{instances}",
        "assistant": assistant,
        "instances": instances,
        "long_conversation": long is not None,
        "start": {"cluster_seconds": 71.2, "ready_seconds": {"rasa1": 69.0, "actions1": 8.5}},
        "levels": levels,
        "memory_after_warmup": memory,
        "memory_after_load": memory,
    }
    best = figures.best_under(levels)
    result["best_under_target"] = best and {
        "concurrency": best["concurrency"],
        "turns_per_s": best["turns_per_s"],
        "turns_per_s_per_instance": best["turns_per_s"] / instances,
        "p95_ms": best["p95_ms"],
    }
    if long:
        result["long"] = {
            **figures.long_summary(long),
            "errors": 0,
            "empty_replies": 0,
            "unavailable_replies": 0,
        }
        result["memory_after_long"] = memory
    return result


@pytest.fixture()
def summary():
    return {
        "mode": "full",
        "date": "2026-11-25 10:00 UTC",
        "command": "make bench",
        "total_seconds": 1390.0,
        "machine": {
            "cpu": "AMD EPYC",
            "cores": 2,
            "ram_gib": 23.5,
            "os": "Linux",
            "python": "3.10.13",
            "rasa": "3.6.21",
        },
        "settings": {
            "levels": [1, 2, 4],
            "level_seconds": 30.0,
            "ramp_seconds": 2.0,
            "warmup_seconds": 10.0,
            "warmup_concurrency": 4,
            "long_turns": 400,
        },
        "scripts": {
            "shopassist": {"load": plan.SHOPASSIST_SCRIPT, "long_cycle": ["hi", "thanks"]},
            "stock": {"load": plan.STOCK_SCRIPT, "long_cycle": ["hi", "great"]},
        },
        "targets": {"p95_ms": 200.0, "turns_per_s_per_instance": 50.0, "long_ratio": 1.5},
        "models": {"shopassist": "models/shopassist-x.tar.gz", "stock": "stock.tar.gz"},
        "stock_init": {"seconds": 95.0, "command": "rasa init --no-prompt --init-dir x"},
        "configurations": [
            config(
                "shopassist-1",
                "shopassist",
                1,
                [level(1, 12.0, 90.0), level(2, 55.0, 150.0), level(4, 60.0, 260.0)],
                long=[80.0] * 200 + [100.0] * 200,
            ),
            config(
                "stock-1",
                "stock",
                1,
                [level(1, 15.0, 70.0), level(2, 40.0, 120.0), level(4, 45.0, 230.0)],
                long=[54.0] * 200 + [400.0] * 200,
            ),
            config("shopassist-2", "shopassist", 2, [level(1, 12.0, 250.0)]),
        ],
        "notes": [],
        "failed": [],
    }


def test_markdown_has_every_table_with_its_conversation_length(summary):
    text = serving.write_markdown(summary)
    assert text.startswith("## Serving")
    assert "`make bench`" in text and "AMD EPYC, 2 cores" in text
    assert "turns 1-20 of 20-turn conversations" in text
    assert "400-turn conversation" in text
    for heading in ("### Cold start", "### Throughput", "### Memory", "### Turn cost"):
        assert heading in text
    # every configuration's load levels are rows
    assert "| shopassist x1 | 2 | 55.0 | 55.0 | 75 / 150 / 180 |" in text
    # the best level under 200 ms: ShopAssist 55/s per server beats stock's 40/s
    best_rows = [line for line in text.splitlines() if line.startswith("| shopassist x1 | 55.0")]
    assert best_rows and "**met**" in best_rows[0]
    # no level of the 2-server run fits under 200 ms
    assert "| shopassist x2 | none |" in text
    # long conversation: first and last blocks, ratio against the 1.5x target
    assert "| turns 1-10 | 80 | 54 |" in text and "| turns 391-400 | 100 | 400 |" in text
    assert "1.25x (target <= 1.5x: **met**)" in text and "7.41x" in text
    assert "| shopassist x1 | rasa1 | 2200 | 2200 | 2200 |" in text


def test_markdown_says_what_failed(summary):
    summary["failed"] = ["stock-2"]
    summary["notes"] = ["RabbitMQ queue q not deleted"]
    summary["configurations"].append(
        {
            "name": "stock-2",
            "title": "stock x2",
            "assistant": "stock",
            "instances": 2,
            "error": "RuntimeError: rasa1 exited early",
        }
    )
    text = serving.write_markdown(summary)
    assert "failed: RuntimeError: rasa1 exited early" in text
    assert "Problems in this run: stock-2 failed; RabbitMQ queue q not deleted." in text


def test_quick_mode_is_marked_and_the_section_goes_between_its_markers(summary):
    summary["mode"] = "quick"
    section = serving.write_markdown(summary)
    assert "quick mode: not comparable" in section.splitlines()[0]
    document = "# Benchmarks\n\nintro\n"
    once = report.replace_section(document, section, serving.MARKERS)
    assert once.startswith(document) and once.count(serving.MARKERS[0]) == 1
    again = report.replace_section(once, "## Serving\nnew\n", serving.MARKERS)
    assert "new" in again and "quick mode" not in again and again.startswith(document)


def test_own_process_shows_which_frameworks_it_has_mapped():
    import os
    import sys

    loaded = processes.frameworks_loaded(os.getpid())
    assert set(loaded) == {"tensorflow", "torch"}
    assert loaded["torch"] == ("torch" in sys.modules)


def test_action_memory_table_has_a_row_per_step():
    step = {"rss_mb": 908.2, "tensorflow": False, "torch": True, "seconds": 5.04}
    summary = {
        "date": "2026-12-07 05:28 UTC",
        "command": "python -m bench.serving --action-memory",
        "machine": {"cpu": "AMD EPYC", "cores": 2, "python": "3.10.13"},
        "steps": [
            {**step, "step": "after start (health answers)"},
            {**step, "step": "after 5 x knowledge question", "rss_mb": 1060.4},
        ],
    }
    text = serving.action_memory_markdown(summary)
    assert "| after start (health answers) | 908 | no | yes | 5.0 |" in text
    assert "| after 5 x knowledge question | 1060 | no | yes | 5.0 |" in text
    assert "`python -m bench.serving --action-memory`" in text
