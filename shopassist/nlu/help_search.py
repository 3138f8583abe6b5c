"""Search the help pages before "did you mean": an unsure reading of a question is answered.

When the FallbackClassifier stopped a message (intent `nlu_fallback`) whose likeliest
reading was still a rule question (`faq`), the help pages are searched with the message's
words; if a passage is close (cosine >= `min_score`), the message goes on as `faq` and
action_answer_question answers it from that page, instead of the customer getting "Did you
mean ...?" buttons. The parse records `answered_by: search` (kept with the message in the
tracker store, so analytics can count this path). Requests to act (return, cancel, ...) are
never turned into questions: only a reading whose top candidate is `faq` is searched.

The index is the one the action server answers from (shopassist.knowledge), loaded on the
first unsure question, so a server that never meets one never loads it.

    - name: shopassist.nlu.help_search.HelpPageSearch   # after FallbackClassifier
      min_score: 0.6
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

QUESTION_INTENT = "faq"
ANSWERED_BY = "answered_by"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class HelpPageSearch(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # 0.6: on the project's own examples, a passage this close to a message whose
        # reading is a question means the help pages cover it (bench/knowledge_threshold.py
        # puts "nothing on it" below 0.55).
        return {"min_score": 0.6}

    def __init__(self, config: Dict[str, Any], search=None) -> None:
        self.min_score = float(config.get("min_score", 0.6))
        self._search = search  # (text) -> best passage score; the help pages by default

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> HelpPageSearch:
        return cls({**cls.get_default_config(), **config})

    def best_score(self, text: str) -> float:
        if self._search is None:
            from shopassist.knowledge import get_index

            index = get_index()
            self._search = lambda question: max(
                (h.score for h in index.search(question, 1)), default=0.0
            )
        return float(self._search(text))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reading = self._unsure_question(message)
            if reading is None:
                continue
            try:
                score = self.best_score(message.get(TEXT) or "")
            except Exception:  # no index: "did you mean" as before
                logger.exception("help page search failed")
                continue
            if score >= self.min_score:
                message.set(INTENT, {**reading, "name": QUESTION_INTENT}, add_to_output=True)
                message.set(ANSWERED_BY, "search", add_to_output=True)
        return messages

    @staticmethod
    def _unsure_question(message: Message) -> Optional[Dict[str, Any]]:
        """The `faq` candidate of a message the fallback stopped, if it was the likeliest."""
        if (message.get(INTENT) or {}).get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME:
            return None
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME
        ]
        if ranking and ranking[0].get("name") == QUESTION_INTENT:
            return dict(ranking[0])
        return None
