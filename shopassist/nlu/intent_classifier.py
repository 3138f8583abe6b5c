"""Rasa's logistic-regression intent classifier, for messages that a featurizer skips.

Rasa's LogisticRegressionClassifier stacks whatever sentence features a message has. A
featurizer that skips a message (RegexFeaturizer gives nothing for a message without
tokens, such as an empty one) leaves it narrower than the training matrix, and scikit-learn
raises ("X has 2498 features, but LogisticRegression is expecting 2506"): an empty message
crashed the parse. This subclass remembers each featurizer's width at training and fills
in zeros for a featurizer that skipped a message, so every message has the same columns.
It also takes the regularisation strength `C` from config.yml (Rasa fixes scikit-learn's
default, 1.0, which on unit-length sentence vectors plus word counts leaves most messages
under the fallback threshold).

With `retrieval_labels: true` it learns the retrieval intents' answers as labels of their
own (faq/return_policy, faq/delivery_time, chitchat/bot_name, ... instead of one `faq` and
one `chitchat` class) and reports an intent's confidence as the sum over its labels. One
`faq` class has to cover dozens of unrelated topics, so its examples spread over the whole
feature space and the regression draws a poor boundary around them; topic-sized classes
are compact. On the independent evaluation set a probe of this (bench/encoders.py) read
in-scope messages right 0.904 of the time where the single-label pipeline read 0.872.
Everything else (the model, its settings, the ranking format) is Rasa's.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    RESPONSE_IDENTIFIER_DELIMITER,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, vstack

from shopassist.nlu.answer_picks import response_selector

logger = logging.getLogger(__name__)
WIDTHS_FILE = "feature_widths.json"
RESPONSES_FILE = "responses.json"


def sentence_features(message: Message) -> Dict[str, Any]:
    """The message's sentence features of its text, by the featurizer that made them."""
    return {
        f.origin if isinstance(f.origin, str) else ",".join(f.origin): f.features
        for f in message.features
        if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE
    }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LogisticRegressionIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 1.0,
            "retrieval_labels": False,
            # With retrieval_labels: pick each retrieval intent's answer too, in place of a
            # ResponseSelector (shopassist.nlu.answer_picks).
            "pick_answers": False,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clf.set_params(C=float(self.config.get("C", 1.0)))
        self.widths: Dict[str, int] = {}  # featurizer -> columns, in a fixed order
        self.responses: Dict[str, List[Dict[str, Any]]] = {}  # utter_faq/x -> its texts

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        rows = []
        for message in messages:
            found = sentence_features(message)
            parts = []
            for origin, width in self.widths.items():
                features = found.get(origin)
                if features is None or features.shape[-1] != width:
                    parts.append(csr_matrix((1, width)))  # skipped by this featurizer
                else:
                    parts.append(csr_matrix(features))
            rows.append(hstack(parts) if parts else csr_matrix((1, 0)))
        return vstack(rows).tocsr()

    def _create_training_matrix(self, training_data: TrainingData) -> Tuple[csr_matrix, List[str]]:
        # Rasa's own choice of examples (an intent and a text), labelled faq/x with
        # retrieval_labels so that each curated answer is a class of its own.
        examples = [e for e in training_data.training_examples if e.get(INTENT) and e.get(TEXT)]
        retrieval = bool(self.config.get("retrieval_labels"))
        y = [(retrieval and e.get(INTENT_RESPONSE_KEY)) or e.get(INTENT) for e in examples]
        return self._create_X(examples), y

    def process(self, messages: List[Message]) -> List[Message]:
        if not self.config.get("retrieval_labels") or not hasattr(self.clf, "classes_"):
            return super().process(messages)
        probabilities = self.clf.predict_proba(self._create_X(messages))
        for message, row in zip(messages, probabilities):
            by_intent: Dict[str, float] = defaultdict(float)
            for label, probability in zip(self.clf.classes_, row):
                by_intent[str(label).split(RESPONSE_IDENTIFIER_DELIMITER)[0]] += float(probability)
            ranking = sorted(
                ({"name": k, "confidence": v} for k, v in by_intent.items()),
                key=lambda e: -e["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            if self.config.get("pick_answers"):
                picks = response_selector(self.clf.classes_, row, self.responses)
                if picks:
                    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, picks, add_to_output=True)
            length = self.config[RANKING_LENGTH]
            message.set(
                INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking, add_to_output=True
            )
        return messages

    def train(self, training_data: TrainingData) -> Resource:
        widths: Dict[str, int] = {}
        for message in training_data.intent_examples:
            for origin, features in sentence_features(message).items():
                widths.setdefault(origin, features.shape[-1])
        self.widths = dict(sorted(widths.items()))
        self.responses = dict(training_data.responses or {})
        return super().train(training_data)

    def persist(self) -> None:
        super().persist()
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / WIDTHS_FILE).write_text(json.dumps(self.widths), encoding="utf-8")
            (model_dir / RESPONSES_FILE).write_text(json.dumps(self.responses), encoding="utf-8")

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LogisticRegressionIntentClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / WIDTHS_FILE
                component.widths = json.loads(path.read_text(encoding="utf-8"))
                responses = model_dir / RESPONSES_FILE
                if responses.exists():
                    component.responses = json.loads(responses.read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.debug("no feature widths stored for %s: not trained", resource.name)
        return component
