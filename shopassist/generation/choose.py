"""The "choose" role: the LLM picks which retrieved passage answers the question, or none.

The model writes no facts. Given the question and the top passages (numbered), it outputs
one token, a passage number or 0 for none, which a llama.cpp grammar makes the only
possible output. The chosen passage is then answered from with the template's sentence
extraction, and "none" gets the "I'm not sure" reply with the way to a person: a selection
is easy to verify and cannot put a wrong fact in a reply.

The cache is rewound to the prompt's shared prefix before each choice
(shopassist.generation.prefix_cache), so a choice is the same warm or cold. On an
OpenAI-compatible endpoint (RemoteChooser) the prompt is the same and the answer is cut to
one token, but nothing forces a digit: anything else counts as no choice.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Optional

from shopassist.generation.base import GenerationRequest, LineRole
from shopassist.generation.openai_compatible import RemoteLines
from shopassist.generation.prefix_cache import PrefixCachedModel
from shopassist.generation.prompts import choose_messages

logger = logging.getLogger(__name__)

TASK = "choose"
MAX_CHOICES = 9  # one digit
CHOICE_TOKENS = 1  # a digit is one token; the embedded chooser reads one token too


def parse_choice(text: Optional[str], count: int) -> Optional[int]:
    """The passage number (1..count), 0 for none, or None when the output is not a choice."""
    value = (text or "").strip()
    if len(value) != 1 or not value.isdigit():
        return None
    number = int(value)
    return number if number <= count else None


def grammar_text(count: int) -> str:
    return f"root ::= [0-{min(count, MAX_CHOICES)}]"


class EmbeddedChooser(PrefixCachedModel):
    """The choose role on a GGUF model in this process (llama.cpp)."""

    role = TASK
    messages = staticmethod(choose_messages)

    def __init__(self, path: Path | None = None, threads: int | None = None, llm=None) -> None:
        super().__init__(path, threads, llm)
        self._grammars: dict = {}

    def _grammar(self, count: int):
        if count not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[count] = LlamaGrammar.from_string(grammar_text(count), verbose=False)
        return self._grammars[count]

    def generate(self, request: GenerationRequest) -> str | None:
        if request.task != TASK or not request.passages:
            return None  # this backend only chooses; other replies keep their template
        count = min(len(request.passages), MAX_CHOICES)
        tokens = self.tokens(request)
        with self._lock:
            started = time.monotonic()
            cached = self.start(tokens)
            stream = self.llm.generate(
                tokens, temp=0.0, top_k=1, repeat_penalty=1.0, grammar=self._grammar(count)
            )
            token = next(stream)
            stream.close()
            text = self.llm.detokenize([token]).decode("utf-8", errors="replace")
            self.last_stats = {
                "seconds": time.monotonic() - started,
                "prompt_tokens": len(tokens),
                "cached_tokens": cached,
            }
        return text


class RemoteChooser(LineRole, RemoteLines):
    """The choose role on an OpenAI-compatible endpoint: the same prompt, without the
    grammar (not every server takes one), so the answer is cut to one token as in this
    process, and parse_choice sends the template's passage for anything but a digit. It
    only chooses; other replies keep their template."""

    role = TASK
    messages = staticmethod(choose_messages)
    task, needs, max_tokens = TASK, "passages", CHOICE_TOKENS
