"""Sentence embeddings with the offline MiniLM encoder, pooled the way it was trained.

all-MiniLM-L6-v2 was trained as a sentence-transformers model: mean of the token states
under the attention mask, then L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from shopassist.nlu.model_location import load_encoder, model_fingerprint, resolve_model_dir


class SentenceEmbedder:
    def __init__(self, model_dir: Path, max_length: int = 256, batch_size: int = 32) -> None:
        self.model_dir = model_dir
        self.tokenizer, self.model = load_encoder(model_dir)
        self.max_length = max_length
        self.batch_size = batch_size
        self.dim = int(self.model.config.hidden_size)
        self.fingerprint = model_fingerprint(model_dir)
        self._lock = threading.Lock()  # one forward pass at a time: torch threads are shared

    @torch.inference_mode()
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) unit vectors; empty input gives an empty matrix."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = []
        with self._lock:
            for start in range(0, len(texts), self.batch_size):
                batch = [t or " " for t in texts[start : start + self.batch_size]]
                encoded = self.tokenizer(
                    batch,
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                states = self.model(**encoded).last_hidden_state
                mask = encoded["attention_mask"].unsqueeze(-1).to(states.dtype)
                pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                rows.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
        return np.concatenate(rows).astype(np.float32)


@lru_cache(maxsize=2)
def get_embedder(model_path: str | None = None, model_package: str | None = None):
    return SentenceEmbedder(resolve_model_dir(model_path, model_package))
