"""What the classifiers made of a message, for the rule-based components after them.

The FallbackClassifier replaces an unsure reading by `nlu_fallback` and keeps the real
candidates in the ranking; HelpPageSearch and UnsureOffTopic both decide from the
likeliest of those. `RuleComponent` is the shared shape of the components that train
nothing and only re-read the parse (BareAnswer, BlankMessage, UnsureOffTopic).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def is_unsure(message: Message) -> bool:
    """True when the FallbackClassifier stopped the message."""
    return (message.get(INTENT) or {}).get("name") == DEFAULT_NLU_FALLBACK_INTENT_NAME


def likeliest(message: Message) -> Dict[str, Any]:
    """The best real reading: the intent, or under a fallback the top candidate (else {})."""
    if not is_unsure(message):
        return dict(message.get(INTENT) or {})
    ranking = message.get(INTENT_RANKING_KEY) or []
    return next((dict(r) for r in ranking if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME), {})


def unsure_reading(message: Message, name: str) -> Optional[Dict[str, Any]]:
    """The likeliest reading of a message the fallback stopped, if it is `name`."""
    if not is_unsure(message):
        return None
    reading = likeliest(message)
    return reading if reading.get("name") == name else None


class RuleComponent(GraphComponent, IntentClassifier):
    """A component that trains nothing and has no settings; subclasses implement process."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleComponent:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:  # pragma: no cover
        raise NotImplementedError
