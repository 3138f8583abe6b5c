"""A message clearly written in a language the shop does not serve is out of scope.

The classifiers only know the served languages: a Japanese, Italian or pinyin message gets
whatever reading its digits and stray words suggest ("100234" in it can read as an order
question). When the language reader is sure the language is not served
(`clearly_unsupported`: a script no served language uses, such as kana, Cyrillic or Arabic;
or, in Latin letters, surely an unserved language such as Italian or Portuguese, or surely
pinyin: shopassist.language.unserved), this component makes the message `out_of_scope` with
full confidence and no entities, so no request starts and no slot takes an order number
from it; shopassist.nlg then answers, in English, which languages the shop serves. What
the classifiers made of it stays in the parse data under `read_as`, for analytics. Short or
ambiguous messages ("ok", "100234", "si", an e-mail, a mix of served languages, an address)
are never clearly unsupported.

Pinyin is Chinese, a served language, written in a way the classifiers cannot read (they
learnt Chinese from characters): a pinyin message gets the same reply, plus one line in
Chinese characters saying the customer can write so (`written_in_pinyin`). English first,
as for every unserved message: someone typing pinyin has no Chinese input at hand and may
well go on in English; the Chinese line tells those who can switch that characters are
read. Like any unserved message it keeps the conversation's language as it was.

    - name: shopassist.nlu.unserved_language.UnservedLanguage   # after LanguageReader
"""

from __future__ import annotations

from typing import Any, List, Mapping

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from shopassist.language.reading import PINYIN
from shopassist.nlu.language_reader import LANGUAGE
from shopassist.nlu.readings import RuleComponent

OUT_OF_SCOPE = "out_of_scope"
READ_AS = "read_as"


def clearly_unsupported(parse_data: Mapping[str, Any]) -> bool:
    """Whether a message (its parse data) is surely in a language the shop does not serve."""
    return bool((parse_data.get(LANGUAGE) or {}).get("clearly_unsupported"))


def written_in_pinyin(parse_data: Mapping[str, Any]) -> bool:
    """Whether the message is clearly Chinese in pinyin (Latin letters)."""
    reading = parse_data.get(LANGUAGE) or {}
    return clearly_unsupported(parse_data) and reading.get("unsupported") == PINYIN


def routed(parse_data: Mapping[str, Any]) -> bool:
    """Whether this component made the message out of scope for its language."""
    intent = (parse_data.get(INTENT) or {}).get("name")
    return intent == OUT_OF_SCOPE and clearly_unsupported(parse_data)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnservedLanguage(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not clearly_unsupported(message.data):
                continue
            read_as = {
                INTENT: message.get(INTENT),
                INTENT_RANKING_KEY: message.get(INTENT_RANKING_KEY) or [],
                ENTITIES: message.get(ENTITIES) or [],
            }
            intent = {"name": OUT_OF_SCOPE, "confidence": 1.0}
            message.set(READ_AS, read_as, add_to_output=True)
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
            message.set(ENTITIES, [], add_to_output=True)
        return messages
