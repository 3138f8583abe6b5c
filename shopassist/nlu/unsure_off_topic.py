"""An unsure reading whose likeliest intent is `out_of_scope` is out of scope.

The FallbackClassifier stops a message read below its threshold, and the two-stage
fallback then asks "Did you mean ...?" with the likeliest *requests* as buttons; "out of
scope" is never one of them (shopassist.dialogue.intents). So a message whose best reading
was out_of_scope got buttons for its second and third guesses: for "how do I paint walls"
that was "Make a complaint / Talk to a person". This component answers it as out of scope
instead (what the shop can help with, and the way to a person). On cross-validation of the
project's own examples, most readings of this kind are indeed out of scope (figures in
config.yml).

    - name: shopassist.nlu.unsure_off_topic.UnsureOffTopic   # after FallbackClassifier
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

OUT_OF_SCOPE = "out_of_scope"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnsureOffTopic(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnsureOffTopic:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            ranking = [
                r
                for r in message.get(INTENT_RANKING_KEY) or []
                if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
            if ranking and ranking[0].get("name") == OUT_OF_SCOPE:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
        return messages
