"""Word overlap (BM25) of a question with each passage, added to the vectors' cosine.

A sentence encoder puts "do you take apple pay on iphone" far from a paragraph that lists
Apple Pay among ten other things, and "warranty on a power bank" near any warranty
paragraph; the rare words they share find the right one. The search score is the cosine
plus `WEIGHT` x BM25 / (BM25 + `SATURATION`), so a word match lifts a passage by at most
`WEIGHT` and the scale stays close to the cosine's. WEIGHT and SATURATION were chosen with
bench/knowledge_threshold.py on the help pages' `asked` questions and the tuning questions,
never on a graded or independent set (figures in bench/BENCHMARKS.md).

BM25 (Robertson and Zaragoza, k1 = 1.2, b = 0.75) over a few dozen passages is a loop over
the question's words: a search library would add a dependency for no speed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import List, Sequence

import numpy as np

WEIGHT = 0.3
SATURATION = 10.0
K1, B = 1.2, 0.75

# Words that say nothing about which passage answers (English for now).
_STOP = frozenset(
    "a an the i im i'm you u we to do does did is are was be can could my me of for in on "
    "it its and or if what whats how when will would with at by from your our this that "
    "there have has not no any get".split()
)
_WORD = re.compile(r"\w+")


def words(text: str) -> List[str]:
    """Lower-cased words without stop words; a plural's final s dropped (cards -> card)."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


class LexicalScores:
    def __init__(self, documents: Sequence[str]) -> None:
        self.counts = [Counter(words(d)) for d in documents]
        self.lengths = np.array([sum(c.values()) for c in self.counts], dtype=float)
        self.frequency = Counter(w for c in self.counts for w in c)

    def bm25(self, question: str, leave_out: tuple[int, str] | None = None) -> np.ndarray:
        """Each document's BM25; `leave_out` = (document, text) scores as if the text were
        not part of that document (a benchmark's leave-one-out)."""
        counts, lengths, frequency = self.counts, self.lengths, self.frequency
        if leave_out is not None:
            owner, text = leave_out
            removed = Counter(words(text))
            counts = list(counts)
            counts[owner] = counts[owner] - removed
            lengths = lengths.copy()
            lengths[owner] = sum(counts[owner].values())
            frequency = Counter(
                {w: n - (w in removed and not counts[owner][w]) for w, n in frequency.items()}
            )
        documents = len(counts)
        average = max(float(lengths.mean()), 1.0) if documents else 1.0
        scores = np.zeros(documents)
        for word in set(words(question)):
            present = frequency.get(word, 0)
            if not present:
                continue
            idf = math.log(1 + (documents - present + 0.5) / (present + 0.5))
            for number, document in enumerate(counts):
                tf = document.get(word, 0)
                if tf:
                    norm = K1 * (1 - B + B * lengths[number] / average)
                    scores[number] += idf * tf * (K1 + 1) / (tf + norm)
        return scores

    def boost(self, question: str, leave_out: tuple[int, str] | None = None) -> np.ndarray:
        """What the words add to each document's cosine: 0 .. WEIGHT."""
        scores = self.bm25(question, leave_out)
        return WEIGHT * scores / (scores + SATURATION)
