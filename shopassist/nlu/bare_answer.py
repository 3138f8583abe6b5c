"""A message that is nothing but an order number or an e-mail address is an answer (`inform`).

Customers often send just "100235", "#100235", "ORD-100235" or their e-mail, most often
because they were asked for it. A classifier reads such a message from its digits or its
sentence vector alone and can land anywhere (a bare number read as "start a return");
this component makes it `inform` with full confidence, so the form that asked takes it, or
the rules ask what the customer wants to do with it.

    - name: shopassist.nlu.bare_answer.BareAnswerClassifier   # after FallbackClassifier
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.readings import RuleComponent
from shopassist.store.identifiers import normalise_email, normalise_order_id

INFORM = "inform"


def is_bare_answer(text: object) -> bool:
    # The same shapes the order form accepts (shopassist.store.identifiers).
    answer = str(text or "").strip().rstrip(".!?").strip()
    return bool(normalise_order_id(answer) or normalise_email(answer))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BareAnswerClassifier(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_bare_answer(message.get(TEXT)):
                intent = {"name": INFORM, "confidence": 1.0}
                others = [
                    r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INFORM
                ]
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent, *others], add_to_output=True)
        return messages
