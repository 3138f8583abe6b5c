"""Search before "did you mean": an unsure reading of a question goes to the help pages."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.help_search import SEARCH_MIN_SCORE, HelpPageSearch


def unsure(text, ranking):
    message = Message(data={"text": text})
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.5})
    message.set("intent_ranking", [{"name": "nlu_fallback", "confidence": 0.5}, *ranking])
    return message


def component(score):
    searched = []

    def search(text):
        searched.append(text)
        return score

    return HelpPageSearch({"min_score": SEARCH_MIN_SCORE}, search=search), searched


def test_an_unsure_question_the_help_pages_cover_is_answered_as_a_question():
    search, searched = component(0.72)
    message = unsure("whats the cheapest way to get my stuff delivered", [
        {"name": "faq", "confidence": 0.41}, {"name": "complaint", "confidence": 0.2},
    ])  # fmt: skip
    search.process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 0.41}
    assert message.get("answered_by") == "search"
    assert searched == ["whats the cheapest way to get my stuff delivered"]


def test_nothing_close_in_the_help_pages_keeps_did_you_mean():
    search, _ = component(0.4)
    message = unsure("how do i paint walls", [{"name": "faq", "confidence": 0.3}])
    search.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("answered_by") is None


def test_a_request_to_act_is_never_turned_into_a_question():
    search, searched = component(0.95)
    message = unsure("return 100234 pls", [
        {"name": "start_return", "confidence": 0.45}, {"name": "faq", "confidence": 0.4},
    ])  # fmt: skip
    search.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert searched == []  # not even searched


def test_a_confident_reading_is_left_alone():
    search, searched = component(0.95)
    message = Message(data={"text": "where is my order"})
    message.set("intent", {"name": "order_status", "confidence": 0.9})
    search.process([message])
    assert message.get("intent")["name"] == "order_status" and searched == []


def test_a_failing_index_leaves_did_you_mean():
    def broken(text):
        raise OSError("no index")

    message = unsure("how much is shipping", [{"name": "faq", "confidence": 0.45}])
    HelpPageSearch({}, search=broken).process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


def read_as(text, intent, confidence=0.8, entities=()):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}])
    message.set("entities", list(entities))
    return message


def test_a_rule_question_read_as_a_request_is_answered_first_with_the_offer():
    search, searched = component(0.7)
    message = read_as("the blender came broken, will returning it cost me anything", "start_return")
    search.process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 0.8}
    assert message.get("offer") == "start_return"
    assert message.get("answered_by") == "question_first"
    assert searched == ["the blender came broken, will returning it cost me anything"]


def test_a_rule_question_the_help_pages_do_not_cover_keeps_the_request():
    search, _ = component(0.3)
    message = read_as("can i return a gift card?", "start_return")
    search.process([message])
    assert message.get("intent")["name"] == "start_return" and message.get("offer") is None


@pytest.mark.parametrize(
    "text, entities",
    [
        ("I want to return order 100235", [{"entity": "order_id", "value": "100235"}]),
        ("please cancel my order", []),
        ("can you change the delivery address", []),
        ("can i return 100235?", [{"entity": "order_id", "value": "100235"}]),
    ],
)
def test_a_request_to_act_still_starts_its_form(text, entities):
    search, searched = component(0.95)
    message = read_as(text, "start_return", entities=entities)
    search.process([message])
    assert message.get("intent")["name"] == "start_return" and searched == []


def test_a_status_question_about_the_customers_own_order_is_left_to_its_form():
    search, searched = component(0.95)
    message = read_as("when will my parcel arrive?", "order_status")
    search.process([message])
    assert message.get("intent")["name"] == "order_status" and searched == []


def test_an_unsure_rule_question_whose_likeliest_reading_is_a_request_is_answered():
    search, _ = component(0.7)
    message = unsure("how much does it cost to send stuff back?", [
        {"name": "start_return", "confidence": 0.45}, {"name": "faq", "confidence": 0.3},
    ])  # fmt: skip
    search.process([message])
    assert message.get("intent")["name"] == "faq" and message.get("offer") == "start_return"


def test_a_rule_question_leaves_its_form_by_the_answers_own_coverage_threshold():
    """Between the knowledge answer's "not covered" line and the search's minimum: a rule
    question is answered (its answer will not be "I'm not sure"); an unsure one still asks."""
    from shopassist.knowledge.coverage import UNKNOWN_BELOW

    between = (UNKNOWN_BELOW + SEARCH_MIN_SCORE) / 2
    search, _ = component(between)
    asked = read_as("will returning it cost me anything?", "start_return")
    unsure_one = unsure("cheapest delivery?", [{"name": "faq", "confidence": 0.4}])
    search.process([asked, unsure_one])
    assert asked.get("intent")["name"] == "faq" and asked.get("offer") == "start_return"
    assert unsure_one.get("intent")["name"] == "nlu_fallback"
    below, _ = component(UNKNOWN_BELOW - 0.01)
    again = read_as("will returning it cost me anything?", "start_return")
    below.process([again])
    assert again.get("intent")["name"] == "start_return"
