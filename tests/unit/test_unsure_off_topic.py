"""An unsure reading whose likeliest intent is out_of_scope is answered as out of scope."""

from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.unsure_off_topic import UnsureOffTopic


def parsed(intent, ranking):
    message = Message(data={"text": "how do I paint walls"})
    message.set("intent", intent)
    message.set("intent_ranking", ranking)
    return message


def test_an_unsure_reading_with_out_of_scope_on_top_is_out_of_scope():
    message = parsed({"name": "nlu_fallback", "confidence": 0.5}, [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "out_of_scope", "confidence": 0.41}, {"name": "complaint", "confidence": 0.2},
    ])  # fmt: skip
    UnsureOffTopic().process([message])
    assert message.get("intent") == {"name": "out_of_scope", "confidence": 0.41}


def test_an_unsure_reading_of_a_request_keeps_did_you_mean():
    message = parsed({"name": "nlu_fallback", "confidence": 0.5}, [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "complaint", "confidence": 0.41}, {"name": "out_of_scope", "confidence": 0.3},
    ])  # fmt: skip
    UnsureOffTopic().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_a_confident_reading_is_left_alone():
    message = parsed({"name": "greet", "confidence": 0.9}, [{"name": "greet", "confidence": 0.9}])
    UnsureOffTopic().process([message])
    assert message.get("intent")["name"] == "greet"
