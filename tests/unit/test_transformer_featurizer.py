"""The Rasa GraphComponent around the encoder: features on messages, config, fingerprint."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from shopassist.nlu.model_location import ModelNotFoundError, resolve_model_dir
from shopassist.nlu.transformer_featurizer import TransformerFeaturizer


@pytest.fixture(scope="module")
def featurizer(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    config = {**TransformerFeaturizer.get_default_config(), "max_length": 64}
    return TransformerFeaturizer.create(
        config, storage, Resource("featurizer"), ExecutionContext(None, node_name="featurizer")
    )


def tokenize(*texts):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    return messages


def test_process_adds_sequence_and_sentence_features(featurizer):
    (message,) = featurizer.process(tokenize("where is my order #100234?"))
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (len(message.get("text_tokens")), 384)
    assert sentence.features.shape == (1, 384)


def test_training_data_is_featurized_in_batches(featurizer):
    messages = tokenize(*[f"order {100000 + i} please" for i in range(70)])
    featurizer.process_training_data(TrainingData(training_examples=messages))
    assert all(m.get_dense_features(TEXT)[1].features.shape == (1, 384) for m in messages)


def test_empty_messages_still_get_features(featurizer):
    # DIET after this component fails on a message without dense features.
    (message,) = featurizer.process(tokenize(""))
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (len(message.get("text_tokens")), 384)
    assert sentence.features.shape == (1, 384)


def test_training_examples_without_text_are_left_alone(featurizer):
    message = Message(data={"action_name": "utter_greet"})
    featurizer.process_training_data(TrainingData(training_examples=[message]))
    assert message.features == []


def test_huge_message_does_not_crash(featurizer):
    (message,) = featurizer.process(tokenize("where is my parcel " * 4000))  # 76,000 chars
    assert message.get_dense_features(TEXT)[0].features.shape[0] == 16000


def test_fingerprint_follows_the_model_files(tmp_path):
    package_print = TransformerFeaturizer.fingerprint_addon(
        {"model_path": None, "model_package": None}
    )
    copy = tmp_path / "model"
    copy.mkdir()
    source = resolve_model_dir(None, None)
    for name in ("config.json", "tokenizer.json", "vocab.txt"):
        (copy / name).write_bytes((source / name).read_bytes())
    first = TransformerFeaturizer.fingerprint_addon({"model_path": str(copy)})
    (copy / "config.json").write_text((source / "config.json").read_text().replace("384", "385"))
    from shopassist.nlu.model_location import model_fingerprint

    model_fingerprint.cache_clear()
    second = TransformerFeaturizer.fingerprint_addon({"model_path": str(copy)})
    assert len({package_print, first, second}) == 3


def test_missing_models_are_explained(tmp_path):
    with pytest.raises(ModelNotFoundError, match="not installed.*make setup"):
        resolve_model_dir(None, "no_such_model_package")
    with pytest.raises(ModelNotFoundError, match="no config.json"):
        resolve_model_dir(str(tmp_path), None)
    assert (resolve_model_dir(None, None) / "model.safetensors").is_file()
    assert isinstance(resolve_model_dir(None, None), Path)


def test_bad_config_is_refused():
    with pytest.raises(ValueError, match="pooling"):
        TransformerFeaturizer.validate_config({"pooling": "max"})
