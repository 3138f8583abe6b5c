"""Markdown for bench/BENCHMARKS.md: the one table writer every benchmark uses, the
replacement of a section between its markers, and the NLU benchmark's section.

Rendering is a pure function of the figures (summary.json), so a table can be re-made (and
is tested) without measuring anything. Only the text between two markers is ever rewritten.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence

START = "<!-- nlu-bench:start -->"
END = "<!-- nlu-bench:end -->"

# Targets printed next to the figures (a run never fails on them).
TARGET_MACRO_F1 = 0.95
TARGET_P50_MS = 20.0
TARGET_TRAIN_SECONDS = 600.0

PIPELINES = (("stock", "stock (`rasa init`)"), ("shopassist", "ShopAssist (config.yml)"))


def row(cells: Iterable[Any]) -> str:
    """One Markdown table line: `| a | b |` (each cell as str())."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def table(head: Sequence[str], rows: Iterable[Sequence[Any]] = (), align: str = "") -> List[str]:
    """A Markdown table's lines: the header, its rule and one line per row. `align` has a
    letter per column, `l` (the default, `---`) or `r` (`---:`)."""
    rule = "|" + "".join("---:|" if a == "r" else "---|" for a in align.ljust(len(head), "l"))
    return [row(head), rule, *(row(cells) for cells in rows)]


def num(value: Any, digits: int = 3) -> str:
    """A figure with `digits` decimals; "n/a" when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def duration(seconds: Optional[float]) -> str:
    """`5 min 3 s`, `42 s`, or "n/a"."""
    if seconds is None:
        return "n/a"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def verdict(met: Optional[bool]) -> str:
    """A target's verdict: **met**, **not met**, or n/a when it could not be judged."""
    return "n/a" if met is None else ("**met**" if met else "**not met**")


def _get(data: Any, *keys: Any) -> Any:
    for key in keys:
        if data is None:
            return None
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _entity_cell(rows: Optional[List[Dict[str, Any]]]) -> str:
    if not rows:
        return "not extracted"
    # Rasa scores every extractor on every entity of the test set; one that never found an
    # entity (recall 0) is not the one that reports it, unless none did.
    found = [r for r in rows if r.get("recall")]
    if not found:
        names = ", ".join(r["extractor"] for r in rows)
        return f"{num(0.0)} (not found by {names}; n={rows[0]['support']})"
    rows = found
    return "<br>".join(f"{num(r['f1'])} ({r['extractor']}, n={r['support']})" for r in rows)


def _row(label: str, cells: List[str], target: str = "") -> str:
    return row([label, *cells, target])


def nlu_table(summary: Dict[str, Any]) -> List[str]:
    pipelines = summary["pipelines"]
    stock, ours = pipelines.get("stock"), pipelines.get("shopassist")
    quick = summary.get("mode") == "quick"

    def cells(*keys: Any, digits: int = 3) -> List[str]:
        return [num(_get(pipelines.get(name), *keys), digits) for name, _ in PIPELINES]

    lines = table(["metric", *(title for _, title in PIPELINES), "target (ShopAssist)"])
    train_s = _get(ours, "train_seconds")
    lines.append(
        _row(
            "training time (`rasa train nlu` on the train split, wall clock)",
            [duration(_get(pipelines.get(name), "train_seconds")) for name, _ in PIPELINES],
            f"< 10 min: {verdict(None if train_s is None else train_s < TARGET_TRAIN_SECONDS)}",
        )
    )
    lines.append(_row("intent accuracy (test split)", cells("test", "intent", "accuracy")))
    f1_ours = _get(ours, "test", "intent", "macro_f1")
    f1_stock = _get(stock, "test", "intent", "macro_f1")
    met = None
    if f1_ours is not None and f1_stock is not None:
        met = f1_ours >= TARGET_MACRO_F1 and f1_ours > f1_stock
    lines.append(
        _row(
            "intent macro-F1 (test split)",
            cells("test", "intent", "macro_f1"),
            f">= {TARGET_MACRO_F1} and above stock: {verdict(met)}",
        )
    )
    lines.append(
        _row(
            "out_of_scope precision / recall (test split)",
            [
                f"{num(_get(pipelines.get(n), 'test', 'intent', 'out_of_scope', 'precision'))}"
                f" / {num(_get(pipelines.get(n), 'test', 'intent', 'out_of_scope', 'recall'))}"
                for n, _ in PIPELINES
            ],
        )
    )
    fallback_cells = []
    for name, _ in PIPELINES:
        fallback = _get(pipelines.get(name), "latency", "fallback")
        fallback_cells.append(
            "n/a"
            if not fallback
            else f"{fallback['nlu_fallback']} of {fallback['messages']}"
            f" ({fallback['nlu_fallback_on_out_of_scope']} on out_of_scope)"
        )
    lines.append(_row("`nlu_fallback` predictions (test split)", fallback_cells))
    if any(_get(pipelines.get(n), "test", "response_selection") for n, _ in PIPELINES):
        lines.append(
            _row(
                "response selection macro-F1 (test split)",
                cells("test", "response_selection", "macro_f1"),
            )
        )
    entities = sorted(
        {e for name, _ in PIPELINES for e in (_get(pipelines.get(name), "test", "entities") or {})}
    )
    for entity in entities:
        lines.append(
            _row(
                f"entity F1 `{entity}` (extractor)",
                [
                    _entity_cell(_get(pipelines.get(name), "test", "entities", entity))
                    for name, _ in PIPELINES
                ],
            )
        )
    p50 = _get(ours, "latency", "p50_ms")
    lines.append(
        _row(
            "parse latency p50 / p95 (ms, one message at a time, in-process)",
            [
                f"{num(_get(pipelines.get(n), 'latency', 'p50_ms'), 1)}"
                f" / {num(_get(pipelines.get(n), 'latency', 'p95_ms'), 1)}"
                for n, _ in PIPELINES
            ],
            f"p50 < {TARGET_P50_MS:g} ms: {verdict(None if p50 is None else p50 < TARGET_P50_MS)}",
        )
    )
    cv = summary.get("cross_validation")
    cv_cell = "skipped (quick mode)" if quick else "not run"
    if cv:
        cv_cell = num(_get(cv, "pooled", "macro_f1"))
    lines.append(
        _row(
            "intent macro-F1, 3-fold cross-validation on the train split",
            ["not run", cv_cell],
            f">= {TARGET_MACRO_F1}",
        )
    )
    return lines


