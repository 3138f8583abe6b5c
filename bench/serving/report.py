"""The serving benchmark's Markdown: the "Serving" section of bench/BENCHMARKS.md and the
"Action server memory" table, from a run's summary (a pure function of it: tested without
any server). Tables go through bench/report.py."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bench.report import duration, num, table, verdict
from bench.serving.plan import ASSISTANTS, TARGET_LONG_RATIO, TARGET_P95_MS

MARKERS = ("<!-- serving-bench:start -->", "<!-- serving-bench:end -->")
ACTION_MARKERS = ("<!-- action-memory:start -->", "<!-- action-memory:end -->")


def _num(value: Any, digits: int = 0) -> str:
    return num(value, digits)


def _configs(summary: Dict[str, Any]) -> List[Dict[str, Any]]:
    return summary.get("configurations") or []


def _start_table(summary: Dict[str, Any]) -> List[str]:
    rows = []
    for c in _configs(summary):
        start = c.get("start") or {}
        ready = sorted((start.get("ready_seconds") or {}).items())
        rasa = ", ".join(_num(v, 1) for k, v in ready if k.startswith("rasa"))
        acts = ", ".join(_num(v, 1) for k, v in ready if k.startswith("act"))
        rows.append(
            [c["title"], _num(start.get("cluster_seconds"), 1), rasa or "n/a", acts or "n/a"]
        )
    head = [
        "configuration",
        "cluster start to ready (s)",
        "each Rasa server: s until `GET /` answers",
        "each action server: s until `/health` answers",
    ]
    return table(head, rows)


def _load_table(summary: Dict[str, Any]) -> List[str]:
    head = [
        "configuration",
        "concurrent conversations",
        "turns/s",
        "turns/s per Rasa server",
        "p50 / p95 / p99 (ms)",
        "turns",
        "errors",
        "empty / apology replies",
        "cores busy: Rasa / actions / client",
    ]
    rows: List[List[Any]] = []
    for c in _configs(summary):
        for level in c.get("levels") or []:
            cores = level.get("cores_busy") or {}
            rows.append(
                [
                    c["title"],
                    level["concurrency"],
                    _num(level["turns_per_s"], 1),
                    _num(level["turns_per_s"] / c["instances"], 1),
                    " / ".join(_num(level[k]) for k in ("p50_ms", "p95_ms", "p99_ms")),
                    level["turns"],
                    level["errors"],
                    f"{level['empty_replies']} / {level['unavailable_replies']}",
                    " / ".join(_num(cores.get(k), 2) for k in ("rasa", "actions", "client")),
                ]
            )
        if c.get("error"):
            rows.append([c["title"], f"failed: {c['error'][:200]}", *[""] * (len(head) - 2)])
    return table(head, rows)


def _best(summary: Dict[str, Any], name: str) -> Optional[Dict[str, Any]]:
    for c in _configs(summary):
        if c.get("name") == name:
            return c.get("best_under_target")
    return None


def _best_table(summary: Dict[str, Any]) -> List[str]:
    target = summary.get("targets", {}).get("turns_per_s_per_instance", 50)
    p95 = summary.get("targets", {}).get("p95_ms", TARGET_P95_MS)
    rows = []
    for c in _configs(summary):
        best = c.get("best_under_target")
        judged = ""
        if c.get("assistant") == "shopassist":
            stock = _best(summary, c["name"].replace("shopassist", "stock"))
            met = None
            if c.get("levels"):
                ours = best["turns_per_s_per_instance"] if best else 0.0
                theirs = stock["turns_per_s_per_instance"] if stock else 0.0
                met = ours >= target and ours >= theirs
            judged = verdict(met)
        if best is None:
            rows.append([c["title"], "none" if c.get("levels") else "n/a", "", "", "", judged])
            continue
        rows.append(
            [
                c["title"],
                _num(best["turns_per_s"], 1),
                _num(best["turns_per_s_per_instance"], 1),
                best["concurrency"],
                _num(best["p95_ms"]),
                judged,
            ]
        )
    head = [
        "configuration",
        f"highest turns/s with p95 < {p95:g} ms and no errors",
        "per Rasa server",
        "at concurrency",
        "its p95 (ms)",
        f"target: >= {target:g} turns/s per server and no worse than stock",
    ]
    return table(head, rows)


def _memory_table(summary: Dict[str, Any]) -> List[str]:
    rows = []
    for c in _configs(summary):
        warm = c.get("memory_after_warmup") or {}
        for name in sorted(warm, key=lambda n: (not n.startswith("rasa"), n)):
            cells = [
                _num(((c.get(key) or {}).get(name) or {}).get("rss_mb"))
                for key in ("memory_after_warmup", "memory_after_load", "memory_after_long")
            ]
            if "memory_after_long" not in c:
                cells[2] = "-"
            rows.append([c["title"], name, *cells])
    head = [
        "configuration",
        "process",
        "RSS after warm-up (MB)",
        "after the load (MB)",
        "after the long conversation (MB)",
    ]
    return table(head, rows)


def _long_table(summary: Dict[str, Any]) -> List[str]:
    runs = [(c, c["long"]) for c in _configs(summary) if c.get("long")]
    if not runs:
        return ["No long conversation was measured."]
    first = runs[0][1]
    blocks = first["blocks"]
    picks = sorted({0, len(blocks) // 4, len(blocks) // 2, (3 * len(blocks)) // 4, len(blocks) - 1})
    target = summary.get("targets", {}).get("long_ratio", TARGET_LONG_RATIO)
    rows: List[List[Any]] = []
    for i in picks:
        cells = []
        for _, long in runs:
            block = long["blocks"][i] if i < len(long["blocks"]) else None
            cells.append(_num(block["median_ms"]) if block else "n/a")
        rows.append([f"turns {blocks[i]['turns']}", *cells])
    ratio_cells = []
    for c, long in runs:
        ratio = long.get("ratio")
        met = None if ratio is None else ratio <= target
        mark = f" (target <= {target:g}x: {verdict(met)})" if c["assistant"] == "shopassist" else ""
        ratio_cells.append(f"{_num(ratio, 2)}x{mark}")
    rows.append(
        [f"last / first (turns {first['last_turns']} against {first['first_turns']})", *ratio_cells]
    )
    head = [
        f"turns (of one {first['turns']}-turn conversation), median latency (ms)",
        *(ASSISTANTS.get(c["assistant"], c["title"]) for c, _ in runs),
    ]
    lines = table(head, rows)
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
        f" {duration(stock_init.get('seconds'))})."
        if stock_init.get("command")
        else " The stock assistant could not be made: "
        + str(stock_init.get("error", "not run"))[:300]
    )
    models = summary.get("models") or {}
    lines = [
        title,
        "",
        f"Measured on {summary.get('date')} with `{summary.get('command')}`"
        f" in {duration(summary.get('total_seconds'))}"
        f" on {machine.get('cpu')}, {machine.get('cores')} cores, {machine.get('ram_gib')} GiB"
        f" RAM ({machine.get('os')}, Python {machine.get('python')}, Rasa {machine.get('rasa')}).",
        "",
        "Every configuration runs on the cluster of `shopassist/cluster.py`, one after the other"
        " in the same run: HAProxy in front, PostgreSQL tracker store (a fresh database each),"
        " Redis lock store, RabbitMQ event broker, the action servers behind the proxy,"
        " `deploy/endpoints.production.yml` (so both assistants run on ShopAssist's bounded"
        " SQL tracker store; Rasa's own store is compared in *Long conversations* below);"
        " all on this machine with the load generator (locust, headless, in its own process:"
        " its CPU share is the *client* column)."
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
        f"Closed loop through the proxy (`bench/serving/locustfile.py`): each of C locust users"
        f" runs whole {load_len}-turn conversations one after the other (a fresh sender id and"
        " cookie jar each), sending the next turn as soon as the reply is in (no think time)."
        f" Figures over **turns 1-{load_len} of {load_len}-turn conversations** (every"
        f" position; the scripts are below), {_num(settings.get('level_seconds'))} s per level"
        f" (C = {levels}) after a {_num(settings.get('ramp_seconds'))} s ramp, after a"
        f" {_num(settings.get('warmup_seconds'))} s warm-up at C ="
        f" {settings.get('warmup_concurrency')}; turns/s counts the turns answered (HTTP 200)"
        " once all C users run (locust's --reset-stats); the percentiles are locust's over"
        " the same requests (it rounds times above 100 ms to 2 significant digits); errors"
        " are other statuses and timeouts. Empty: answers without any bot message; apology:"
        ' ShopAssist\'s "temporarily unavailable" reply. Cores busy: CPU seconds per wall'
        " second of the Rasa servers, the action servers and the load generator.",
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
        f" long conversations' latencies: `{results_file(quick)}`.",
    ]
    return "\n".join(lines) + "\n"


def action_memory_markdown(summary: Dict[str, Any]) -> str:
    """The "Action server memory" table of bench/BENCHMARKS.md for one run."""
    machine = summary.get("machine") or {}
    yes = {True: "yes", False: "no"}
    rows = [
        [s["step"], _num(s.get("rss_mb")), yes[s["tensorflow"]], yes[s["torch"]]]
        + [_num(s.get("seconds"), 1)]
        for s in summary.get("steps", [])
    ]
    head = ["step", "RSS (MB)", "TensorFlow loaded", "PyTorch loaded", "seconds"]
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
                *table(head, rows),
            ]
        )
        + "\n"
    )


def results_file(quick: bool) -> str:
    return "results/bench/quick/serving.json" if quick else "results/bench/serving/serving.json"
