"""An upset customer (a late order, a double charge, a damaged item) hears what went wrong
acknowledged, what happens now, and is offered a person; a calm one gets no apology.

The request is scored as the NLU pipeline scores it (shopassist.nlu.sentiment); the answer
comes turns later, after the order number and e-mail address, as in a real conversation.
"""

from datetime import timedelta

import pytest
from sqlalchemy import text

from actions.orders import ActionOrderStatus
from actions.payments import ActionCheckPayment
from actions.returns import ActionOfferReturn
from shopassist import clock
from shopassist.dialogue.intents import button
from shopassist.formats import day
from shopassist.generation.empathy import APOLOGISE_AT_OR_BELOW
from shopassist.language.messages import message
from shopassist.nlu.sentiment import SentimentAnalyzer
from shopassist.store import policy
from shopassist.store.db import session_scope
from shopassist.store.orders import order_facts, order_lines
from tests.actions_kit import make_tracker, run, verified
from tests.conftest import ANCHOR

LANGUAGES = ("en", "de", "fr", "es", "zh")
SCORER = SentimentAnalyzer(SentimentAnalyzer.get_default_config())
ANGRY_LATE = "This is ridiculous, my order is late"
CALM_LATE = "hi, my order seems a bit late, where is it?"
ANGRY_TWICE = "You charged me twice, this is outrageous!"
CALM_TWICE = "I think I was charged twice for my order"
ANGRY_DAMAGED = "The blender arrived broken. This is unacceptable, I want a refund"
CALM_DAMAGED = "hello, the blender arrived damaged, can I get a refund please?"


def request(text_: str, intent: str, score: float | None = None) -> dict:
    """The customer's request, scored as the NLU pipeline scores it (or with `score`)."""
    sentiment = SCORER.score(text_)
    if score is not None:
        sentiment = {"label": "negative" if score < -0.05 else "neutral", "score": score}
    parse = {"intent": {"name": intent}, "text": text_, "sentiment": sentiment}
    return {"event": "user", "text": text_, "parse_data": parse}


def answered_after(action, slots: dict, first: dict, language: str = "en"):
    """`action`'s answer after the request `first`, then the e-mail address (calm)."""
    tracker = make_tracker(
        slots,
        intent="inform",
        text=slots.get("email") or "anna.becker@example.com",
        events=[first],
        sentiment=("neutral", 0.0),
        language=None if language == "en" else language,
    )
    return run(action, tracker)


def test_the_messages_are_as_upset_or_calm_as_the_tests_assume():
    for upset in (ANGRY_LATE, ANGRY_TWICE, ANGRY_DAMAGED):
        assert SCORER.score(upset)["score"] <= APOLOGISE_AT_OR_BELOW, upset
    for calm in (CALM_LATE, CALM_TWICE, CALM_DAMAGED):
        assert SCORER.score(calm)["score"] > APOLOGISE_AT_OR_BELOW, calm


def on_time_parcel(db_url):
    with session_scope(db_url) as session:
        rows = session.execute(
            text("SELECT id FROM orders WHERE status IN ('shipped', 'out_for_delivery')")
        ).all()
        facts = [order_facts(session, str(row[0])) for row in rows]
    return next(f for f in facts if f.estimated_delivery and f.estimated_delivery >= ANCHOR)


def test_an_angry_late_order_that_is_on_time_gets_its_status_its_date_and_a_person(use_db, db_url):
    facts = on_time_parcel(db_url)
    slots = verified(facts.order_id, db_url)
    result = answered_after(ActionOrderStatus(), slots, request(ANGRY_LATE, "order_status"))
    reply = result.messages[0]
    assert reply["text"].startswith(message("opening.late"))
    due = day(facts.estimated_delivery)
    last_wait = day(facts.estimated_delivery + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS))
    assert "is shipped" in reply["text"] or "is out for delivery" in reply["text"]
    assert message("late.on_time", estimated_delivery=due, last_wait=last_wait) in reply["text"]
    assert reply["buttons"] == [button("human_handoff")]


def test_a_calm_question_about_the_same_order_gets_no_apology_and_no_button(use_db, db_url):
    facts = on_time_parcel(db_url)
    slots = verified(facts.order_id, db_url)
    result = answered_after(ActionOrderStatus(), slots, request(CALM_LATE, "order_status"))
    reply = result.messages[0]
    assert not reply["text"].startswith("I'm sorry") and "sorry" not in reply["text"].lower()
    assert "It isn't overdue" not in reply["text"] and not reply.get("buttons")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_late_order_answer_is_in_the_conversations_language(use_db, db_url, language):
    facts = on_time_parcel(db_url)
    slots = verified(facts.order_id, db_url)
    # Scored by hand: the lexicon is English, the words in any language name the situation.
    first = request(ANGRY_LATE, "order_status", score=-0.8)
    reply = answered_after(ActionOrderStatus(), slots, first, language).messages[0]
    assert reply["text"].startswith(message("opening.late", language))
    due = day(facts.estimated_delivery, language)
    assert due in reply["text"] and reply["buttons"] == [button("human_handoff", language)]


