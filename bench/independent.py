"""Understanding on words nobody here tuned on: a model's reading of bench/eval/<language>/.

    python -m bench.independent [--model models/x.tar.gz ...] [--language en] [--json out.json]

Each message is parsed by the trained model in this process (Rasa's Agent, as the server
parses). A message's reading is what the assistant acts on: the intent, or for a retrieval
intent (faq, chitchat) the answer the NLU picked (`response_selector`), and "nlu_fallback" when the
FallbackClassifier stopped it ("did you mean"). It is right if it names the message's
request or its second one. Reported: accuracy and macro-F1 over in-scope messages, top-1
without the fallback threshold, the fallback rate, per-intent recall, per-register accuracy,
and off-topic precision and recall (a message read as out_of_scope is a positive).
Messages that also stand in the training data (the same words, ignoring case, punctuation
and entity marks: "hi", "unsubscribe") are left out and counted, so a figure here is always
on words the model has not seen. Nothing here feeds back into training or thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import re
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "bench" / "eval"
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
RETRIEVAL = {"faq", "chitchat"}


def normalised(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text.lower())  # [100234](order_id)
    return " ".join(re.sub(r"[^\w ]", "", text).split())


def training_texts(data: Path = REPO / "data") -> set:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(data / "nlu")).training_examples
    return {normalised(e.get("text") or "") for e in examples}


def load_messages(language: str = "en") -> Tuple[List[Dict[str, str]], int]:
    """The set's messages not in the training data, and how many were left out."""
    seen = training_texts()
    rows: List[Dict[str, str]] = []
    left_out = 0
    for path in sorted((EVAL / language).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"text", "intent"} <= set(reader.fieldnames or ()):
                continue  # another benchmark's set in the same folder (upset_messages.csv)
            for row in reader:
                if normalised(row["text"]) in seen:
                    left_out += 1
                else:
                    rows.append({**row, "file": path.name})
    return rows, left_out


def reading(parse: Dict[str, Any], threshold: bool = True) -> str:
    """What the assistant acts on for one parse result."""
    intent = (parse.get("intent") or {}).get("name") or ""
    if not threshold and intent == FALLBACK:
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
        intent = ranking[0]["name"] if ranking else FALLBACK
    if intent in RETRIEVAL:
        selector = parse.get("response_selector") or {}
        picked = (selector.get(intent) or selector.get("default") or {}).get("response") or {}
        return picked.get("intent_response_key") or intent
    return intent


def is_right(predicted: str, row: Dict[str, str]) -> bool:
    accepted = {row["intent"], row.get("second_intent") or row["intent"]}
    return predicted in accepted or any(p in accepted for p in predicted.split("+"))


def score(rows: Sequence[Dict[str, str]], readings: Sequence[str], top1: Sequence[str]) -> Dict:
    from sklearn.metrics import f1_score

    in_scope = [i for i, r in enumerate(rows) if r["intent"] != OUT_OF_SCOPE]
    off_topic = [i for i, r in enumerate(rows) if r["intent"] == OUT_OF_SCOPE]
    right = [is_right(readings[i], rows[i]) for i in in_scope]
    gold = [rows[i]["intent"] for i in in_scope]
    # For F1 a reading of the second request counts as the first: both are right.
    predicted = [rows[i]["intent"] if ok else readings[i] for i, ok in zip(in_scope, right)]
    labels = sorted(set(gold))
    recall = defaultdict(list)
    registers = defaultdict(list)
    for i, ok in zip(in_scope, right):
        recall[rows[i]["intent"]].append(ok)
        registers[rows[i].get("register") or "plain"].append(ok)
    said_off_topic = [i for i, r in enumerate(readings) if r == OUT_OF_SCOPE]
    caught = [i for i in off_topic if readings[i] == OUT_OF_SCOPE]
    confusions = Counter(
        (rows[i]["intent"], readings[i]) for i, ok in zip(in_scope, right) if not ok
    )
    return {
        "in_scope": len(in_scope),
        "off_topic": len(off_topic),
        "accuracy": sum(right) / len(in_scope),
        "macro_f1": f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
        "top1_without_threshold": sum(is_right(top1[i], rows[i]) for i in in_scope) / len(in_scope),
        "fallback_rate": sum(readings[i] == FALLBACK for i in in_scope) / len(in_scope),
        "off_topic_recall": len(caught) / len(off_topic) if off_topic else None,
        "off_topic_precision": len(caught) / len(said_off_topic) if said_off_topic else None,
        "off_topic_fallback_rate": sum(readings[i] == FALLBACK for i in off_topic)
        / max(1, len(off_topic)),
        "in_scope_read_as_off_topic": sum(readings[i] == OUT_OF_SCOPE for i in in_scope)
        / len(in_scope),
        "recall": {label: sum(v) / len(v) for label, v in sorted(recall.items())},
        "support": {label: len(v) for label, v in sorted(recall.items())},
        "registers": {name: sum(v) / len(v) for name, v in sorted(registers.items())},
        "confusions": [
            {"gold": g, "read": p, "count": n} for (g, p), n in confusions.most_common(25)
        ],
    }


