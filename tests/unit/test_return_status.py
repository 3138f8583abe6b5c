"""Return and refund status: read from the database, for the verified owner only."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.returns import ActionReturnStatus
from shopassist.auth import stamps
from shopassist.formats import day, money
from shopassist.store.db import session_scope
from shopassist.store.models import Order, Refund
from shopassist.store.returns import order_refunds


def run(order_id, verified):
    tracker = Tracker(
        sender_id="returns-test",
        # Verified (stamped) by this action server, as in a real conversation.
        slots={
            "order_id": order_id,
            "verified_order": verified,
            "identity_stamp": stamps.issue("returns-test", None, verified),
        },
        latest_message={},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionReturnStatus().run(dispatcher, tracker, {}))
    return [m["text"] for m in dispatcher.messages]


def test_refunded_order_shows_rma_amount_and_date(use_db, db_url):
    with session_scope(db_url) as session:
        refund = session.execute(select(Refund).where(Refund.order_id == 100401)).scalar_one()
        amount, rma = money(refund.amount_cents), refund.ret.rma_number
        issued = day(refund.issued_at)
    (text,) = run("100401", "100401")
    assert rma in text and amount in text and issued in text and "refunded" in text


def test_order_without_returns_says_so(use_db):
    (text,) = run("100234", "100234")
    assert text == "There is no return or refund on order #100234 so far."


def test_nothing_is_shown_without_verification(use_db, db_url):
    with session_scope(db_url) as session:
        refund = session.execute(select(Refund).where(Refund.order_id == 100401)).scalar_one()
        rma = refund.ret.rma_number
    (text,) = run("100401", None)
    assert "couldn't verify" in text and rma not in text


def test_every_returned_order_has_a_view(db_url):
    """Orders returned or refunded through a return (a lost parcel is refunded without one)."""
    with session_scope(db_url) as session:
        lost = select(Refund.order_id).where(Refund.request_key.like("lost-%"))
        ids = (
            session.execute(
                select(Order.id).where(
                    Order.status.in_(["partially_returned", "refunded"]), Order.id.notin_(lost)
                )
            )
            .scalars()
            .all()
        )
        assert ids, "the seed has no order returned through a return"
        for order_id in ids:
            view = order_refunds(session, order_id)
            assert view.returns and view.returns[0].refund.state == "issued"


def test_refund_after_a_cancellation_is_reported(use_db, db_url):
    from shopassist.store.changes import cancel_order

    with session_scope(db_url) as session:
        order_id = str(
            session.execute(select(Order.id).where(Order.status == "paid").order_by(Order.id))
            .scalars()
            .first()
        )
        outcome = cancel_order(session, order_id, "test")
    (text,) = run(order_id, order_id)
    assert money(outcome.refund_cents) in text and "being processed" in text
