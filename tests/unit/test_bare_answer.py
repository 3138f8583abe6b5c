"""Nothing but an order number or an e-mail address is an answer, whatever a classifier says."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.bare_answer import BareAnswerClassifier, is_bare_answer


@pytest.mark.parametrize(
    "text",
    ["100311", " #100311 ", "ORD-100311", "ord 100311", "order 100311.", "order no. 100311",
     "Order number 100311", "anna.becker@example.com", "anna.becker@example.com!"],
)  # fmt: skip
def test_bare_answers(text):
    assert is_bare_answer(text)


@pytest.mark.parametrize(
    "text",
    ["where is 100311", "cancel 100311", "1003111", "10031", "my email is a@b.co, where is it",
     "", "hello", "100311 and 100312"],
)  # fmt: skip
def test_not_bare_answers(text):
    assert not is_bare_answer(text)


def test_a_bare_order_number_read_as_a_request_becomes_inform():
    message = Message(data={"text": "100311"})
    message.set("intent", {"name": "start_return", "confidence": 0.74})
    message.set(
        "intent_ranking",
        [{"name": "start_return", "confidence": 0.74}, {"name": "inform", "confidence": 0.2}],
    )
    BareAnswerClassifier().process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["inform", "start_return"]
