"""Sentence embeddings with the offline MiniLM encoder, pooled the way it was trained.

all-MiniLM-L6-v2 was trained as a sentence-transformers model: mean of the token states
under the attention mask, then L2-normalised, so a dot product is the cosine similarity.

It runs on ONNX Runtime with the model's own fast tokenizer (the `tokenizers` library), not
on PyTorch: the same vectors for about a sixth of the memory, which matters in the action
server (shopassist.nlu.encoder_export; bench/BENCHMARKS.md, "Action server memory").
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from shopassist.nlu.encoder import OnnxModel
from shopassist.nlu.model_location import model_fingerprint, resolve_model_dir


class SentenceEmbedder:
    def __init__(self, model_dir: Path, max_length: int = 256, batch_size: int = 32) -> None:
        self.model_dir = model_dir
        self.max_length = max_length
        self.batch_size = batch_size
        self.fingerprint = model_fingerprint(model_dir)
        # The featurizer's runner: in a Rasa server both share one ONNX session.
        self.model = OnnxModel(model_dir, num_threads=None)
        self.dim = self.model.dim
        self.tokenizer = self.model.tokenizer
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding(pad_id=self.model.pad_id, pad_token=self.model.pad_token)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([t or " " for t in texts])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        states = self.model.states(np.array([e.ids for e in encodings], dtype=np.int64), mask)
        weights = mask[..., None].astype(np.float32)
        pooled = (states * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled / norms

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) unit vectors; empty input gives an empty matrix."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [
            self._batch(texts[start : start + self.batch_size])
            for start in range(0, len(texts), self.batch_size)
        ]
        return np.concatenate(rows).astype(np.float32)


@lru_cache(maxsize=2)
def get_embedder(model_path: str | None = None, model_package: str | None = None):
    return SentenceEmbedder(resolve_model_dir(model_path, model_package))
