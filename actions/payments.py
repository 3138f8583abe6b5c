"""Payments and invoices: an order's invoice, and triage of payment problems."""

from __future__ import annotations

from typing import Any, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.authorship import authored
from actions.verified import VerifiedOrderAnswer
from shopassist.formats import day
from shopassist.store import policy
from shopassist.store.invoices import WITH_INVOICE, find_invoice, invoice_of
from shopassist.store.orders import load_order
from shopassist.store.returns import WITH_REFUNDS, refunds_of

PAYMENT_HELP = {
    "payment_declined": (
        "Sorry your payment didn't go through. Most declines come from the bank: please check "
        "the card number, expiry date, security code and billing address, and that the card "
        "allows online payments. You can also pay with PayPal, Apple Pay or a gift card. No "
        "order is placed and nothing is charged while a payment is declined."
    ),
    "payment_pending": (
        "A pending charge is a hold your bank places when you order; it is not a payment yet. "
        "When the order is paid it turns into one charge, and if the order was cancelled or "
        "the payment failed, the bank releases the hold within "
        f"{policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS} business days. If you give me the order "
        "number I can check the order for you."
    ),
}


class ActionPaymentHelp(Action):
    """Advice for a declined card or a pending charge: no order data involved."""

    def name(self) -> str:
        return "action_payment_help"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        dispatcher.utter_message(text=PAYMENT_HELP.get(intent, PAYMENT_HELP["payment_declined"]))
        return []


class ActionSendInvoice(VerifiedOrderAnswer):
    def name(self) -> str:
        return "action_send_invoice"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        lookup = find_invoice(session, order_id)
        return None if lookup.order_status is None else lookup

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        invoice = data.invoice
        if invoice is None:
            dispatcher.utter_message(
                text=f"Order #{order_id} has no invoice yet: we issue it when the payment is "
                "taken. Once it is, ask me again."
            )
            return []
        lines = [f"- {line.quantity} x {line.description}: {line.amount}" for line in invoice.lines]
        dispatcher.utter_message(
            text=f"Invoice {invoice.number} for order #{order_id}, issued "
            f"{day(invoice.issued_on)}:\n"
            + "\n".join(lines)
            + f"\nShipping: {invoice.shipping}\nTotal: {invoice.total} (including tax "
            f"{invoice.tax}), paid by {invoice.payment_method.replace('_', ' ')}."
        )
        return []


class ActionCheckPayment(VerifiedOrderAnswer):
    """ "Charged twice": what our records hold for the order, and what happens next."""

    def name(self) -> str:
        return "action_check_payment"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        order = load_order(session, order_id, *WITH_INVOICE, *WITH_REFUNDS)
        if order is None:
            return None
        return order.status, invoice_of(order), refunds_of(order)

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        status, invoice, refunds = data
        if invoice is None:
            dispatcher.utter_message(
                text=f"We haven't taken any payment for order #{order_id} yet ({status}). "
                "What you see is a hold by your bank, released within "
                f"{policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS} business days if the order isn't "
                "paid."
            )
            return []
        refunded = list(refunds.other_refunds) + [
            ret.refund for ret in refunds.returns if ret.refund
        ]
        refund_note = (
            " We have also refunded " + ", ".join(f"{r.amount} ({r.state})" for r in refunded) + "."
            if refunded
            else ""
        )
        dispatcher.utter_message(
            text=f"Our records show one payment for order #{order_id}: {invoice.total} on "
            f"{day(invoice.issued_on)} (invoice {invoice.number}).{refund_note} A second "
            "charge of the same amount is usually a hold by your bank that it releases within "
            f"{policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS} business days. If it is still there "
            "after that, our customer service team will refund it: please send them your "
            "bank statement."
        )
        return []
