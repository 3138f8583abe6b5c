"""The "not covered" threshold of the help pages in other languages, from questions
written for it (tests/knowledge/languages/<language>.yml), never a graded or independent set.

For each language: its covered questions (each with the English id of the section that
answers it) and its uncovered ones, searched in that language's pages
(data/knowledge/<language>/), plus those pages' own `asked` questions with their own key
left out. A language without pages yet is searched in the English pages embedded with the
same multilingual encoder (marked "English pages"): the questions' language differs from
the pages', so its scores run lower than they will with the pages. The threshold that
minimises the two error rates' sum over all languages is
shopassist.knowledge.languages.LANGUAGE_UNKNOWN_BELOW.

    .venv/bin/python -m bench.language_threshold
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bench.report import table
from shopassist.knowledge.documents import DEFAULT_KNOWLEDGE_DIR, load_passages
from shopassist.knowledge.index import KnowledgeIndex
from shopassist.knowledge.languages import (
    LANGUAGE_UNKNOWN_BELOW,
    MultilingualEmbedder,
    build_index,
    has_pages,
)

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "knowledge" / "languages"
CANDIDATES = tuple(round(0.20 + 0.01 * i, 2) for i in range(61))  # 0.20 ... 0.80


def scores(language: str, folder: Path | None = None) -> Dict[str, Any]:
    """The best passage's score of each covered and uncovered question of `language`."""
    tuning = yaml.safe_load((QUESTIONS / f"{language}.yml").read_text(encoding="utf-8"))
    own = has_pages(language, folder)
    if own:
        index = build_index(language, folder)
    else:
        english = load_passages(folder)
        index = KnowledgeIndex(english, MultilingualEmbedder(), kind="index_en", words=False)
    ids = {p.id for p in index.passages}
    covered, right = [], 0
    for item in tuning["covered"]:
        if item["id"] not in ids and not own:
            raise ValueError(f"{language}.yml: no section {item['id']}")
        (hit,) = index.search(item["q"], k=1)
        covered.append(hit.score)
        right += hit.passage.id == item["id"]
    asked = [
        float(index.scores(text, leave_out=row).max())
        for row, (text, owner) in enumerate(zip(index.key_texts, index.owners))
        if text in index.passages[owner].questions and index.passages[owner].language == language
    ]
    uncovered = [index.search(q, k=1)[0].score for q in tuning["uncovered"]]
    return {
        "pages": language if own else "en",
        "covered": covered + (asked if own else []),
        "uncovered": uncovered,
        "right": right,
        "written": len(tuning["covered"]),
    }


def sweep(results: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """Each candidate's error rates, summed over the languages; the best candidate."""
    rows: List[Dict[str, Any]] = []
    for threshold in CANDIDATES:
        cost, per = 0.0, {}
        for language, r in results.items():
            refused = sum(s < threshold for s in r["covered"]) / len(r["covered"])
            answered = sum(s >= threshold for s in r["uncovered"]) / len(r["uncovered"])
            per[language] = (refused, answered)
            cost += refused + answered
        rows.append({"threshold": threshold, "cost": cost, "per": per})
    best = min(rows, key=lambda r: (r["cost"], r["threshold"]))
    return {"rows": rows, "best": best}


def render(results: Dict[str, Dict[str, Any]], swept: Dict[str, Any]) -> str:
    best = swept["best"]
    configured = next(r for r in swept["rows"] if r["threshold"] == LANGUAGE_UNKNOWN_BELOW)
    head = [
        "language",
        "pages searched",
        "covered (written + asked)",
        "top hit right",
        f"covered refused at {best['threshold']:.2f}",
        f"uncovered answered at {best['threshold']:.2f}",
    ]
    rows = [
        [
            language,
            r["pages"],
            len(r["covered"]),
            f"{r['right']}/{r['written']}",
            f"{best['per'][language][0]:.0%}",
            f"{best['per'][language][1]:.0%}",
        ]
        for language, r in results.items()
    ]
    lines = table(head, rows)
    lines += [
        "",
        f"Best threshold {best['threshold']:.2f} (sum of error rates {best['cost']:.2f}); "
        f"configured {LANGUAGE_UNKNOWN_BELOW:.2f} (sum {configured['cost']:.2f}).",
    ]
    return "\n".join(lines)


def main(argv: List[str] | None = None) -> int:
    languages = argv or sorted(p.stem for p in QUESTIONS.glob("*.yml"))
    results = {language: scores(language, DEFAULT_KNOWLEDGE_DIR) for language in languages}
    print(render(results, sweep(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
