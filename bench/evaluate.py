"""Scores on the held-out test.yml (`rasa test nlu`) and the 3-fold cross-validation.

Figures are read from the JSON reports Rasa writes, so they are Rasa's own numbers.
Rasa's test undoes FallbackClassifier predictions (it scores the intent behind a fallback),
so the nlu_fallback count comes from bench/latency.py's parses, not from these reports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bench.pipelines import rasa_command, run_logged

AVERAGES = {"accuracy", "micro avg", "macro avg", "weighted avg", "no_entity"}
NOT_ENTITY_REPORTS = {"intent_report.json", "response_selection_report.json"}
OUT_OF_SCOPE = "out_of_scope"


def score_model(model: Path, test_data: Path, out_dir: Path, repo: Path) -> List[str]:
    command = rasa_command(
        "test", "nlu", "--nlu", str(test_data), "--model", str(model), "--out", str(out_dir)
    )
    run_logged(command, out_dir / "test.log", repo)
    return command


def cross_validate(nlu: Path, config: Path, out_dir: Path, repo: Path, folds: int = 3) -> List[str]:
    command = rasa_command(
        "test", "nlu", "--nlu", str(nlu), "--config", str(config),
        "--cross-validation", "--folds", str(folds), "--out", str(out_dir), "--successes",
    )  # fmt: skip
    run_logged(command, out_dir / "cross-validation.log", repo)
    return command


def _load(path: Path) -> Optional[Dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _accuracy(report: Dict[str, Any]) -> Optional[float]:
    # sklearn writes "accuracy" when every label is scored, "micro avg" (the same) otherwise.
    if isinstance(report.get("accuracy"), (int, float)):
        return float(report["accuracy"])
    micro = report.get("micro avg")
    return float(micro["f1-score"]) if micro else None


def classifier_scores(report: Dict[str, Any], row: str = OUT_OF_SCOPE) -> Dict[str, Any]:
    """Accuracy, macro-F1, weighted-F1 and one row (out_of_scope) of a classification report."""
    scores: Dict[str, Any] = {
        "accuracy": _accuracy(report),
        "macro_f1": report.get("macro avg", {}).get("f1-score"),
        "weighted_f1": report.get("weighted avg", {}).get("f1-score"),
        "labels": len([k for k in report if k not in AVERAGES]),
    }
    if row in report:
        scores[row] = {k: report[row][k] for k in ("precision", "recall", "f1-score", "support")}
    return scores


def entity_scores(out_dir: Path) -> Dict[str, List[Dict[str, Any]]]:
    """{entity: [{extractor, precision, recall, f1, support}]} from each <extractor>_report.json."""
    entities: Dict[str, List[Dict[str, Any]]] = {}
    for path in sorted(out_dir.glob("*_report.json")):
        if path.name in NOT_ENTITY_REPORTS:
            continue
        extractor = path.name[: -len("_report.json")]
        for entity, row in (_load(path) or {}).items():
            if entity in AVERAGES or not isinstance(row, dict):
                continue
            entities.setdefault(entity, []).append(
                {
                    "extractor": extractor,
                    "precision": row["precision"],
                    "recall": row["recall"],
                    "f1": row["f1-score"],
                    "support": row["support"],
                }
            )
    return entities


def read_test(out_dir: Path) -> Dict[str, Any]:
    """Intent, entity and response-selection figures of one `rasa test nlu` output folder."""
    result: Dict[str, Any] = {"intent": None, "entities": entity_scores(out_dir)}
    intent = _load(out_dir / "intent_report.json")
    if intent:
        result["intent"] = classifier_scores(intent)
    responses = _load(out_dir / "response_selection_report.json")
    if responses:
        result["response_selection"] = classifier_scores(responses)
    return result


# Rasa logs each cross-validation metric as "test F1-score: 0.951 (0.012)": mean (std) over folds.
_CV_LINE = re.compile(r"\b(train|test) (Accuracy|F1-score|Precision): ([0-9.]+) \(([0-9.]+)\)")


def parse_cv_log(text: str) -> Dict[str, Dict[str, Tuple[float, float]]]:
    """Per-fold mean and std of the intent metrics, from the block Rasa logs after "Intent
    evaluation results" (entity blocks follow). Rasa's per-fold F1 is the weighted average."""
    found: Dict[str, Dict[str, Tuple[float, float]]] = {}
    in_intents = False
    for line in text.splitlines():
        if "Intent evaluation results" in line:
            in_intents = True
        elif "Entity evaluation results" in line or "Response Selection evaluation" in line:
            in_intents = False
        match = _CV_LINE.search(line) if in_intents else None
        if match:
            split, metric, mean, std = match.groups()
            found.setdefault(split, {})[metric] = (float(mean), float(std))
    return found


def read_cv(out_dir: Path, folds: int) -> Dict[str, Any]:
    """Pooled out-of-fold report (every example predicted once) and per-fold means."""
    intent = _load(out_dir / "intent_report.json") or {}
    log = out_dir / "cross-validation.log"
    per_fold = parse_cv_log(log.read_text(encoding="utf-8")) if log.is_file() else {}
    test = per_fold.get("test", {})
    return {
        "folds": folds,
        "pooled": classifier_scores(intent) if intent else None,
        "per_fold_weighted_f1": test.get("F1-score"),
        "per_fold_accuracy": test.get("Accuracy"),
        "entities": entity_scores(out_dir),
    }
