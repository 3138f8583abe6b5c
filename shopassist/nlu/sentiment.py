"""Sentiment of every message: a label (negative, neutral, positive) and a score in [-1, 1].

VADER (vaderSentiment) scores the text: a lexicon and rules made for short, informal text
(capitals, "!!!", "not good", emoji), shipped inside the wheel, so it loads offline and takes
well under a millisecond; no model to train or download. A few words that carry feeling in
a shop's conversations but not in VADER's general lexicon are added (CUSTOMER_SERVICE_WORDS).

The result goes two ways: `sentiment` in the parse data (label and score, kept with the
message in the tracker store for analytics) and an entity `sentiment` with the label, which
fills the `sentiment` slot for the dialogue.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SENTIMENT = "sentiment"
MAX_CHARS = 2000  # feeling shows early; a 20,000-character paste need not be scored whole

# Valence on VADER's scale (-4..4). Words whose feeling is specific to shopping and service.
CUSTOMER_SERVICE_WORDS = {
    "scam": -3.0,
    "scammed": -3.0,
    "rip-off": -2.5,
    "ripoff": -2.5,
    "unacceptable": -2.5,
    "ridiculous": -2.0,
    "disgrace": -3.0,
    "useless": -2.0,
    "joke": -1.0,  # "this service is a joke"; jokes are declined anyway
    "fed": -1.0,  # "fed up"
    "worst": -3.0,
    "furious": -3.0,
    "still": -0.3,  # "still waiting", "still not here"
    "again": -0.3,  # "broken again"
    "broken": -1.5,
    "damaged": -1.5,
    "never": -0.5,  # "never arrived"
    "lost": -1.2,
    "late": -1.0,
    "delayed": -1.2,
    "waiting": -0.5,
    "thx": 1.5,
    "ty": 1.2,
    "brilliant": 2.8,
    "lifesaver": 2.5,
}
# A shop's plain vocabulary, which VADER's general lexicon scores as feeling: "can I pay with
# klarna?" read as negative (pay -0.4), "do you deliver to PO boxes?" as very negative (po
# -2.6), so the answer opened with an apology. They leave the lexicon rather than get 0,
# which VADER would still push negative when written in capitals ("PO", "REFUND").
# Problems the customer meets (broken, late, lost, charged) keep their valence.
PLAIN_SHOP_WORDS = ("refund", "pay", "po", "cancel", "cancelled", "canceled", "credit")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SentimentAnalyzer(GraphComponent, EntityExtractorMixin):
    """Adds `sentiment` (label and score) to every message, and a `sentiment` entity."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # VADER's own recommended thresholds on the compound score.
        return {"negative_below": -0.05, "positive_above": 0.05}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.negative_below = float(config["negative_below"])
        self.positive_above = float(config["positive_above"])
        self.analyzer = SentimentIntensityAnalyzer()
        self.analyzer.lexicon.update(CUSTOMER_SERVICE_WORDS)
        for word in PLAIN_SHOP_WORDS:
            self.analyzer.lexicon.pop(word, None)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentimentAnalyzer:
        return cls({**cls.get_default_config(), **config})

    def score(self, text: Any) -> Dict[str, Any]:
        """{"label": ..., "score": compound in [-1, 1]} for any input, never raising."""
        text = str(text or "")[:MAX_CHARS]
        compound = self.analyzer.polarity_scores(text)["compound"] if text.strip() else 0.0
        if compound <= self.negative_below:
            label = "negative"
        elif compound >= self.positive_above:
            label = "positive"
        else:
            label = "neutral"
        return {"label": label, "score": round(compound, 4)}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            result = self.score(message.get(TEXT))
            message.set(SENTIMENT, result, add_to_output=True)
            entity = {
                "entity": SENTIMENT,
                "value": result["label"],
                "start": 0,
                "end": 0,
                "confidence": abs(result["score"]),
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages
