"""Invoices: billed lines, shipping, tax and total from the database, on both engines."""

from decimal import Decimal

from sqlalchemy import select

from shopassist.store.db import session_scope
from shopassist.store.invoices import InvoiceLookup, find_invoice, invoice_view
from shopassist.store.item_changes import cancel_item
from shopassist.store.models import Order
from tests.unit.test_item_changes import pick_order, several_lines


def cents(money: str) -> int:
    return int(Decimal(money.lstrip("$").replace(",", "")) * 100)


def adds_up(view) -> bool:
    billed = sum(cents(line.amount) for line in view.lines) + cents(view.shipping)
    return billed == cents(view.total) and cents(view.tax) == round(cents(view.total) * 8 / 108)


def test_invoices_list_what_was_billed_and_add_up(db_url):
    with session_scope(db_url) as session:
        order_ids = (
            session.execute(
                select(Order.id).where(Order.status != "pending").order_by(Order.id).limit(40)
            )
            .scalars()
            .all()
        )
        assert len(order_ids) == 40, "the seed has fewer billed orders than this test reads"
        for order_id in order_ids:
            order, view = session.get(Order, order_id), invoice_view(session, order_id)
            assert view.number == f"INV-{order_id}" and adds_up(view)
            assert view.issued_on == order.placed_at.date()
            assert [line.quantity for line in view.lines] == [i.quantity for i in order.items]
            assert "_" not in view.payment_method


def test_invoice_lines_name_the_chosen_options(db_url):
    with session_scope(db_url) as session:
        order = session.get(Order, 100235)  # demo order, only read: shoes with a size
        view = invoice_view(session, "#100235")
        shoes = next(i for i in order.items if i.size)
        line = next(line for line in view.lines if line.description.startswith(shoes.product.name))
        assert line.description == f"{shoes.product.name} ({shoes.colour}, {shoes.size})"


def test_a_pending_order_has_no_invoice_yet_and_that_differs_from_no_order(db_url):
    with session_scope(db_url) as session:
        pending = (
            session.execute(select(Order.id).where(Order.status == "pending").order_by(Order.id))
            .scalars()
            .first()
        )
        assert invoice_view(session, pending) is None
        assert find_invoice(session, pending) == InvoiceLookup("pending", None)
        assert find_invoice(session, "999999") == InvoiceLookup(None, None)
        assert invoice_view(session, "999999") is None
        assert find_invoice(session, "not an order") == InvoiceLookup(None, None)


def test_the_invoice_follows_a_removed_line(db_url):
    with session_scope(db_url) as session:
        order = pick_order(session, "paid", several_lines)
        order_id, item = order.id, order.items[0]
        item_id, line_cents = item.id, item.quantity * item.unit_price_cents
        before = invoice_view(session, order_id)
    with session_scope(db_url) as session:
        assert cancel_item(session, order_id, item_id, "test").ok
    with session_scope(db_url) as session:
        after = find_invoice(session, order_id)
    assert after.order_status == "paid" and adds_up(after.invoice)
    assert len(after.invoice.lines) == len(before.lines) - 1
    assert cents(after.invoice.total) == cents(before.total) - line_cents
    assert after.invoice.shipping == before.shipping and after.invoice.number == before.number