def load_lines(summary: Dict[str, Any]) -> List[str]:
    """The machine's load while parses were timed: other jobs share its cores."""
    loads = []
    for name, title in PIPELINES:
        load = _get(summary["pipelines"].get(name), "latency", "load_average_1min")
        if load:
            loads.append(f"{title.split(' ')[0]} {load[0]:.2f} → {load[1]:.2f}")
    if not loads:
        return []
    cores = summary["machine"].get("cores")
    return [
        "",
        f"1-minute load average before → after the timed parses ({cores} cores):"
        f" {'; '.join(loads)}. Latency moves a lot when other jobs hold a core.",
    ]


def cv_lines(summary: Dict[str, Any]) -> List[str]:
    cv = summary.get("cross_validation")
    if not cv:
        return []
    weighted = cv.get("per_fold_weighted_f1")
    accuracy = cv.get("per_fold_accuracy")
    per_fold = (
        f" Rasa's per-fold figures (mean ± std over the {cv['folds']} test folds): weighted F1"
        f" {num(weighted[0])} ± {num(weighted[1])}"
        if weighted
        else ""
    )
    if accuracy:
        per_fold += f", accuracy {num(accuracy[0])} ± {num(accuracy[1])}"
    return [
        "",
        f"Cross-validation ({cv['folds']} folds, ShopAssist's pipeline, the train split):"
        f" intent macro-F1 {num(_get(cv, 'pooled', 'macro_f1'))} and accuracy"
        f" {num(_get(cv, 'pooled', 'accuracy'))} over the pooled out-of-fold predictions"
        " (Rasa's `intent_report.json`: each example predicted once, by the fold that did not"
        " train on it; Rasa logs no per-fold macro-F1)." + (per_fold + "." if per_fold else ""),
        *threshold_lines(cv.get("threshold")),
    ]


def threshold_lines(sweep: Optional[Dict[str, Any]]) -> List[str]:
    """The FallbackClassifier threshold sweep over the cross-validation's predictions."""
    if not sweep:
        return []
    best = sweep["best"]
    lines = [
        "",
        f"FallbackClassifier threshold from the same out-of-fold predictions"
        f" ({sweep['examples']} train examples; `bench/threshold.py`): below the threshold the"
        " customer is asked again (deflected if the intent was right, caught if it was wrong),"
        f" above it the predicted intent is answered (wrong if it was wrong). Cost ="
        f" {sweep['wrong_cost']:g} x wrong + deflected; lowest at **{best['threshold']:.2f}**.",
        "",
        *table(
            ["threshold", "right", "wrong", "deflected", "caught", "cost"],
            (
                [
                    f"{r['threshold']:.2f}" + (" **(lowest)**" if r == best else ""),
                    r["right"],
                    r["wrong"],
                    r["deflected"],
                    r["caught"],
                    f"{r['cost']:g}",
                ]
                for r in sweep["rows"]
            ),
        ),
    ]
    return lines


