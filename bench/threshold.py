"""The FallbackClassifier threshold, chosen from cross-validation on the train split.

`rasa test nlu --cross-validation --successes` predicts every train example once, by the fold
that did not train on it, and writes the intent and confidence behind any fallback
(intent_successes.json, intent_errors.json). For each candidate threshold, a message whose
confidence is below it gets the two-stage fallback ("did you mean ...?", then "please
rephrase"); at or above it, the answer of the predicted intent. Each message then ends as:

- right: answered, and the intent was right (or out of scope, refused as such);
- wrong: answered with the wrong intent's answer, the costly mistake;
- deflected: the intent was right, but the customer was asked again (one extra turn);
- caught: the intent was wrong, and the customer was asked again instead.

The chosen threshold minimises WRONG_COST x wrong + deflected: a wrong answer (a wrong
form, a refusal of something in scope) costs the customer about two extra turns to repair,
a deflection one. Fallback on an out-of-scope message counts as caught, not deflected:
asking again is an acceptable answer to it. FallbackClassifier's ambiguity rule (top two
within 0.1) is not modelled: the report holds only each message's top intent.
The held-out test split plays no part: it stays for the final scores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

WRONG_COST = 2.0
CANDIDATES = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))  # 0.10 ... 0.80

Prediction = Tuple[str, str, float]  # gold intent, predicted intent, confidence


def _base(intent: str) -> str:
    return (intent or "").split("/")[0]  # faq/returns -> faq: the answer choice is not at stake


def read_predictions(cv_dir: Path) -> List[Prediction]:
    """(gold, predicted, confidence) of every example in a cross-validation output folder."""
    predictions: List[Prediction] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = cv_dir / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run the cross-validation with --successes")
        for row in json.loads(path.read_text(encoding="utf-8")):
            predicted = row.get("intent_prediction") or {}
            predictions.append(
                (
                    _base(row["intent"]),
                    _base(predicted.get("name")),
                    float(predicted.get("confidence") or 0),
                )
            )
    return predictions


def outcomes(predictions: Iterable[Prediction], threshold: float) -> Dict[str, Any]:
    counts = {"right": 0, "wrong": 0, "deflected": 0, "caught": 0}
    for gold, predicted, confidence in predictions:
        correct = gold == predicted
        if confidence >= threshold:
            counts["right" if correct else "wrong"] += 1
        elif correct and gold != "out_of_scope":
            counts["deflected"] += 1
        else:
            counts["caught"] += 1
    return {
        "threshold": threshold,
        **counts,
        "cost": WRONG_COST * counts["wrong"] + counts["deflected"],
    }


def sweep(
    predictions: List[Prediction], candidates: Iterable[float] = CANDIDATES
) -> Dict[str, Any]:
    rows = [outcomes(predictions, t) for t in candidates]
    best = min(rows, key=lambda row: (row["cost"], row["threshold"]))
    return {"examples": len(predictions), "wrong_cost": WRONG_COST, "rows": rows, "best": best}
