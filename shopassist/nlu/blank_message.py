"""Classifies messages with nothing to read (empty, spaces, control characters) as
`nlu_fallback` with full confidence and no other candidate, so the two-stage fallback asks
the customer to rephrase instead of guessing at whatever a classifier makes of no input."""

from __future__ import annotations

import unicodedata
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.readings import RuleComponent


def is_blank(text: object) -> bool:
    """True when the text has no letter, digit, symbol or punctuation at all."""
    return not any(unicodedata.category(ch)[0] not in {"C", "Z"} for ch in str(text or ""))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BlankMessageClassifier(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_blank(message.get(TEXT)):
                intent = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
