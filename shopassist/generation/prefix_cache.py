"""A GGUF model in this process whose prompts share a cached prefix, computed one way.

It is one of the two things that write a role's line (`write_line`); the other is an
OpenAI-compatible endpoint (openai_compatible.RemoteLines). A role (rephrase.Rephrase,
tone.ToneRole, handoff_summary.SummaryRole) is its prompt, its line's length and the
requests it takes, on either.

The choose, rephrase, tone and summary roles each send prompts that start with the same
system prompt and worked examples. llama-cpp-python reuses the KV cache of whatever prefix
a new prompt shares with the previous one, so the split between cached and new tokens (and
with it the floating-point sums) changed with the previous question, and outputs flipped
between cold and warm runs. Here the cache is always rewound to the shared prefix,
evaluated on its own the first time, so every prompt is computed the same way whatever
came before it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Dict, List

from shopassist.generation.base import GenerationRequest

Messages = Callable[[GenerationRequest], List[Dict[str, str]]]


def first_line(text: str | None) -> str | None:
    """The first line of `text` that says something, stripped (None if there is none)."""
    lines = [line.strip() for line in (text or "").split("\n")]
    return next((line for line in lines if line), None)


def common_prefix(a: List[int], b: List[int]) -> int:
    length = 0
    for x, y in zip(a, b):
        if x != y:
            break
        length += 1
    return length


class PrefixCachedModel:
    """Renders a role's messages with the model's own chat template and evaluates them
    after the shared prefix. Subclasses set `role` and `messages` and write `generate`."""

    role = ""
    messages: Messages

    def __init__(self, path: Path | None = None, threads: int | None = None, llm=None) -> None:
        from shopassist.generation import embedded

        if llm is None:
            self.path = Path(path) if path else embedded.model_file()
            llm = embedded.load_llama(self.path, threads)
        else:
            self.path = Path(path or "model.gguf")
        self.llm = llm
        self.name = f"{self.role}:{self.path.stem}"
        self.model = self.path.name  # what its texts are recorded as written by
        self._formatter = None
        self._prefix: List[int] | None = None
        # One call at a time: a llama.cpp context is not safe to share between threads.
        self._lock = threading.Lock()
        self.last_stats: dict = {}

    def _render(self, request: GenerationRequest) -> str:
        if self._formatter is None:  # the model's own chat template, compiled once
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            llm = self.llm
            template = llm.metadata.get("tokenizer.chat_template")
            if not template:
                raise RuntimeError(f"{self.path.name} has no chat template")
            eos, bos = llm.token_eos(), llm.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=template,
                eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
                bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
            )
        return self._formatter(messages=type(self).messages(request)).prompt

    def tokens(self, request: GenerationRequest) -> List[int]:
        return self.llm.tokenize(self._render(request).encode("utf-8"), special=True)

    def prefix(self) -> List[int]:
        """The tokens every prompt of the role starts with (system prompt, examples, markup)."""
        if self._prefix is None:
            a = self.tokens(GenerationRequest(self.role, "a", question="a", passages=("a",)))
            b = self.tokens(GenerationRequest(self.role, "b", question="b", passages=("b",)))
            self._prefix = a[: common_prefix(a, b)]
        return self._prefix

    def warm(self) -> None:
        """Computes the shared prefix now (at server start), not in a customer's turn."""
        with self._lock:
            self.start(self.prefix())

    def forget(self) -> None:
        """Drops the cached prefix, as in a new process (the benchmarks' cold runs)."""
        with self._lock:
            self.llm.reset()

    def start(self, tokens: List[int]) -> int:
        """Rewinds the cache to the shared prefix (call with the lock held); returns how
        many of `tokens` are already computed."""
        llm, prefix = self.llm, self.prefix()
        if tokens[: len(prefix)] != prefix:  # not expected: prompts start with the prefix
            llm.reset()
            return 0
        cached = list(llm.input_ids[: llm.n_tokens]) if llm.n_tokens >= len(prefix) else []
        if cached[: len(prefix)] != prefix:
            llm.reset()
            llm.eval(prefix)
        # llama-cpp-python evaluates only the tokens after n_tokens that differ from its cache.
        llm.n_tokens = len(prefix)
        return len(prefix)

    def write_line(self, request: GenerationRequest, max_tokens: int) -> str | None:
        """The model's first non-blank line for `request` (temperature 0, at most
        `max_tokens`), or None when it runs past the generation timeout (the caller has
        given up: stop, so the CPU is free)."""
        from llama_cpp import llama_token_is_eog

        from shopassist.generation.limits import timeout_s

        deadline = time.monotonic() + timeout_s()
        tokens = self.tokens(request)
        pieces: List[int] = []
        with self._lock:
            started = time.monotonic()
            cached = self.start(tokens)
            first = None
            stream = self.llm.generate(tokens, temp=0.0, top_k=1, repeat_penalty=1.0)
            try:
                for token in stream:
                    if first is None:
                        first = time.monotonic() - started
                    # The model's end of turn (EOS, <|im_end|>, ...), or long enough.
                    ended = llama_token_is_eog(self.llm._model.vocab, token)
                    if ended or len(pieces) >= max_tokens:
                        break
                    pieces.append(token)
                    if b"\n" in self.llm.detokenize(pieces).lstrip():
                        break  # the end of the first line that says something
                    if time.monotonic() > deadline:
                        return None
            finally:
                stream.close()
            self.last_stats = {
                "seconds": time.monotonic() - started,
                "first_token_s": first,
                "tokens": len(pieces),
                "prompt_tokens": len(tokens),
                "cached_tokens": cached,
            }
        return first_line(self.llm.detokenize(pieces).decode("utf-8", errors="replace"))
