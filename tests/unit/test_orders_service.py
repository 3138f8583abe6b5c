"""Order services on a real (SQLite) database migrated by Alembic and seeded."""

from sqlalchemy import func, select

from shopassist.store.db import session_scope
from shopassist.store.models import Customer, Order, OrderItem, Product, Return, ReturnItem
from shopassist.store.orders import (
    describe_item,
    order_facts,
    order_lines,
    owner_email,
    recent_orders,
    verify_owner,
)
from shopassist.store.seed import CLOTHING_SIZES, COLOURS, SHOE_SIZES
from tests.conftest import ANCHOR


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
            rows += session.execute(
                select(OrderItem.order_id, Product.sku, OrderItem.colour, OrderItem.size)
                .join(Product)
                .order_by(OrderItem.id)
            ).all()
            rows += session.execute(
                select(Product.sku, Product.name, Product.colours, Product.sizes).order_by(
                    Product.id
                )
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
        # Only the seed's own rows: other tests may have added returns and refunds by now,
        # and refunded lost parcels (refunded orders without a return).
        returned = session.execute(
            select(func.count(Order.id)).where(
                Order.status.in_(["partially_returned", "refunded"]),
                ~Order.refunds.any(Refund.request_key.like("lost-%")),
            )
        ).scalar_one()
        seeded = lambda model: session.execute(  # noqa: E731
            select(func.count(model.id)).where(model.request_key.like("seed-%"))
        ).scalar_one()
        assert returned > 0, "the seed has no returned or refunded order"
        assert seeded(Return) == seeded(Refund) == returned
        # A refund never exceeds what was paid: one for the whole order or a return at most
        # what the order costs now; one for a removed or reduced line at most that line (see
        # test_item_changes), which also left the order's total.
        line_refund = Refund.request_key.like("cancel-item-%") | Refund.request_key.like(
            "reduce-item-%"
        )
        for refund in session.execute(select(Refund).where(~line_refund)).scalars():
            assert 0 <= refund.amount_cents <= refund.order.total_cents


def test_products_offer_colours_and_apparel_sizes_and_lines_pick_one(db_url):
    with session_scope(db_url) as session:
        for product in session.execute(select(Product)).scalars():
            assert not product.name.endswith(")")  # the colour is an option, not the name
            assert 1 <= len(product.colour_options) <= 4
            assert set(product.colour_options) <= set(COLOURS)
            if product.subcategory == "shoes":
                assert product.size_options == SHOE_SIZES
            elif product.category == "apparel":
                assert product.size_options == CLOTHING_SIZES
            else:
                assert product.sizes is None and product.size_options == []
        for item in session.execute(select(OrderItem)).scalars():
            assert item.colour in item.product.colour_options
            assert item.size in item.product.size_options or (
                item.size is None and not item.product.sizes
            )


def test_item_descriptions_name_the_chosen_options(db_url):
    with session_scope(db_url) as session:
        order = session.get(Order, 100236)  # demo order (only read): an apparel line
        shirt = next(item for item in order.items if item.size)
        expected = f"{shirt.quantity} x {shirt.product.name} ({shirt.colour}, {shirt.size})"
        assert describe_item(shirt) == expected
        assert expected in order_facts(session, "100236").items
        plain = next(item for item in order.items if not item.size)
        assert describe_item(plain, 3) == f"3 x {plain.product.name} ({plain.colour})"


def test_demo_orders_have_the_lines_their_demos_need(db_url):
    with session_scope(db_url) as session:
        paid, pending, delivered = (session.get(Order, n) for n in (100236, 100311, 100235))
        assert (paid.status, pending.status, delivered.status) == ("paid", "pending", "delivered")
        assert len(paid.items) >= 2 and any(
            i.product.category == "apparel" and i.size for i in paid.items
        )
        assert len(pending.items) >= 2 and len(delivered.items) >= 2
        # Placed 12 days before the anchor, delivered since: inside the return window.
        assert (ANCHOR - delivered.placed_at.date()).days == 12
        assert (ANCHOR - delivered.shipment.delivered_at.date()).days < 12


def test_recent_orders_are_newest_first_with_their_items(db_url):
    with session_scope(db_url) as session:
        customer = session.execute(
            select(Customer).where(Customer.email == "anna.becker@example.com")
        ).scalar_one()
        newest = sorted(customer.orders, key=lambda o: (o.placed_at, o.id), reverse=True)
        orders = recent_orders(session, " Anna.Becker@example.com ", limit=3)
        assert [o.order_id for o in orders] == [str(o.id) for o in newest[:3]]
        assert len(recent_orders(session, "anna.becker@example.com")) == min(5, len(newest))
        first = orders[0]
        order = session.get(Order, int(first.order_id))
        assert first.placed_on == order.placed_at.date() and first.status == order.status
        assert first.items == [describe_item(item) for item in order.items]
        assert first.total.startswith("$")
        assert recent_orders(session, "nobody@example.com") == []
        assert recent_orders(session, "not an address") == []


def test_order_lines_count_what_was_already_returned(db_url):
    with session_scope(db_url) as session:
        order = (
            session.execute(
                select(Order).where(Order.status == "partially_returned").order_by(Order.id)
            )
            .scalars()
            .first()
        )
        returned = dict(
            session.execute(
                select(ReturnItem.order_item_id, ReturnItem.quantity)
                .join(Return)
                .where(Return.order_id == order.id, Return.state != "rejected")
            ).all()
        )
        lines = order_lines(session, f"ORD-{order.id}")
        assert [line.item_id for line in lines] == [item.id for item in order.items]
        for line, item in zip(lines, order.items):
            assert line.name == item.product.name and line.quantity == item.quantity
            assert (line.colour, line.size) == (item.colour, item.size)
            assert line.colours == item.product.colour_options
            assert line.sizes == item.product.size_options
            assert line.returnable == item.product.returnable
            assert line.returnable_quantity == item.quantity - returned.get(item.id, 0)
        assert any(line.returnable_quantity < line.quantity for line in lines)
        assert order_lines(session, "999999") is None


def test_owner_email_of_an_order(db_url):
    with session_scope(db_url) as session:
        assert owner_email(session, "#100234") == "anna.becker@example.com"
        assert owner_email(session, "999999") is None
        assert owner_email(session, "100234 OR 1=1") is None
