"""Search before "did you mean": an unsure reading of a question goes to the help pages."""

from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.help_search import HelpPageSearch


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

    return HelpPageSearch({"min_score": 0.6}, search=search), searched


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
