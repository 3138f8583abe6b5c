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


def wrong():
    """An address nobody has, new for every try (so no other try slowed it down)."""
    return f"somebody.else.{uuid.uuid4().hex[:8]}@example.com"


def check(db_url, order_id, email, conversation, at, **kwargs):
    with session_scope(db_url) as session:  # one transaction per check, as in the action
        return check_identity(session, order_id, email, conversation, now=at, **kwargs)


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
    # The order's three failures ask a minute's wait, long over: the owner is not locked.
    assert check(db_url, order_id, email, fresh, later) == "verified"
    with session_scope(db_url) as session:
        assert failures_remaining(session, order_id, conversation, later) == 0
        count = select(IdentityFailure.id).where(IdentityFailure.conversation == conversation)
        assert len(session.execute(count).all()) == 3  # locked checks are not failures


def test_failures_on_one_order_slow_its_checks_down_with_a_growing_wait(db_url):
    """Guesses at one number from new conversations and clients: the number is not locked
    for its owner, but each failure past the free ones doubles the wait between checks."""
    (order_id, email), (other_id, other_email) = owned_orders(db_url, 2, offset=14)
    start = datetime(2031, 1, 8, 9, 0)
    forms = [order_id, f"#{order_id}", f"ORD-{order_id}", f"order no. {order_id}"]
    at = start
    for i, form in enumerate(forms):  # every form is one number; each from a new client
        (chat,) = conversations(1)
        assert check(db_url, form, wrong(), chat, at, client=chat) == "mismatch"
        free = i + 1 < identity.FREE_FAILURES_PER_TARGET
        at += timedelta(seconds=1) if free else identity.FIRST_WAIT * 2 ** (i + 1 - 3)
        if not free:  # refused until the wait is over, from anywhere
            (chat,) = conversations(1)
            before = at - timedelta(seconds=1)
            assert check(db_url, order_id, email, chat, before, client=chat) == "slow_down"
    (owner,) = conversations(1)
    assert check(db_url, order_id, email, owner, at, client=owner) == "verified"
    assert check(db_url, other_id, other_email, owner, at, client=owner) == "verified"
    with session_scope(db_url) as session:
        refused = identity.current_refusal(session, order_id, owner, at - timedelta(seconds=1))
        assert refused.verdict == "slow_down" and refused.until == at


def test_failures_with_one_email_slow_down_its_checks_on_any_order(db_url):
    """Trying a customer's address on number after number, each from a new client."""
    pairs = owned_orders(db_url, 30, offset=40)
    order_id, victim = pairs[0]
    others = [number for number, owner in pairs if owner != victim][:3]
    start = datetime(2031, 1, 11, 9, 0)
    for minute, guess in enumerate(others):
        (chat,) = conversations(1)
        at = start + timedelta(minutes=minute)
        assert check(db_url, guess, victim, chat, at, client=chat) == "mismatch"
    # Three failures for her address, the last at minute 2: a minute's wait, from anywhere.
    (chat,) = conversations(1)
    soon = start + timedelta(minutes=2, seconds=30)
    assert check(db_url, order_id, victim, chat, soon, client="elsewhere") == "slow_down"
    later = start + timedelta(minutes=3)
    assert check(db_url, order_id, victim, chat, later, client="elsewhere") == "verified"


def test_one_client_is_locked_across_conversations_orders_and_addresses(db_url):
    owned = owned_orders(db_url, identity.MAX_FAILURES_PER_CLIENT + 2, offset=60)
    start = datetime(2031, 1, 12, 9, 0)
    client = f"client:{uuid.uuid4().hex[:8]}"
    for minute, (order_id, _) in enumerate(owned[: identity.MAX_FAILURES_PER_CLIENT]):
        (chat,) = conversations(1)  # a new conversation for every try
        at = start + timedelta(minutes=minute)
        assert check(db_url, order_id, wrong(), chat, at, client=client) == "mismatch"
    (order_id, email), (other_id, other_email) = owned[-2:]
    later = start + timedelta(minutes=30)
    (chat,) = conversations(1)
    assert check(db_url, order_id, email, chat, later, client=client) == "locked"
    assert check(db_url, other_id, other_email, chat, later) == "verified"  # another client
    with session_scope(db_url) as session:
        assert locked_until(session, order_id, chat, later, client=client) == start + timedelta(
            hours=1
        )


def test_guesses_at_an_order_never_lock_out_its_owner(db_url):
    """Five wrong addresses for her order from five conversations: signed in (her address
    proven by a token) she checks it at once; by e-mail, after minutes, not an hour."""
    ((order_id, email),) = owned_orders(db_url, 1, offset=80)
    start = datetime(2031, 1, 13, 9, 0)
    for minute in range(5):
        (chat,) = conversations(1)
        at = start + timedelta(minutes=minute)
        assert check(db_url, order_id, wrong(), chat, at) in ("mismatch", "slow_down")
    (owner,) = conversations(1)
    soon = start + timedelta(minutes=4, seconds=30)
    assert check(db_url, order_id, email, owner, soon) == "slow_down"
    assert check(db_url, order_id, email, owner, soon, email_proven=True) == "verified"
    assert check(db_url, order_id, email, owner, start + timedelta(minutes=10)) == "verified"
    # Her own typos with a proven address lock nothing either: she can only find her orders.
    for minute in range(identity.MAX_FAILURES_PER_CONVERSATION + 2):
        at = start + timedelta(minutes=11 + minute)
        assert check(db_url, "999990", email, owner, at, email_proven=True) == "mismatch"
    assert check(db_url, order_id, email, owner, at) == "verified"


def test_an_unknown_order_number_is_counted_exactly_like_a_real_one(db_url):
    unknown, start = "999871", datetime(2031, 1, 9, 9, 0)
    chats = conversations(identity.FREE_FAILURES_PER_TARGET + 1)
    for minute, chat in enumerate(chats[:-1]):
        at = start + timedelta(minutes=minute)
        assert check(db_url, unknown, wrong(), chat, at) == "mismatch"
    last = start + timedelta(minutes=len(chats) - 2)
    soon = last + identity.FIRST_WAIT - timedelta(seconds=1)
    assert check(db_url, unknown, wrong(), chats[-1], soon) == "slow_down"
    (conversation,) = conversations(1)
    for minute in range(identity.MAX_FAILURES_PER_CONVERSATION):
        at = start + timedelta(hours=3, minutes=minute)
        assert check(db_url, "999872", wrong(), conversation, at) == "mismatch"
    assert check(
        db_url, "999873", wrong(), conversation, start + timedelta(hours=3, minutes=9)
    ) == ("locked")
    with session_scope(db_url) as session:
        stored = session.execute(
            select(IdentityFailure.order_number).where(
                IdentityFailure.order_number.in_(["999871", "999872", "999873"])
            )
        ).scalars()
        assert sorted(stored) == ["999871"] * 3 + ["999872"] * 3


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
