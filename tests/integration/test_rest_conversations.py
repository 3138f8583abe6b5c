"""Whole conversations over the REST channel: real Rasa server, action server and database."""

import uuid

import pytest

from shopassist.store.db import session_scope
from shopassist.store.orders import order_facts

pytestmark = pytest.mark.integration


def new_sender():
    return f"test-{uuid.uuid4().hex[:8]}"


def test_greeting_says_what_the_assistant_does(say):
    (reply,) = say(new_sender(), "hi")
    assert "ShopAssist" in reply and "order" in reply


def test_bot_challenge_and_goodbye(say):
    sender = new_sender()
    assert "bot" in say(sender, "am I talking to a real person?")[0]
    assert "Goodbye" in say(sender, "bye")[0]


def test_out_of_scope_is_refused_politely(say):
    (reply,) = say(new_sender(), "what's the weather like in Paris tomorrow?")
    assert "can't help with that" in reply and "orders" in reply


def test_order_status_after_identity_check_comes_from_the_database(say, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    sender = new_sender()
    (question,) = say(sender, "where is my order #100234?")
    assert "e-mail" in question
    replies = say(sender, "anna.becker@example.com")
    answer = replies[0]
    assert facts.carrier in answer and facts.tracking_number in answer and "shipped" in answer
    assert not any("anything else" in r for r in replies)  # an answer, not the end of a request


def test_someone_elses_order_is_not_disclosed(say, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    sender = new_sender()
    say(sender, "where is order ORD-100234")
    replies = say(sender, "ben.carter@example.com")
    assert any("couldn't match" in r for r in replies)
    assert all(facts.tracking_number not in r and facts.carrier not in r for r in replies)


def test_order_number_asked_for_when_missing(say):
    sender = new_sender()
    (question,) = say(sender, "has my package shipped yet?")
    assert "order number" in question
    (question,) = say(sender, "100310")
    assert "e-mail" in question


def test_an_order_number_alone_starts_the_check(say):
    sender = new_sender()
    (question,) = say(sender, "ORD-100311")
    assert "e-mail" in question


def test_a_verified_customer_can_ask_about_another_order(say, db_url):
    with session_scope(db_url) as session:
        other = order_facts(session, "100235")
    sender = new_sender()
    say(sender, "where is my order 100234")
    say(sender, "anna.becker@example.com")
    replies = say(sender, "and order 100235?")
    assert "#100235" in replies[0] and other.tracking_number in replies[0]


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "\u200b"])
def test_blank_messages_get_a_polite_answer(say, text):
    (reply,) = say(new_sender(), text)
    assert "rephrase" in reply


@pytest.mark.parametrize(
    "text", ["🤖🤖🤖", "a" * 20000, "Größe 注文 заказ", "<script>alert(1)</script>"]
)
def test_odd_messages_always_get_an_answer(say, text):
    assert say(new_sender(), text)  # never a silent drop


def test_cancel_a_packed_order_over_rest(say, db_url):
    from shopassist.store.models import Order

    sender = new_sender()
    say(sender, "I want to cancel order 100312")
    (offer,) = say(sender, "ben.carter@example.com")
    assert "$4.95" in offer and "Shall I cancel it?" in offer
    unsure = say(sender, "huh?")  # read as affirm ("uh huh"), but a question is no consent
    assert "clear yes or no" in unsure[0] and "Shall I cancel it?" in unsure[-1]
    with session_scope(db_url) as session:
        assert session.get(Order, 100312).status == "packed"
    replies = say(sender, "yes")
    assert replies[0].startswith("Done: order #100312 is cancelled.")
    with session_scope(db_url) as session:
        assert session.get(Order, 100312).status == "cancelled"


def test_a_shipped_order_is_not_cancelled_over_rest(say, db_url):
    from shopassist.store.models import Order

    sender = new_sender()
    say(sender, "cancel my order #100234 please")
    replies = say(sender, "anna.becker@example.com")
    assert "already shipped" in replies[0]
    with session_scope(db_url) as session:
        assert session.get(Order, 100234).status == "shipped"


def test_refund_status_over_rest(say, db_url):
    from sqlalchemy import select

    from shopassist.store.models import Refund

    with session_scope(db_url) as session:
        rma = (
            session.execute(select(Refund).where(Refund.order_id == 100401))
            .scalar_one()
            .ret.rma_number
        )
    sender = new_sender()
    say(sender, "where is my refund for order 100401?")
    replies = say(sender, "chloe.dubois@example.org")
    assert rma in replies[0] and "refund" in replies[0]


def test_start_a_return_over_rest(say, db_url):
    from sqlalchemy import select

    from shopassist.store.models import Return

    sender = new_sender()
    say(sender, "I want to return something from order 100235")
    (items,) = say(sender, "anna.becker@example.com")
    assert "would you like to return" in items and "1." in items
    (reason,) = say(sender, "1")
    assert "reason" in reason
    (condition,) = say(sender, "it doesn't fit")
    assert "condition" in condition
    (offer,) = say(sender, "unopened")
    assert "$6.95" in offer and "Shall I authorise the return?" in offer
    (done,) = say(sender, "yes")[:1]
    with session_scope(db_url) as session:
        rma = session.execute(
            select(Return.rma_number).where(Return.order_id == 100235)
        ).scalar_one()
    assert f"Return number: {rma}" in done


def test_change_the_address_over_rest(say, db_url):
    from shopassist.store.models import Order

    sender = new_sender()
    say(sender, "please change the delivery address of order 100311")
    (question,) = say(sender, "ben.carter@example.com")
    assert "new delivery address" in question
    (offer,) = say(sender, "45 Oak Avenue, Boston, 02108, US")
    assert "45 Oak Avenue, 02108 Boston, US" in offer
    (done,) = say(sender, "yes please")[:1]
    assert done.startswith("Done: order #100311 will ship to 45 Oak Avenue")
    with session_scope(db_url) as session:
        order = session.get(Order, 100311)
        assert (order.ship_line1, order.ship_city) == ("45 Oak Avenue", "Boston")


def test_remove_an_item_over_rest(say, db_url):
    from shopassist.store.orders import order_lines

    with session_scope(db_url) as session:
        before = order_lines(session, "100236")
    sender = new_sender()
    say(sender, "please remove an item from order 100236")
    (which,) = say(sender, "anna.becker@example.com")
    assert before[1].name in which
    (offer,) = say(sender, "2")
    assert before[1].name in offer and "Shall I go ahead?" in offer
    (done,) = say(sender, "yes")[:1]
    assert done.startswith("Done: I removed")
    with session_scope(db_url) as session:
        after = order_lines(session, "100236")
    assert [line.item_id for line in after] == [before[0].item_id] + [
        line.item_id for line in before[2:]
    ]


def test_a_logged_in_customer_lists_orders_without_questions(say, db_url):
    from shopassist.auth import customer_token
    from shopassist.store.orders import recent_orders
    from tests.servers import TOKEN_SECRET

    with session_scope(db_url) as session:
        bens = [o.order_id for o in recent_orders(session, "ben.carter@example.com")]
    assert len(bens) == 5 and "100311" in bens  # his newest five
    token = customer_token.issue("ben.carter@example.com", secret=TOKEN_SECRET)
    replies = say(new_sender(), "show me my recent orders", {"customer_token": token})
    assert all(f"#{order_id}" in replies[0] for order_id in bens)
    assert "#100234" not in replies[0]  # Anna's


def test_a_forged_token_gets_no_orders(say):
    from shopassist.auth import customer_token

    forged = customer_token.issue("ben.carter@example.com", secret="f" * 40)
    replies = say(new_sender(), "show me my recent orders", {"customer_token": forged})
    assert "#100310" not in " ".join(replies) and "order number" in replies[0]


def test_an_invoice_over_rest(say, db_url):
    from shopassist.store.invoices import invoice_view

    with session_scope(db_url) as session:
        invoice = invoice_view(session, "100235")
    sender = new_sender()
    say(sender, "can I get the invoice for order 100235")
    replies = say(sender, "anna.becker@example.com")
    assert invoice.number in replies[0] and invoice.total in replies[0]


def test_policy_questions_are_answered_from_the_faq(say):
    from shopassist.store import policy

    (reply,) = say(new_sender(), "what is your return policy?")[:1]
    assert f"{policy.RETURN_WINDOW_DAYS} days" in reply


def test_small_talk_and_handoff_get_answers(say):
    sender = new_sender()
    assert "ShopAssist" in " ".join(say(sender, "what's your name?"))
    assert "+1 800 555 0142" in " ".join(say(sender, "I want to talk to a real person"))


def test_sentiment_reaches_the_tracker(say, assistant):
    import requests

    sender = new_sender()
    say(sender, "this is ridiculous, third time asking where my parcel is!!!")
    tracker = requests.get(f"{assistant}/conversations/rest:{sender}/tracker", timeout=30).json()
    assert tracker["slots"]["sentiment"] == "negative"
    user = [e for e in tracker["events"] if e["event"] == "user"][-1]
    assert user["parse_data"]["sentiment"]["score"] < 0


def test_forget_it_stops_a_form_and_changes_nothing(say, db_url):
    from sqlalchemy import func, select

    from shopassist.store.models import Return

    sender = new_sender()
    say(sender, "i want to return order 100402")
    say(sender, "chloe.dubois@example.org")
    (stopped,) = say(sender, "forget it")[:1]
    assert "stopped" in stopped
    assert "ShopAssist" in say(sender, "hi")[0]  # the form is over: a new turn is free
    with session_scope(db_url) as session:
        count = session.execute(select(func.count(Return.id)).where(Return.order_id == 100402))
        assert count.scalar_one() == 0
