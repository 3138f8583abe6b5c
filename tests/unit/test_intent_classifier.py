"""The logistic-regression intent classifier with messages a featurizer skipped."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from shopassist.nlu.intent_classifier import LogisticRegressionIntentClassifier


def message(text: str, intent: str | None, regex: bool = True) -> Message:
    """A message with a dense sentence feature (3 columns) and, unless skipped, a sparse one
    from a regex featurizer (2 columns), as a pipeline would have featurized it."""
    m = Message(data={"text": text, **({"intent": intent} if intent else {})})
    vector = np.array([[len(text) % 3, "order" in text, "hi" in text]], dtype=float)
    m.add_features(Features(vector, "sentence", TEXT, "transformer"))
    if regex:
        flags = scipy.sparse.coo_matrix([[text.isdigit(), "@" in text]], dtype=float)
        m.add_features(Features(flags, "sentence", TEXT, "regex"))
    return m


def make(tmp_path, storage=None):
    storage = storage or LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name="intents")
    return storage, LogisticRegressionIntentClassifier.create(
        LogisticRegressionIntentClassifier.get_default_config(),
        storage, Resource("intents"), context,
    )  # fmt: skip


def test_a_message_a_featurizer_skipped_is_classified_not_a_crash(tmp_path):
    storage, classifier = make(tmp_path)
    examples = [message(t, "order_status") for t in ("where is my order", "order status")]
    examples += [message(t, "greet") for t in ("hi", "hi there", "hi hi")]
    responses = {"utter_faq/returns": [{"text": "Returns are free."}]}
    classifier.train(TrainingData(examples, responses=responses))
    assert classifier.widths == {"regex": 2, "transformer": 3}
    skipped = message("", None, regex=False)  # RegexFeaturizer gives nothing without tokens
    full = message("my order", None)
    classifier.process([skipped, full])
    assert skipped.get("intent")["name"] in {"greet", "order_status"}
    assert full.get("intent")["name"] == "order_status"

    context = ExecutionContext(GraphSchema({}), node_name="intents")
    loaded = LogisticRegressionIntentClassifier.load({}, storage, Resource("intents"), context)
    assert loaded.widths == classifier.widths
    again = message("", None, regex=False)
    loaded.process([again])
    assert again.get("intent")["name"] == skipped.get("intent")["name"]


def test_retrieval_answers_are_labels_of_their_own_and_add_up_to_their_intent(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name="intents")
    config = {
        **LogisticRegressionIntentClassifier.get_default_config(),
        "retrieval_labels": True,
        "pick_answers": True,
    }
    classifier = LogisticRegressionIntentClassifier.create(
        config, storage, Resource("intents"), context
    )
    examples = []
    for text, intent, key in [
        ("hi there", "greet", None), ("hi hi", "greet", None),
        ("order 1", "faq", "faq/returns"), ("order 22", "faq", "faq/returns"),
        ("order hi 333", "faq", "faq/delivery"), ("order hi 4444", "faq", "faq/delivery"),
    ]:  # fmt: skip
        m = message(text, intent)
        if key:
            m.set("intent_response_key", key)
        examples.append(m)
    responses = {"utter_faq/returns": [{"text": "Returns are free."}]}
    classifier.train(TrainingData(examples, responses=responses))
    assert set(classifier.clf.classes_) == {"greet", "faq/returns", "faq/delivery"}

    parsed = message("order 55", None)
    classifier.process([parsed])
    ranking = parsed.get("intent_ranking")
    assert [r["name"] for r in ranking] == ["faq", "greet"]  # no faq/... names leak out
    assert parsed.get("intent") == ranking[0]
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-9
    # The answer is picked too, where Rasa's ResponseSelector would have put it.
    picks = parsed.get("response_selector")
    assert picks["all_retrieval_intents"] == ["faq"]
    assert picks["default"] == picks["faq"]
    answer = picks["faq"]["response"]
    assert answer["intent_response_key"] in {"faq/returns", "faq/delivery"}
    assert answer["utter_action"] == "utter_" + answer["intent_response_key"]
    assert 0.5 <= answer["confidence"] <= 1
    if answer["intent_response_key"] == "faq/returns":
        assert answer["responses"] == [{"text": "Returns are free."}]
    assert parsed.get("intent_ranking")[0]["name"] == "faq"

    # ... and survives saving and loading.
    loaded = LogisticRegressionIntentClassifier.load(config, storage, Resource("intents"), context)
    again = message("order 55", None)
    loaded.process([again])
    assert again.get("response_selector") == picks
