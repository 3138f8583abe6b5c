"""Test doubles at the edge of the world: an LLM backend that returns a set text, raises
or stalls, and a knowledge index built from a help page written in the test."""

import time

import numpy as np

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


CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}<|im_start|>assistant\n"
)


class FakeModel:
    vocab = "fake vocabulary"

    def token_get_text(self, token):
        return "<|im_end|>"


class FakeLlama:
    """llama-cpp-python's Llama as the prefix-cached roles use it: bytes as tokens, a
    prefix cache; it answers `answer` byte by byte, then token 0 (its end of turn)."""

    def __init__(self, answer):
        self.answer = answer
        self.metadata = {"tokenizer.chat_template": CHATML}
        self._model = FakeModel()
        self.input_ids = np.zeros(20000, dtype=np.intc)
        self.n_tokens = 0
        self.evaluated = []  # the token runs evaluated, in order
        self.prompts = []
        self.grammars = []
        self.produced = 0

    def token_eos(self):
        return 0

    def token_bos(self):
        return -1

    def tokenize(self, text, special=True):
        return list(text)

    def detokenize(self, tokens):
        return bytes(tokens)

    def reset(self):
        self.n_tokens = 0

    def eval(self, tokens):
        tokens = list(tokens)
        self.evaluated.append(len(tokens))
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)

    def generate(self, tokens, temp, top_k, repeat_penalty, grammar=None):
        assert temp == 0.0 and top_k == 1 and repeat_penalty == 1.0
        self.prompts.append(bytes(tokens).decode())
        self.grammars.append(grammar)
        keep = 0  # what llama-cpp-python does: reuse the cached prefix the prompt shares
        for cached, new in zip(self.input_ids[: self.n_tokens], tokens[:-1]):
            if cached != new:
                break
            keep += 1
        self.n_tokens = keep
        self.eval(tokens[keep:])
        for byte in self.answer.encode():
            self.produced += 1
            yield byte
        yield 0