def test_an_angry_double_charge_hears_what_the_shop_does_and_gets_a_person(use_db, db_url):
    slots = verified("100234", db_url)
    result = answered_after(
        ActionCheckPayment(), slots, request(ANGRY_TWICE, "payment_charged_twice")
    )
    reply = result.messages[0]
    assert reply["text"].startswith(message("opening.charged_twice"))
    days = policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS
    assert message("payment.second_charge", days=days) in reply["text"]  # what happens now
    assert "Our records show one payment for order #100234" in reply["text"]
    assert reply["buttons"] == [button("human_handoff")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_double_charge_answer_is_in_the_conversations_language(use_db, db_url, language):
    slots = verified("100234", db_url)
    first = request(ANGRY_TWICE, "payment_charged_twice", score=-0.8)
    reply = answered_after(ActionCheckPayment(), slots, first, language).messages[0]
    assert reply["text"].startswith(message("opening.charged_twice", language))
    days = policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS
    assert message("payment.second_charge", language, days=days) in reply["text"]
    assert reply["buttons"] == [button("human_handoff", language)]


def test_a_calm_double_charge_question_gets_the_facts_without_an_apology(use_db, db_url):
    slots = verified("100234", db_url)
    result = answered_after(
        ActionCheckPayment(), slots, request(CALM_TWICE, "payment_charged_twice")
    )
    reply = result.messages[0]
    assert reply["text"].startswith("Our records show one payment")
    assert not reply.get("buttons")


def damaged_return_slots(db_url):
    """A recently delivered order, its first returnable line picked, reason damaged."""
    with session_scope(db_url) as session:
        ids = session.execute(
            text("SELECT id FROM orders WHERE status = 'delivered' ORDER BY id DESC")
        ).all()
        for (order_id,) in ids:
            facts = order_facts(session, str(order_id))
            lines = [x for x in order_lines(session, str(order_id)) if x.returnable_quantity]
            recent = facts.delivered_on and facts.delivered_on >= ANCHOR - timedelta(days=20)
            if recent and lines:
                items = {str(lines[0].item_id): 1}
                return verified(
                    str(order_id),
                    db_url,
                    order_request="refund",
                    return_items=items,
                    return_reason="damaged",
                    return_condition="damaged",
                )
    pytest.fail("the seed has no recently delivered order with a returnable line")


def test_an_angry_damaged_item_hears_the_free_return_route_and_gets_a_person(use_db, db_url):
    slots = damaged_return_slots(db_url)
    result = answered_after(ActionOfferReturn(), slots, request(ANGRY_DAMAGED, "request_refund"))
    reply = result.messages[0]
    assert reply["text"].startswith(message("opening.damaged"))
    assert message("return.shipping_free") in reply["text"]  # the route: free, full price
    assert reply["text"].endswith("Shall I authorise the return?")
    titles = [b["title"] for b in reply["buttons"]]
    assert titles == ["Yes, go ahead", "No, leave it", "Talk to a person"]
    assert result.slots["change_offered"] is True


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_damaged_item_answer_is_in_the_conversations_language(use_db, db_url, language):
    slots = damaged_return_slots(db_url)
    first = request(ANGRY_DAMAGED, "request_refund", score=-0.8)
    reply = answered_after(ActionOfferReturn(), slots, first, language).messages[0]
    assert reply["text"].startswith(message("opening.damaged", language))
    assert message("return.shipping_free", language) in reply["text"]
    assert reply["buttons"][-1] == button("human_handoff", language)


def test_a_calm_damaged_item_gets_the_offer_without_an_apology(use_db, db_url):
    slots = damaged_return_slots(db_url)
    result = answered_after(ActionOfferReturn(), slots, request(CALM_DAMAGED, "request_refund"))
    reply = result.messages[0]
    assert reply["text"].startswith("You can return")
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny"]


def test_an_upset_request_further_back_than_the_current_one_is_not_apologised_for(use_db, db_url):
    # Upset about a late order earlier; calm now, asking about a double charge.
    slots = verified("100234", db_url)
    events = [request(ANGRY_LATE, "order_status"), request(CALM_TWICE, "payment_charged_twice")]
    tracker = make_tracker(
        slots,
        intent="inform",
        text="anna.becker@example.com",
        events=events,
        sentiment=("neutral", 0.0),
    )
    reply = run(ActionCheckPayment(), tracker).messages[0]
    assert reply["text"].startswith("Our records show one payment") and not reply.get("buttons")


def test_the_clock_the_tests_read_is_the_demo_datas_day():
    assert clock.today() == ANCHOR


def test_an_angry_status_request_about_something_else_gets_no_word_about_the_wait(use_db, db_url):
    slots = verified("100235", db_url)  # Anna's delivered order
    first = request(ANGRY_DAMAGED, "order_status")
    reply = answered_after(ActionOrderStatus(), slots, first).messages[0]
    assert reply["text"].startswith(message("opening.damaged"))
    assert message("late.delivered") not in reply["text"]
    assert reply["buttons"] == [button("human_handoff")]