def sentiment_lines(summary: Dict[str, Any]) -> List[str]:
    sentiment = summary.get("sentiment") or {"skipped": "not measured"}
    if "results" not in sentiment:
        return ["", f"Sentiment: skipped ({sentiment.get('skipped')})."]
    results = sentiment["results"]
    names = list(results)
    gold = sentiment["gold_counts"]
    skipped = sentiment.get("skipped_rows")
    lines = [
        "",
        f"Sentiment, on `{sentiment['file']}` ({sentiment['rows']} messages: "
        + ", ".join(f"{n} {label}" for label, n in gold.items())
        + (f"; {skipped} rows with other labels skipped" if skipped else "")
        + "). Plain VADER: default lexicon, same ±0.05 thresholds; majority class: the most"
        " frequent label of this same set.",
    ]
    rows = [
        ["accuracy", *(num(results[n]["accuracy"]) for n in names)],
        ["macro-F1", *(num(results[n]["macro_f1"]) for n in names)],
    ]
    for label in ("negative", "neutral", "positive"):
        rows.append(
            [
                f"{label} precision / recall",
                *(
                    f"{num(results[n]['per_label'][label]['precision'])}"
                    f" / {num(results[n]['per_label'][label]['recall'])}"
                    for n in names
                ),
            ]
        )
    rows.append(
        [
            "confusion (rows: gold neg/neu/pos; columns: predicted)",
            *(
                "<br>".join(" ".join(str(c) for c in line) for line in results[n]["confusion"])
                for n in names
            ),
        ]
    )
    return [*lines, "", *table(["sentiment", *names], rows)]


def render(summary: Dict[str, Any]) -> str:
    """The Markdown section for one run (without the markers)."""
    machine = summary["machine"]
    data = summary["data"]
    quick = summary.get("mode") == "quick"
    title = "## NLU: ShopAssist's pipeline beside the stock `rasa init` pipeline"
    if quick:
        title += " (quick mode: not comparable to the targets)"
    sample = (
        f" Quick mode: a {data['sample_frac']:.0%} sample of each intent (of"
        f" {data.get('examples_in_source', '?')} examples) and"
        f" {summary.get('epochs')} epochs for DIET, ResponseSelector and TED."
        if quick
        else ""
    )
    lines = [
        title,
        "",
        f"Measured on {summary['date']} with `{summary['command']}`"
        f" in {duration(summary.get('total_seconds'))}"
        f" on {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM"
        f" ({machine['os']}, Python {machine['python']}, Rasa {machine['rasa']}).",
        "",
        f"Data: {data['examples']} intent examples in {data['intents']} intents from"
        f" `{data['source']}`, split {data['train_frac']:.0%}/{1 - data['train_frac']:.0%} per"
        f" intent (Rasa's `train_test_split`, seed {data['seed']}): {data['train']} to train,"
        f" {data['test']} held out to test (never used to train or tune).{sample}"
        " Both pipelines train on the same train split with Rasa's training cache off.",
        "",
        *nlu_table(summary),
        *load_lines(summary),
        *cv_lines(summary),
        *sentiment_lines(summary),
        "",
        "Commands run, with the paths where their files are kept (the inputs were copied at the"
        " start, so edits during the run don't mix in; the run works in a private folder and"
        " copies it to `results/bench/` at the end):",
        "",
        *[f"- `{command}`" for command in summary.get("commands", [])],
        "",
        "Stock pipeline: `rasa/engine/recipes/config_files/default_config.yml` of the installed"
        " Rasa, the config Rasa fills in when none is given. Latency: the model loaded once with"
        " `Agent.load`, 20 warm-up parses of training messages, then each test message parsed"
        " singly; the `nlu_fallback` count comes from these parses (`rasa test nlu` undoes"
        " fallbacks and scores the intent behind them).",
    ]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str, markers: tuple = ()) -> str:
    """`document` with the text between START and END (or the given pair of markers)
    replaced by `section`, markers kept; appended at the end when absent. Nothing else
    changes."""
    START, END = markers or (globals()["START"], globals()["END"])  # noqa: N806
    body = section.rstrip("\n") + "\n"
    start, end = document.find(START), document.find(END)
    if start == -1 and end == -1:
        separator = "" if document.endswith("\n") or not document else "\n"
        return f"{document}{separator}\n{START}\n{body}{END}\n"
    if start == -1 or end == -1 or end < start:
        raise ValueError(f"bench: {START} and {END} must both be there, in that order")
    return document[: start + len(START)] + "\n" + body + document[end:]


def write(summary: Dict[str, Any], out_dir: Path, benchmarks_md: Optional[Path]) -> str:
    """summary.json and REPORT.md in out_dir; BENCHMARKS.md only when given (full runs)."""
    section = render(summary)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (out_dir / "REPORT.md").write_text(section, encoding="utf-8")
    if benchmarks_md is not None:
        document = benchmarks_md.read_text(encoding="utf-8") if benchmarks_md.exists() else ""
        benchmarks_md.write_text(replace_section(document, section), encoding="utf-8")
    return section


def publish(section: str, markers: tuple, write: bool) -> None:
    """Prints a benchmark's section, and replaces it in bench/BENCHMARKS.md when asked."""
    if write:
        path = Path(__file__).resolve().parent / "BENCHMARKS.md"
        path.write_text(replace_section(path.read_text(encoding="utf-8"), section, markers))
    print(section)