def evaluate(
    model: Path, language: str = "en", rows: Optional[List[Dict]] = None, agent: Any = None
) -> Dict:
    """The model's reading of the set; `agent`: the model already loaded (load_s is then 0)."""
    from rasa.core.agent import Agent

    left_out = 0
    if rows is None:
        rows, left_out = load_messages(language)
    started = time.perf_counter()
    agent = agent or Agent.load(str(model))
    load_s = time.perf_counter() - started

    async def parse_all() -> List[Dict[str, Any]]:
        parses, times = [], []
        for row in rows:
            t = time.perf_counter()
            parses.append(await agent.parse_message(row["text"]))
            times.append(time.perf_counter() - t)
        return parses, times

    parses, times = asyncio.run(parse_all())
    result = score(rows, [reading(p) for p in parses], [reading(p, False) for p in parses])
    result.update(
        model=str(model.relative_to(REPO) if model.is_relative_to(REPO) else model),
        language=language,
        load_s=load_s,
        left_out_as_seen_in_training=left_out,
        parse_p50_ms=1000 * statistics.median(times),
        errors=[
            {"text": r["text"], "gold": r["intent"], "read": reading(p)}
            for r, p in zip(rows, parses)
            if (r["intent"] == OUT_OF_SCOPE) != (reading(p) == OUT_OF_SCOPE)
            or (r["intent"] != OUT_OF_SCOPE and not is_right(reading(p), r))
        ],
        # Every reading, for analysis without parsing again.
        readings=[
            {
                "text": r["text"],
                "gold": r["intent"],
                "register": r.get("register"),
                "intent": (p.get("intent") or {}).get("name"),
                "confidence": (p.get("intent") or {}).get("confidence"),
                "read": reading(p),
                "answered_by": p.get("answered_by"),
                "offer": p.get("offer"),
            }
            for r, p in zip(rows, parses)
        ],  # fmt: skip
    )
    return result


def summary(result: Dict) -> str:
    fields = [
        ("accuracy", "accuracy"), ("macro-F1", "macro_f1"),
        ("top-1 without threshold", "top1_without_threshold"),
        ("fallback rate", "fallback_rate"), ("off-topic recall", "off_topic_recall"),
        ("off-topic precision", "off_topic_precision"),
    ]  # fmt: skip
    return ", ".join(f"{name} {result[key]:.3f}" for name, key in fields if result[key] is not None)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", type=Path)
    parser.add_argument("--language", default="en")
    parser.add_argument("--json", type=Path, help="write every figure and error here")
    args = parser.parse_args(argv)
    if not args.model:
        import subprocess

        current = subprocess.run(
            [str(REPO / "scripts" / "current-model.sh")], capture_output=True, text=True
        )
        args.model = [REPO / current.stdout.strip()]
    results = []
    for model in args.model:
        result = evaluate(model.resolve(), args.language)
        results.append(result)
        print(f"{result['model']}: {summary(result)}; parse p50 {result['parse_p50_ms']:.1f} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
