"""The "choose" role: the LLM picks which retrieved passage answers the question, or none.

The model writes no facts. Given the question and the top passages (numbered), it outputs
one token, a passage number or 0 for none, which a llama.cpp grammar makes the only
possible output. The chosen passage is then answered from with the template's sentence
extraction, and "none" gets the "I'm not sure" reply with the way to a person: a selection
is easy to verify and cannot put a wrong fact in a reply.

Same answer warm or cold: llama-cpp-python reuses the KV cache of whatever prefix the new
prompt shares with the previous one, so the split between cached and new tokens (and with
it the floating-point sums) changed with the previous question, and choices flipped. Here
the cache is always rewound to the system prompt's tokens, evaluated on their own the first
time, so every question is computed the same way whatever came before it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import List, Optional

from shopassist.generation.base import GenerationRequest
from shopassist.generation.prompts import choose_messages

logger = logging.getLogger(__name__)

TASK = "choose"
MAX_CHOICES = 9  # one digit


def parse_choice(text: Optional[str], count: int) -> Optional[int]:
    """The passage number (1..count), 0 for none, or None when the output is not a choice."""
    value = (text or "").strip()
    if len(value) != 1 or not value.isdigit():
        return None
    number = int(value)
    return number if number <= count else None


def grammar_text(count: int) -> str:
    return f"root ::= [0-{min(count, MAX_CHOICES)}]"


def _common_prefix(a: List[int], b: List[int]) -> int:
    length = 0
    for x, y in zip(a, b):
        if x != y:
            break
        length += 1
    return length


class EmbeddedChooser:
    """The choose role on a GGUF model in this process (llama.cpp)."""

    role = TASK

    def __init__(self, path: Path | None = None, threads: int | None = None, llm=None) -> None:
        from shopassist.generation import embedded

        if llm is None:
            self.path = Path(path) if path else embedded.model_file()
            llm = embedded.load_llama(self.path, threads)
        else:
            self.path = Path(path or "model.gguf")
        self.llm = llm
        self.name = f"choose:{self.path.stem}"
        self._grammars: dict = {}
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
        return self._formatter(messages=choose_messages(request)).prompt

    def _tokens(self, request: GenerationRequest) -> List[int]:
        return self.llm.tokenize(self._render(request).encode("utf-8"), special=True)

    def prefix(self) -> List[int]:
        """The tokens every choose prompt starts with (the system prompt and chat markup)."""
        if self._prefix is None:
            a = self._tokens(GenerationRequest(TASK, "", question="a", passages=("a",)))
            b = self._tokens(GenerationRequest(TASK, "", question="b", passages=("b",)))
            self._prefix = a[: _common_prefix(a, b)]
        return self._prefix

    def _grammar(self, count: int):
        if count not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[count] = LlamaGrammar.from_string(grammar_text(count), verbose=False)
        return self._grammars[count]

    def forget(self) -> None:
        """Drops the cached prefix, as in a new process (the benchmark's cold runs)."""
        with self._lock:
            self.llm.reset()

    def _rewind(self, prefix: List[int]) -> None:
        llm = self.llm
        cached = list(llm.input_ids[: llm.n_tokens]) if llm.n_tokens >= len(prefix) else []
        if cached[: len(prefix)] != prefix:
            llm.reset()
            llm.eval(prefix)
        # llama-cpp-python evaluates only the tokens after n_tokens that differ from its cache.
        llm.n_tokens = len(prefix)

    def generate(self, request: GenerationRequest) -> str | None:
        if request.task != TASK or not request.passages:
            return None  # this backend only chooses; other replies keep their template
        count = min(len(request.passages), MAX_CHOICES)
        tokens = self._tokens(request)
        with self._lock:
            started = time.monotonic()
            prefix = self.prefix()
            if tokens[: len(prefix)] == prefix:
                self._rewind(prefix)
            else:  # not expected: the prompt starts with the system prompt
                self.llm.reset()
            stream = self.llm.generate(
                tokens, temp=0.0, top_k=1, repeat_penalty=1.0, grammar=self._grammar(count)
            )
            token = next(stream)
            stream.close()
            text = self.llm.detokenize([token]).decode("utf-8", errors="replace")
            self.last_stats = {
                "seconds": time.monotonic() - started,
                "prompt_tokens": len(tokens),
                "cached_tokens": len(prefix),
            }
        return text
