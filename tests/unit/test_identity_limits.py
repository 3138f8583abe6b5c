"""The persistent limit on failed identity checks, across conversations, on both engines.

Each test runs at its own time far from the real clock (failures are counted per hour), in
conversations of its own, so neither other tests nor the real clock interfere.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from shopassist.store import identity
from shopassist.store.db import session_scope
from shopassist.store.identity import check_identity, failures_remaining, locked_until
from shopassist.store.models import Customer, IdentityFailure, Order

WRONG = "somebody.else@example.com"


def owned_orders(db_url, count, offset):
    """`count` (order number, owner e-mail) pairs; identity checks change no orders."""
    with session_scope(db_url) as session:
        rows = session.execute(
            select(Order.id, Customer.email)
            .join(Customer)
            .where(Order.status == "delivered")
            .order_by(Order.id)
            .offset(offset)
            .limit(count)
        ).all()
    return [(str(order_id), email) for order_id, email in rows]


def conversations(count):
    return [f"limits-{uuid.uuid4().hex[:12]}" for _ in range(count)]


def check(db_url, order_id, email, conversation, at):
    with session_scope(db_url) as session:  # one transaction per check, as in the action
        return check_identity(session, order_id, email, conversation, now=at)


def test_owner_is_verified_and_a_mismatch_is_stored(db_url):
    ((order_id, email),) = owned_orders(db_url, 1, offset=10)
    at = datetime(2031, 1, 6, 9, 0)
    (conversation,) = conversations(1)
    assert check(db_url, order_id, email.upper(), conversation, at) == "verified"
    assert check(db_url, f"#{order_id}", WRONG, conversation, at) == "mismatch"
    with session_scope(db_url) as session:
        rows = (
            session.execute(
                select(IdentityFailure).where(IdentityFailure.conversation == conversation)
            )
            .scalars()
            .all()
        )
        assert [(r.order_number, r.at) for r in rows] == [(order_id, at)]
        assert failures_remaining(session, order_id, conversation, at) == 2


def test_three_failures_lock_the_conversation_even_for_the_right_address(db_url):
    (order_id, email), (other_id, other_email) = owned_orders(db_url, 2, offset=12)
    start = datetime(2031, 1, 7, 9, 0)
    conversation, fresh = conversations(2)
    for minute in range(identity.MAX_FAILURES_PER_CONVERSATION):
        at = start + timedelta(minutes=minute)
        assert check(db_url, order_id, WRONG, conversation, at) == "mismatch"
    later = start + timedelta(minutes=5)
    assert check(db_url, order_id, email, conversation, later) == "locked"
    assert check(db_url, other_id, other_email, conversation, later) == "locked"  # any order
    assert check(db_url, order_id, email, fresh, later) == "verified"  # 3 < 5 for the order
    with session_scope(db_url) as session:
        assert failures_remaining(session, order_id, conversation, later) == 0
        count = select(IdentityFailure.id).where(IdentityFailure.conversation == conversation)
        assert len(session.execute(count).all()) == 3  # locked checks are not failures


def test_five_failures_across_conversations_lock_the_order_number(db_url):
    (order_id, email), (other_id, other_email) = owned_orders(db_url, 2, offset=14)
    start = datetime(2031, 1, 8, 9, 0)
    chats = conversations(identity.MAX_FAILURES_PER_ORDER + 1)
    forms = [order_id, f"#{order_id}", f"ORD-{order_id}", f"order no. {order_id}", order_id]
    for minute, (chat, form) in enumerate(zip(chats, forms)):  # every form is one number
        at = start + timedelta(minutes=minute)
        assert check(db_url, form, WRONG, chat, at) == "mismatch"
    later = start + timedelta(minutes=10)
    assert check(db_url, order_id, email, chats[-1], later) == "locked"
    assert check(db_url, other_id, other_email, chats[-1], later) == "verified"


def test_an_unknown_order_number_locks_exactly_like_a_real_one(db_url):
    unknown, start = "999871", datetime(2031, 1, 9, 9, 0)
    chats = conversations(identity.MAX_FAILURES_PER_ORDER + 1)
    for minute, chat in enumerate(chats[:-1]):
        at = start + timedelta(minutes=minute)
        assert check(db_url, unknown, WRONG, chat, at) == "mismatch"
    assert check(db_url, unknown, WRONG, chats[-1], start + timedelta(minutes=9)) == "locked"
    (conversation,) = conversations(1)
    for minute in range(identity.MAX_FAILURES_PER_CONVERSATION):
        at = start + timedelta(hours=3, minutes=minute)
        assert check(db_url, "999872", WRONG, conversation, at) == "mismatch"
    assert check(db_url, "999873", WRONG, conversation, start + timedelta(hours=3, minutes=9)) == (
        "locked"
    )
    with session_scope(db_url) as session:
        stored = session.execute(
            select(IdentityFailure.order_number).where(
                IdentityFailure.order_number.in_(["999871", "999872", "999873"])
            )
        ).scalars()
        assert sorted(stored) == ["999871"] * 5 + ["999872"] * 3


def test_the_lock_opens_an_hour_after_the_oldest_failure(db_url):
    ((order_id, email),) = owned_orders(db_url, 1, offset=16)
    start = datetime(2031, 1, 10, 9, 0)
    (conversation,) = conversations(1)
    for minutes in (0, 10, 20):
        at = start + timedelta(minutes=minutes)
        assert check(db_url, order_id, WRONG, conversation, at) == "mismatch"
    with session_scope(db_url) as session:
        assert locked_until(session, order_id, conversation, start + timedelta(minutes=30)) == (
            start + timedelta(hours=1)
        )
        assert locked_until(session, order_id, conversation, start + timedelta(hours=1)) is None
    assert check(db_url, order_id, email, conversation, start + timedelta(minutes=59)) == "locked"
    assert check(db_url, order_id, email, conversation, start + timedelta(hours=1)) == "verified"
    # Two failures still count: one more mismatch locks again, until the second ages out.
    at = start + timedelta(hours=1, minutes=1)
    assert check(db_url, order_id, WRONG, conversation, at) == "mismatch"
    with session_scope(db_url) as session:
        until = locked_until(session, order_id, conversation, at)
        assert until == start + timedelta(hours=1, minutes=10)
