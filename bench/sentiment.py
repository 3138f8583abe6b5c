"""Sentiment: ShopAssist's analyzer beside plain VADER and the majority class, on one labelled set.

Plain VADER (default lexicon, the same +-0.05 thresholds) isolates what ShopAssist's extra
shop vocabulary adds; the majority class is the floor any classifier must beat. It is the
majority of the evaluation set itself (there is no separate training set), so it is a floor
with a peek at the labels, never a fair competitor.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

LABELS = ("negative", "neutral", "positive")
THRESHOLD = 0.05  # VADER's recommended cut on the compound score


def read_labelled(path: Path) -> Tuple[List[Tuple[str, str]], int]:
    """(text, label) rows of a text,label CSV, and how many rows were skipped (unknown label)."""
    rows: List[Tuple[str, str]] = []
    skipped = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = (row.get("label") or "").strip().lower()
            if label in LABELS:
                rows.append((row.get("text") or "", label))
            else:
                skipped += 1
    return rows, skipped


def metrics(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, Any]:
    """Accuracy, macro-F1 over the three labels, per-label precision/recall/F1, confusion
    matrix (rows: gold, columns: predicted, in LABELS order). 0 where a ratio has no base."""
    assert len(gold) == len(predicted), "one prediction per gold label"
    pairs = Counter(zip(gold, predicted))
    per_label: Dict[str, Dict[str, float]] = {}
    for label in LABELS:
        true_pos = pairs[(label, label)]
        n_predicted = sum(n for (_, p), n in pairs.items() if p == label)
        n_gold = sum(n for (g, _), n in pairs.items() if g == label)
        precision = true_pos / n_predicted if n_predicted else 0.0
        recall = true_pos / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": n_gold,
        }
    correct = sum(n for (g, p), n in pairs.items() if g == p)
    return {
        "n": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(LABELS),
        "per_label": per_label,
        "confusion": [[pairs[(g, p)] for p in LABELS] for g in LABELS],
    }


def majority(gold: Sequence[str]) -> Callable[[str], str]:
    label = Counter(gold).most_common(1)[0][0] if gold else "neutral"
    return lambda _text: label


def vader_label(compound: float, threshold: float = THRESHOLD) -> str:
    if compound <= -threshold:
        return "negative"
    if compound >= threshold:
        return "positive"
    return "neutral"


def plain_vader() -> Callable[[str], str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()  # default lexicon, nothing added
    return lambda text: vader_label(analyzer.polarity_scores(text)["compound"])


def shopassist() -> Callable[[str], str]:
    from shopassist.nlu.sentiment import SentimentAnalyzer

    analyzer = SentimentAnalyzer(SentimentAnalyzer.get_default_config())
    return lambda text: analyzer.score(text)["label"]


def _skip(reason: str) -> Dict[str, Any]:
    print(f"bench: sentiment skipped: {reason}")
    return {"skipped": reason}


def run(csv_path: Path, component: Path) -> Dict[str, Any]:
    """All three on the labelled set, or {"skipped": why} when a piece is missing."""
    missing = [str(p) for p in (csv_path, component) if not p.is_file()]
    if missing:
        return _skip(f"{' and '.join(missing)} not there")
    rows, skipped = read_labelled(csv_path)
    if not rows:
        return _skip(f"no row labelled {'/'.join(LABELS)} in {csv_path}")
    try:
        predictors = {
            "majority class": majority([label for _, label in rows]),
            "plain VADER": plain_vader(),
            "ShopAssist": shopassist(),
        }
    except ImportError as error:  # e.g. vaderSentiment missing from an older venv
        return _skip(f"cannot import: {error}")
    gold = [label for _, label in rows]
    return {
        "file": str(csv_path),
        "rows": len(rows),
        "skipped_rows": skipped,
        "gold_counts": {label: gold.count(label) for label in LABELS},
        "results": {
            name: metrics(gold, [predict(text) for text, _ in rows])
            for name, predict in predictors.items()
        },
    }
