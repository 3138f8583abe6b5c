"""Rasa NLU component: which served language each message is written in.

Adds `language` to the parse result (so it is stored with the turn in the tracker):
{"code": "de" or null, "clear": true when sure enough to switch the conversation's language,
"unsupported": "ru" or a script's name when the message is in a language the shop does not
serve, "clearly_unsupported": true when that is sure (Reading.clearly_unsupported)}. The
conversation's language is then read from the turns by
`shopassist.language.turns.conversation_language_of`: nothing about it is trained, and a
short "ok" does not switch it. Not an entity on purpose: an entity would enter every story's
expected turns.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from shopassist.language import detect
from shopassist.language.unserved import served_words

LANGUAGE = "language"


def reading_of(text: Any) -> Dict[str, Any]:
    reading = detect(text)
    return {
        "code": reading.language,
        "clear": reading.clear,
        "unsupported": reading.unsupported,
        "clearly_unsupported": reading.clearly_unsupported,
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageReader(GraphComponent):
    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str:
        return metadata.version("lingua-language-detector")

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageReader:
        # The detector and the served languages' words are built at load, not on the first
        # customer's message that needs them.
        detect("warm up")
        served_words()
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # nothing downstream learns from it

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(LANGUAGE, reading_of(message.get(TEXT) or ""), add_to_output=True)
        return messages
