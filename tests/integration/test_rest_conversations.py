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
    assert "anything else" in replies[-1]


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
