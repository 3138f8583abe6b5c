"""The generation checker on its corpus: how many wrong answers it catches, and how fast.

Every case of tests/generation/checker_cases.yml goes through grounding.check_answer with
its question and source. "Positive" is a wrong answer (verdict: fail): precision is the
share of rejected answers that were wrong, recall the share of wrong answers rejected. The
tuned and the holdout cases (every third one, fixed before the checker was tuned) and the
late ones (written after it was finished) are reported apart; check times are per call,
after one warm-up pass over the corpus.

Two more sets of right answers, for false rejections outside the corpus: the reference
answers of tests/knowledge/policy_questions.yml checked against their whole help page, and
every sentence of the help pages checked against its own section.

    .venv/bin/python -m bench.checker [--cases FILE] [--show]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bench.report import table

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "generation" / "checker_cases.yml"
QUESTIONS = REPO / "tests" / "knowledge" / "policy_questions.yml"
REPEATS = 5


def load_cases(path: Path = CASES) -> List[Dict[str, Any]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        source = case["source"]
        case["source_text"] = "\n".join(source) if isinstance(source, list) else source
    return cases


def run_case(case: Dict[str, Any]):
    from shopassist.generation.grounding import check_answer

    return check_answer(case["answer"], case["source_text"], question=case["question"])


def right_answers_elsewhere() -> Dict[str, List]:
    """Right answers from outside the corpus, each with its source: name -> [(answer, ...)]."""
    from shopassist.knowledge.documents import DEFAULT_KNOWLEDGE_DIR, parse_page

    pages = {
        path.name: parse_page(path.name, path.read_text(encoding="utf-8"))
        for path in sorted(DEFAULT_KNOWLEDGE_DIR.glob("*.md"))
    }
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    references = []
    for q in questions:
        if not q.get("answerable") or not q.get("reference"):
            continue
        files = q["source"] if isinstance(q["source"], list) else [q["source"]]
        text = "\n".join(p.text for f in files for p in pages[f])
        references.append((q["id"], q["reference"], text, q["question"]))
    from shopassist.generation.grounding import _sentences

    own = [
        (p.id, sentence, p.text, "")
        for passages in pages.values()
        for p in passages
        for sentence in _sentences(p.text)
    ]
    return {
        "reference answers (policy_questions.yml) vs their whole page": references,
        "help-page sentences vs their own section": own,
    }


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def scores(rows: List[Dict[str, Any]]) -> Dict[str, Any]:
    caught = sum(1 for r in rows if r["wrong"] and not r["ok"])
    rejected = sum(1 for r in rows if not r["ok"])
    wrong = sum(1 for r in rows if r["wrong"])
    right = len(rows) - wrong
    passed_right = sum(1 for r in rows if not r["wrong"] and r["ok"])
    return {
        "cases": len(rows),
        "wrong": wrong,
        "right": right,
        "caught": caught,
        "right_passed": passed_right,
        "precision": caught / rejected if rejected else 1.0,
        "recall": caught / wrong if wrong else 1.0,
    }


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--show", action="store_true", help="list the misjudged cases")
    args = parser.parse_args(argv)

    cases = load_cases(args.cases)
    for case in cases:  # warm-up: imports, compiled patterns, cached source analysis
        run_case(case)
    rows, times, best = [], [], []
    for case in cases:
        mine = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            verdict = run_case(case)
            mine.append((time.perf_counter() - started) * 1000)
        times += mine
        best.append(min(mine))
        rows.append(
            {
                "id": case["id"],
                "split": case.get("split", "tuned"),
                "wrong": case["verdict"] == "fail",
                "ok": verdict.ok,
                "problems": verdict.problems,
            }
        )
    cold = []
    from shopassist.generation import grounding

    for case in cases:  # without the per-source cache: every source analysed afresh
        grounding.clear_cache()
        started = time.perf_counter()
        run_case(case)
        cold.append((time.perf_counter() - started) * 1000)

    print(f"{len(cases)} cases from {args.cases.relative_to(REPO)}")
    lines = []
    for split in ("tuned", "holdout", "late", "all"):
        s = scores([r for r in rows if split == "all" or r["split"] == split])
        lines.append(
            [
                split,
                f"{s['caught']}/{s['wrong']}",
                f"{s['right_passed']}/{s['right']}",
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
            ]
        )
    head = ["split", "wrong caught (recall)", "right passed", "precision", "recall"]
    print("\n".join(table(head, lines)))
    print(
        f"check time per call: p50 {percentile(times, 0.5):.2f} ms, "
        f"p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms, "
        f"mean {statistics.mean(times):.2f} ms ({len(times)} calls); "
        f"best of {REPEATS} per case: p50 {percentile(best, 0.5):.2f} ms, "
        f"p95 {percentile(best, 0.95):.2f} ms; source not cached: "
        f"p50 {percentile(cold, 0.5):.2f} ms, p95 {percentile(cold, 0.95):.2f} ms"
    )
    from shopassist.generation.grounding import check_answer

    for name, answers in right_answers_elsewhere().items():
        rejected = []
        for key, answer, source, question in answers:
            verdict = check_answer(answer, source, question=question)
            if not verdict.ok:
                rejected.append((key, verdict.problems))
        print(f"right answers passed, {name}: {len(answers) - len(rejected)}/{len(answers)}")
        for key, problems in rejected if args.show else ():
            print(f"  rejected {key}: {problems}")
    wrongly = [r for r in rows if r["ok"] == r["wrong"]]
    if args.show or wrongly:
        for r in wrongly:
            kind = "missed" if r["wrong"] else "rejected"
            print(f"  {kind} [{r['split']}] {r['id']}: {r['problems']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
