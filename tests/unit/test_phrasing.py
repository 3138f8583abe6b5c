"""A question about a rule is told apart from a request to act on an order."""

import pytest

from shopassist.nlu.phrasing import is_general_question

QUESTIONS = [
    "will returning a broken blender cost me anything?",
    "the blender came broken, will returning it cost me anything",
    "can I send back shoes I wore once",
    "how do i return something",
    "I live in Vienna, will you send parcels there?",
    "my earbuds died after 5 months, what now",
    "i would like to know if i can return opened items",
    "is it possible to change the delivery address after ordering",
    "hi, can i return it by mail?",
    "refund??",
]
REQUESTS = [
    "I want to return order 100235",
    "please cancel my order",
    "can you change the address",
    "return my shoes",
    "cancel order",
    "i need to return this",
    "i want to cancel, how do i do that",
    "change address for 100234",
    "my order hasnt arrived yet, can you check",
    "is order 100234 refundable?",  # names an order: about that order
    "can I return what I ordered with ann@example.com?",
    "",
    "   ",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_a_rule_is_a_question(text):
    assert is_general_question(text)


@pytest.mark.parametrize("text", REQUESTS)
def test_a_request_to_act_or_about_one_order_is_not(text):
    assert not is_general_question(text)
