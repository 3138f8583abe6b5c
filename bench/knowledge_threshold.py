"""The "not covered" threshold of knowledge answers, chosen without the graded questions.

Covered: each `<!-- asked: -->` question of the help pages, searched with its own key left
out (it would otherwise find itself). Not covered: tests/knowledge/tuning_questions.yml,
shop questions the pages don't answer, written apart from the graded set. The threshold
that minimises the two error rates' sum (answering the uncovered, refusing the covered) is
shopassist.knowledge.coverage.UNKNOWN_BELOW; the graded set (policy_questions.yml) and
the independent set stay held out. The same cost, at each one's best threshold, chose the
words' weight in the search score (shopassist.knowledge.lexical.WEIGHT; 0 is the cosine
alone).

    .venv/bin/python -m bench.knowledge_threshold
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bench.report import table

REPO = Path(__file__).resolve().parent.parent
TUNING = REPO / "tests" / "knowledge" / "tuning_questions.yml"
CANDIDATES = tuple(round(0.30 + 0.01 * i, 2) for i in range(61))  # 0.30 ... 0.90
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4)


def sweep(index) -> Dict[str, Any]:
    covered = [
        float(index.scores(text, leave_out=row).max())
        for row, (text, owner) in enumerate(zip(index.key_texts, index.owners))
        if text in index.passages[owner].questions
    ]
    uncovered_questions = yaml.safe_load(TUNING.read_text(encoding="utf-8"))["uncovered"]
    uncovered = [float(index.scores(q).max()) for q in uncovered_questions]
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


def weigh(index) -> Dict[str, Any]:
    """The sweep at each candidate weight of the words; the weight with the lowest cost."""
    from shopassist.knowledge import lexical

    kept, results = lexical.WEIGHT, {}
    try:
        for weight in WEIGHTS:
            lexical.WEIGHT = weight
            results[weight] = sweep(index)
    finally:
        lexical.WEIGHT = kept
    return {"sweeps": results, "configured": kept}


def render(weighed: Dict[str, Any]) -> str:
    sweeps, configured = weighed["sweeps"], weighed["configured"]
    result = sweeps[configured]
    lines = [
        f'"Not covered" threshold and the words\' weight, tuned apart from the graded and '
        f"independent sets: {result['covered']} questions of the pages' `asked` lists (own key "
        f"left out, from the vectors and the words) and {result['uncovered']} uncovered "
        "questions of `tests/knowledge/tuning_questions.yml` "
        "(`python -m bench.knowledge_threshold`):",
        "",
        *table(
            ["words' weight", "best threshold", "covered refused", "uncovered answered", "sum"],
            (
                [
                    f"{weight:.1f}" + (" **(configured)**" if weight == configured else ""),
                    f"{s['best']['threshold']:.2f}",
                    f"{s['best']['covered_refused']:.0%}",
                    f"{s['best']['uncovered_answered']:.0%}",
                    f"{s['best']['cost']:.2f}",
                ]
                for weight, s in sweeps.items()
            ),
        ),
        "",
        f"At the configured weight ({configured}), every fifth threshold:",
        "",
        *table(
            ["threshold", "covered refused", "uncovered answered", "sum"],
            (
                [
                    f"{r['threshold']:.2f}" + (" **(best)**" if r is result["best"] else ""),
                    f"{r['covered_refused']:.0%}",
                    f"{r['uncovered_answered']:.0%}",
                    f"{r['cost']:.2f}",
                ]
                for r in result["rows"]
                if r is result["best"] or not round(r["threshold"] * 100) % 5
            ),
        ),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.path.insert(0, str(REPO))
    from shopassist.knowledge import get_index

    print(render(weigh(get_index())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
