"""Invoices and payment problems, for the verified owner only."""

from actions.payments import ActionCheckPayment, ActionPaymentHelp, ActionSendInvoice
from shopassist.store.db import session_scope
from shopassist.store.invoices import invoice_view
from tests.actions_kit import make_tracker, run, verified


def test_invoice_is_read_from_the_database(use_db, db_url):
    with session_scope(db_url) as session:
        invoice = invoice_view(session, "100235")
    result = run(ActionSendInvoice(), make_tracker(verified("100235", db_url)))
    assert invoice.number in result.text and invoice.total in result.text
    assert len(invoice.lines) == 2  # the speakers and the shoes
    assert all(line.description in result.text for line in invoice.lines)


def test_a_pending_order_has_no_invoice_yet(use_db, db_url):
    result = run(ActionSendInvoice(), make_tracker(verified("100311", db_url)))
    assert "no invoice yet" in result.text


def test_no_invoice_without_verification(use_db, db_url):
    with session_scope(db_url) as session:
        invoice = invoice_view(session, "100235")
    result = run(ActionSendInvoice(), make_tracker({"order_id": "100235"}))
    assert "couldn't verify" in result.text and invoice.number not in result.text


def test_double_charge_check_reports_the_one_payment(use_db, db_url):
    with session_scope(db_url) as session:
        invoice = invoice_view(session, "100234")
    result = run(ActionCheckPayment(), make_tracker(verified("100234", db_url)))
    assert "one payment" in result.text and invoice.total in result.text
    assert "business days" in result.text


def test_payment_advice_follows_the_intent():
    declined = run(ActionPaymentHelp(), make_tracker(intent="payment_declined"))
    pending = run(ActionPaymentHelp(), make_tracker(intent="payment_pending"))
    assert "declined" in declined.text and "hold" in pending.text
