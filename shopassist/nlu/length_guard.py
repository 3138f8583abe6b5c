"""Cuts very long messages before NLU reads them.

A pasted 20,000-character message took 6 s of CPU to parse (attention and the CRF grow with
the number of tokens), which one customer could repeat to slow everybody down. What a
customer wants shows in the first sentences, so NLU reads the first `max_chars` characters;
the whole message is still stored in the conversation, only its understanding is bounded.

It also replaces lone UTF-16 surrogates (U+D800-U+DFFF, which JSON's "\\ud800" escapes can
carry but no real text contains) with U+FFFD: the transformer's tokenizer raised on them,
and the whole message went unanswered.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_SURROGATES = re.compile("[\ud800-\udfff]")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MessageLengthGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"max_chars": 1000}

    def __init__(self, max_chars: int) -> None:
        if max_chars < 50:
            raise ValueError("MessageLengthGuard: 'max_chars' must be at least 50.")
        self.max_chars = max_chars

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthGuard:
        return cls(int({**cls.get_default_config(), **config}["max_chars"]))

    def cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        head = text[: self.max_chars]
        space = head.rfind(" ")
        return head[:space] if space > self.max_chars // 2 else head  # not mid-word

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            clean = _SURROGATES.sub("\ufffd", text)
            if len(clean) > self.max_chars:
                clean = self.cut(clean)
            if clean != text:
                message.set(TEXT, clean)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
