"""Test doubles at the edge of the world: an LLM backend that returns a set text, raises
or stalls, and a knowledge index built from a help page written in the test."""

import time

from shopassist.knowledge.documents import parse_page
from shopassist.knowledge.index import KnowledgeIndex


class Scripted:
    """An LLM backend: returns `text`, raises `error` or stalls for `delay` seconds."""

    name = "scripted"

    def __init__(self, text=None, error=None, delay=0.0):
        self.text, self.error, self.delay = text, error, delay
        self.requests = []

    def generate(self, request):
        self.requests.append(request)
        time.sleep(self.delay)
        if self.error:
            raise self.error
        return self.text


def page_index(page: str, cache_dir) -> KnowledgeIndex:
    """The index of one help page, embedded with the project's encoder."""
    from shopassist.knowledge.embedder import get_embedder

    return KnowledgeIndex(parse_page("help.md", page), get_embedder(), cache_dir)
