"""Order services on a real (SQLite) database migrated by Alembic and seeded."""

from sqlalchemy import func, select

from shopassist.store.db import session_scope
from shopassist.store.models import Customer, Order, Product
from shopassist.store.orders import order_facts, verify_owner


def test_seed_covers_every_order_state(db_url):
    with session_scope(db_url) as session:
        states = set(session.execute(select(Order.status)).scalars())
        assert session.execute(select(func.count(Order.id))).scalar_one() >= 400
        assert session.execute(select(func.count(Customer.id))).scalar_one() >= 50
        assert session.execute(select(func.count(Product.id))).scalar_one() >= 100
    assert states == {
        "pending",
        "paid",
        "packed",
        "shipped",
        "out_for_delivery",
        "delivered",
        "cancelled",
        "partially_returned",
        "refunded",
    }


def test_owner_is_verified_with_any_order_number_form_and_email_case(db_url):
    with session_scope(db_url) as session:
        assert verify_owner(session, "100234", "anna.becker@example.com")
        assert verify_owner(session, "ORD-100234", "Anna.Becker@Example.COM")
        assert verify_owner(session, "#100234", " anna.becker@example.com ")


def test_someone_elses_or_unknown_order_is_refused(db_url):
    with session_scope(db_url) as session:
        assert not verify_owner(session, "100234", "ben.carter@example.com")  # exists, not his
        assert not verify_owner(session, "999999", "anna.becker@example.com")  # no such order
        assert not verify_owner(session, "100234", "nobody@example.com")  # no such customer
        assert not verify_owner(session, "100234", "' OR 1=1 --")
        assert not verify_owner(session, "100234 OR 1=1", "anna.becker@example.com")


def test_order_facts_come_from_the_database(db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "#100234")
        order = session.get(Order, 100234)
        assert facts.order_id == "100234"
        assert facts.status == order.status == "shipped"
        assert facts.carrier == order.shipment.carrier
        assert facts.tracking_number == order.shipment.tracking_number
        assert facts.estimated_delivery == order.shipment.estimated_delivery
        assert len(facts.items) == len(order.items)
        assert order_facts(session, "999999") is None


def test_orders_not_yet_shipped_have_no_tracking(db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100236")  # paid
        assert facts.status == "paid"
        assert facts.carrier is None and facts.tracking_number is None


def test_seed_is_deterministic(tmp_path):  # engine-independent: SQLite only
    from shopassist.store.manage import ensure
    from tests.conftest import ANCHOR

    dumps = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        ensure(url, anchor=ANCHOR)
        with session_scope(url) as session:
            rows = session.execute(
                select(Order.id, Order.status, Order.total_cents, Customer.email)
                .join(Customer)
                .order_by(Order.id)
            ).all()
        dumps.append(rows)
    assert dumps[0] == dumps[1]


def test_seed_has_catalog_addresses_invoices_returns_and_refunds(db_url):
    from shopassist.store.models import Address, Invoice, Refund, Return, ShipmentEvent

    with session_scope(db_url) as session:
        count = lambda model: session.execute(select(func.count(model.id))).scalar_one()  # noqa: E731
        assert count(Product) >= 150
        assert count(Address) >= 60
        assert count(ShipmentEvent) > 0
        orders = count(Order)
        pending = session.execute(
            select(func.count(Order.id)).where(Order.status == "pending")
        ).scalar_one()
        assert count(Invoice) == orders - pending
        returned = session.execute(
            select(func.count(Order.id)).where(Order.status.in_(["partially_returned", "refunded"]))
        ).scalar_one()
        # Only the seed's own rows: other tests may have added returns and refunds by now.
        seeded = lambda model: session.execute(  # noqa: E731
            select(func.count(model.id)).where(model.request_key.like("seed-%"))
        ).scalar_one()
        assert seeded(Return) == seeded(Refund) == returned
        # A refund never exceeds what was paid.
        for refund in session.execute(select(Refund)).scalars():
            assert 0 <= refund.amount_cents <= refund.order.total_cents
