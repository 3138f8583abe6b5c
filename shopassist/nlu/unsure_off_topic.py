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

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.readings import RuleComponent, unsure_reading

OUT_OF_SCOPE = "out_of_scope"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnsureOffTopic(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reading = unsure_reading(message, OUT_OF_SCOPE)
            if reading is not None:
                message.set(INTENT, reading, add_to_output=True)
        return messages
