"""The shop's knowledge base: help pages in data/knowledge, chunked, embedded and searched.

`search(question)` returns the passages most like a question, with cosine scores; the
index is built from the Markdown files with the offline MiniLM encoder, cached on disk and
rebuilt when a file or the encoder changes.
"""

from shopassist.knowledge.documents import Passage, load_passages
from shopassist.knowledge.index import Hit, KnowledgeIndex, get_index

__all__ = ["Hit", "KnowledgeIndex", "Passage", "get_index", "load_passages"]
