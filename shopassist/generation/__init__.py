"""Phrasing of replies: LLM backends behind one interface, checked, with template fallbacks."""

from shopassist.generation.base import GenerationRequest, Generator, Reply, phrase
from shopassist.generation.factory import get_generator

__all__ = ["GenerationRequest", "Generator", "Reply", "phrase", "get_generator"]
