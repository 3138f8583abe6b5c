"""A small vector index over the knowledge base, cached on disk.

Dozens to a few thousand passages: a dense matrix and one matrix product per question is
exact and takes well under a millisecond, so no approximate-search library is needed.
The cache file is named after a hash of the passages and of the encoder, so editing a
page or changing the encoder rebuilds it and a stale index is never read.

Each passage is found by its text and by the questions its page lists for it (`asked`):
a customer's question is closer to another question than to a paragraph that answers it,
so a passage scores the best of its keys, plus what the words it shares with the question
add (shopassist.knowledge.lexical).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Sequence

import numpy as np

from shopassist.knowledge import vector_cache
from shopassist.knowledge.documents import Passage, load_passages
from shopassist.knowledge.embedder import SentenceEmbedder, get_embedder
from shopassist.knowledge.lexical import LexicalScores

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # cosine similarity (-1..1) plus the words' boost (0..lexical.WEIGHT)


class KnowledgeIndex:
    def __init__(
        self,
        passages: Sequence[Passage],
        embedder: SentenceEmbedder,
        cache_dir: Path | None = None,
        kind: str = "index",
        words: bool = True,
    ) -> None:
        """`kind` names the cache file (one per index: writing one removes the older files
        of its kind only); `words` adds the words' boost to the cosine (English only: its
        stop words and plurals are English, and Chinese has no spaces between words)."""
        self.passages = list(passages)
        self.embedder = embedder
        self.cache_dir = vector_cache.cache_dir(cache_dir)
        self.kind = kind
        self.words = words
        # Row i of the matrix is key_texts[i], a search key of passage owners[i].
        self.key_texts: List[str] = []
        owners: List[int] = []
        for number, passage in enumerate(self.passages):
            for text in (passage.embedding_text, *passage.questions):
                self.key_texts.append(text)
                owners.append(number)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.key = self._key()
        self.vectors = self._load_or_build()
        self.lexical = LexicalScores(
            [" ".join((p.embedding_text, *p.questions)) for p in self.passages]
        )
        # Each question is embedded once per turn (search, then the answer's extract) and
        # each passage's sentences once per process, not once per question: they were half
        # of a help-page turn (bench/BENCHMARKS.md, "Where a turn's time goes").
        self.question_vector = lru_cache(maxsize=256)(self._embed_one)
        self.vectors_of = lru_cache(maxsize=4096)(self._embed_many)

    def _embed_one(self, text: str) -> np.ndarray:
        return self._embed_many((text,))[0]

    def _embed_many(self, texts: tuple) -> np.ndarray:
        """Vectors of `texts` (a tuple), read-only: they are shared by every caller."""
        vectors = self.embedder.embed(list(texts))
        vectors.setflags(write=False)
        return vectors

    def _key(self) -> str:
        digest = hashlib.sha256(self.embedder.fingerprint.encode())
        for number, text in zip(self.owners.tolist(), self.key_texts):
            digest.update(json.dumps([self.passages[number].id, text]).encode())
        return digest.hexdigest()[:16]

    @property
    def cache_file(self) -> Path:
        return self.cache_dir / f"{self.kind}-{self.key}.npz"

    def _load_or_build(self) -> np.ndarray:
        path = self.cache_file
        cached = vector_cache.load(path)
        if cached and cached.get("vectors", np.zeros(0)).shape == (
            len(self.key_texts),
            self.embedder.dim,
        ):
            return cached["vectors"]
        vectors = self.embedder.embed(self.key_texts)
        vector_cache.save(path, vectors=vectors)
        logger.info(
            "knowledge index built: %d passages, %d keys", len(self.passages), len(self.key_texts)
        )
        return vectors

    def passage_scores(self, query: np.ndarray, leave_out: int | None = None) -> np.ndarray:
        """Each passage's best cosine over its keys; `leave_out` ignores one key (row)."""
        similarities = self.vectors @ query
        if leave_out is not None:
            similarities[leave_out] = -1.0
        scores = np.full(len(self.passages), -1.0)
        np.maximum.at(scores, self.owners, similarities)
        return scores

    def scores(self, question: str, leave_out: int | None = None) -> np.ndarray:
        """Each passage's search score: its best cosine plus its words' boost. `leave_out`
        ignores one key (row) in both, as if the page did not list it."""
        if leave_out is None:
            dense = self.passage_scores(self.question_vector(question))
            return dense + self.lexical.boost(question) if self.words else dense
        dense = self.passage_scores(self.vectors[leave_out], leave_out)
        if not self.words:
            return dense
        owner = int(self.owners[leave_out])
        return dense + self.lexical.boost(question, (owner, self.key_texts[leave_out]))

    def search(self, question: str, k: int = 3) -> List[Hit]:
        if not question or not question.strip() or not self.passages:
            return []
        scores = self.scores(question)
        best = np.argsort(-scores)[:k]
        return [Hit(self.passages[i], float(scores[i])) for i in best]


_lock = threading.Lock()
_index: KnowledgeIndex | None = None


def get_index() -> KnowledgeIndex:
    """The index of data/knowledge, built once per process (and once per change on disk)."""
    global _index
    with _lock:
        if _index is None:
            _index = KnowledgeIndex(load_passages(), get_embedder())
        return _index
