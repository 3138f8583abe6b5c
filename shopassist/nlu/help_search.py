"""Search the help pages before "did you mean", and before a form: questions get answers.

1. Search before "did you mean". When the FallbackClassifier stopped a message (intent
`nlu_fallback`) whose likeliest reading was still a rule question (`faq`), the help pages
are searched with the message's words; if a passage is close (cosine >= `min_score`), the
message goes on as `faq` and action_answer_question answers it from that page, instead of
the customer getting "Did you mean ...?" buttons. The parse records `answered_by: search`
(kept with the message in the tracker store, so analytics can count this path).

2. Answer before asking. A general question about a rule that the classifier reads as a
request to act on an order ("will returning a broken blender cost me anything?" read as
`start_return`) would start a form asking for an order number. When the phrasing says it
is a question (shopassist.nlu.phrasing: no order number or e-mail in it, not "please ..."
or "can you ..."), and the help pages cover it (shopassist.knowledge.coverage, the
threshold below which the answer would be "I'm not sure"), it goes on as `faq` too, with
`offer` set to the request: action_answer_question answers from the page, then offers
that request as a button. `answered_by: question_first` records this path. A request to
act ("I want to return order 100235") still starts its form.

The index is the one the action server answers from (shopassist.knowledge), loaded on the
first unsure question, so a server that never meets one never loads it.

    - name: shopassist.nlu.help_search.HelpPageSearch   # after FallbackClassifier
      min_score: 0.72
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from shopassist.knowledge.coverage import UNKNOWN_BELOW
from shopassist.nlu.phrasing import is_general_question
from shopassist.nlu.readings import likeliest, unsure_reading

logger = logging.getLogger(__name__)

QUESTION_INTENT = "faq"
SEARCH_MIN_SCORE = round(UNKNOWN_BELOW + 0.05, 2)
ANSWERED_BY = "answered_by"
OFFER = "offer"
# Requests on one order whose form would ask for an order number straight away. Status
# questions (order_status, return_status) are left out on purpose: "when will my parcel
# arrive?" asks about the customer's own order, not about a rule.
ANSWERABLE_REQUESTS = frozenset(
    {
        "start_return",
        "request_refund",
        "cancel_order",
        "cancel_item",
        "change_order",
        "change_address",
        "get_invoice",
    }
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class HelpPageSearch(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # A margin of 0.05 above the "not covered" line (bench/knowledge_threshold.py):
        # an unsure message is answered from the pages only when a passage is clearly
        # close, not merely above the line.
        return {"min_score": SEARCH_MIN_SCORE}

    def __init__(self, config: Dict[str, Any], search=None) -> None:
        self.min_score = float(config.get("min_score", SEARCH_MIN_SCORE))
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
            reading, path = self._unsure_question(message), "search"
            if reading is None:
                reading, path = self._question_read_as_request(message), "question_first"
            # A question leaves its form only if the help pages cover it, by the threshold
            # the knowledge answer itself uses: never out of a form into "I'm not sure".
            least = self.min_score if path == "search" else UNKNOWN_BELOW
            if reading is None or not self._covered(message.get(TEXT) or "", least):
                continue
            if path == "question_first":
                message.set(OFFER, reading["name"], add_to_output=True)
            message.set(INTENT, {**reading, "name": QUESTION_INTENT}, add_to_output=True)
            message.set(ANSWERED_BY, path, add_to_output=True)
        return messages

    def _covered(self, text: str, least: float) -> bool:
        try:
            return self.best_score(text) >= least
        except Exception:  # no index: the reading stands, as before
            logger.exception("help page search failed")
            return False

    @staticmethod
    def _question_read_as_request(message: Message) -> Optional[Dict[str, Any]]:
        """The request reading of a message phrased as a general question about a rule."""
        intent = likeliest(message)
        if intent.get("name") not in ANSWERABLE_REQUESTS:
            return None
        if any(e.get("entity") in {"order_id", "email"} for e in message.get("entities") or []):
            return None
        return intent if is_general_question(message.get(TEXT) or "") else None

    @staticmethod
    def _unsure_question(message: Message) -> Optional[Dict[str, Any]]:
        """The `faq` candidate of a message the fallback stopped, if it was the likeliest."""
        return unsure_reading(message, QUESTION_INTENT)
