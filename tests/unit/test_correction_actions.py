"""Corrections and the order-number question that offers a proven customer their orders."""

from actions.corrections import ORDER_ANSWERS, ActionAskOrderId, ActionCorrectOrder
from tests.actions_kit import make_tracker, run, verified


def correct(slots=None, entities=None):
    return run(ActionCorrectOrder(), make_tracker(slots, intent="correction", entities=entities))


def test_another_order_number_switches_to_it_and_forgets_the_answers():
    slots = {"order_id": "100234", "verified_order": "100234", "return_reason": "damaged"}
    result = correct(slots, [{"entity": "order_id", "value": "#100235"}])
    assert result.slots["order_id"] == "100235"
    assert result.slots["correcting"] == "order"
    assert all(result.slots[slot] is None for slot in ORDER_ANSWERS)
    assert result.messages[0]["response"] == "utter_correction_order"
    assert result.messages[0]["order_id"] == "100235"


def test_the_other_order_without_a_number_asks_which():
    result = correct({"order_id": "100234", "verified_order": "100234"})
    assert result.slots["order_id"] is None and result.slots["correcting"] == "order"
    assert result.messages[0]["response"] == "utter_correction_which_order"


def test_a_corrected_detail_keeps_the_order_and_asks_again():
    result = correct({"order_id": "100234"}, [{"entity": "size", "value": "XL"}])
    assert "order_id" not in result.slots and result.slots["correcting"] == "order"
    assert result.slots["item_change"] is None
    assert result.messages[0]["response"] == "utter_correction_again"


def test_nothing_to_correct_asks_what_was_meant():
    result = correct()
    assert result.slots == {"correcting": "unclear"}
    assert result.messages[0]["response"] == "utter_correction"


def test_a_proven_customer_picks_the_order_from_buttons(use_db):
    slots = verified("100234", use_db)
    slots["order_id"] = None
    result = run(ActionAskOrderId(), make_tracker(slots))
    message = result.messages[0]
    assert message["response"] == "utter_ask_order_id_pick"
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/inform{"order_id": "100234"}' in payloads and len(payloads) <= 5


def test_the_order_just_corrected_is_not_offered_again(use_db):
    slots = verified("100234", use_db, correcting="order")
    slots["order_id"] = None
    result = run(ActionAskOrderId(), make_tracker(slots, intent="correction"))
    payloads = [b["payload"] for b in result.messages[0]["buttons"]]
    assert '/inform{"order_id": "100234"}' not in payloads and len(payloads) == 5


def test_anyone_else_is_asked_for_the_number(use_db):
    result = run(ActionAskOrderId(), make_tracker())
    assert [m["response"] for m in result.messages] == ["utter_ask_order_id"]


def test_the_question_survives_a_database_outage(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = run(ActionAskOrderId(), make_tracker({"verified_email": "anna.becker@example.com"}))
    assert [m["response"] for m in result.messages] == ["utter_ask_order_id"]
