"""The trained NLU model parses any input into a valid result, never an exception."""

import asyncio

import pytest

pytestmark = pytest.mark.integration

ODD_INPUTS = [
    "",
    "   ",
    "\t\n",
    "\x00\x01\x02",
    "😀😀😀",
    "x" * 20000,
    "where is my order " * 1500,
    "Где мой заказ 100234? 我的订单在哪里",
    "<script>alert(1)</script>",
    "'; DROP TABLE orders; --",
    "ORD-100234 anna.becker@example.com #100235",
]


@pytest.mark.parametrize("text", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
def test_odd_input_parses_to_a_valid_result(agent, text):
    result = asyncio.run(agent.parse_message(text))
    intent = result["intent"]
    assert isinstance(intent["name"], str) and intent["name"]
    assert 0.0 <= intent["confidence"] <= 1.0
    assert isinstance(result["entities"], list)
    assert result["sentiment"]["label"] in {"negative", "neutral", "positive"}


def test_blank_input_goes_to_the_rephrase_path(agent):
    for text in ("", "   ", "\x00\x01\x02"):
        assert asyncio.run(agent.parse_message(text))["intent"]["name"] == "nlu_fallback"


def test_order_numbers_and_emails_are_found_in_one_message(agent):
    result = asyncio.run(agent.parse_message(ODD_INPUTS[-1]))
    values = {(e["entity"], e["value"]) for e in result["entities"]}
    assert ("email", "anna.becker@example.com") in values
    assert {v for k, v in values if k == "order_id"} >= {"ORD-100234", "#100235"}
