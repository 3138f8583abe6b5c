"""The "not covered" threshold of knowledge answers, chosen without the graded questions.

Covered: each `<!-- asked: -->` question of the help pages, searched with its own key left
out (it would otherwise find itself). Not covered: tests/knowledge/tuning_questions.yml,
shop questions the pages don't answer, written apart from the graded set. The threshold
that minimises the two error rates' sum (answering the uncovered, refusing the covered) is
knowledge_answers.UNKNOWN_BELOW; the graded set (policy_questions.yml) stays held out.

    .venv/bin/python -m bench.knowledge_threshold
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

REPO = Path(__file__).resolve().parent.parent
TUNING = REPO / "tests" / "knowledge" / "tuning_questions.yml"
CANDIDATES = tuple(round(0.30 + 0.05 * i, 2) for i in range(9))  # 0.30 ... 0.70


def sweep(index) -> Dict[str, Any]:
    covered = [
        float(index.passage_scores(index.vectors[row], leave_out=row).max())
        for row, (text, owner) in enumerate(zip(index.key_texts, index.owners))
        if text in index.passages[owner].questions
    ]
    uncovered_questions = yaml.safe_load(TUNING.read_text(encoding="utf-8"))["uncovered"]
    uncovered = [
        float(index.passage_scores(v).max()) for v in index.embedder.embed(uncovered_questions)
    ]
    rows: List[Dict[str, Any]] = []
    for threshold in CANDIDATES:
        refused = sum(s < threshold for s in covered) / len(covered)
        answered = sum(s >= threshold for s in uncovered) / len(uncovered)
        rows.append(
            {"threshold": threshold, "covered_refused": refused, "uncovered_answered": answered,
             "cost": refused + answered}
        )  # fmt: skip
    best = min(rows, key=lambda r: (r["cost"], r["threshold"]))
    return {"covered": len(covered), "uncovered": len(uncovered), "rows": rows, "best": best}


def render(result: Dict[str, Any]) -> str:
    lines = [
        f'"Not covered" threshold, tuned apart from the graded set: {result["covered"]} '
        f"questions of the pages' `asked` lists (own key left out) and {result['uncovered']} "
        "uncovered questions of `tests/knowledge/tuning_questions.yml` "
        "(`python -m bench.knowledge_threshold`):",
        "",
        "| threshold | covered refused | uncovered answered | sum |",
        "|---|---|---|---|",
    ]
    for r in result["rows"]:
        mark = " **(chosen)**" if r is result["best"] else ""
        lines.append(
            f"| {r['threshold']:.2f}{mark} | {r['covered_refused']:.0%} "
            f"| {r['uncovered_answered']:.0%} | {r['cost']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.path.insert(0, str(REPO))
    from shopassist.knowledge import get_index

    print(render(sweep(get_index())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
