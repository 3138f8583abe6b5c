"""Payments and invoices: an order's invoice, and triage of payment problems."""

from __future__ import annotations

from typing import Any, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.authorship import authored
from actions.identity import language_of
from actions.verified import VerifiedOrderAnswer
from shopassist.dialogue.intents import button
from shopassist.formats import day
from shopassist.generation import provenance
from shopassist.generation.empathy import opening_in
from shopassist.generation.order_answers import refund_amount, status_label
from shopassist.language.messages import label, message, sentences
from shopassist.store import policy
from shopassist.store.invoices import WITH_INVOICE, find_invoice, invoice_of
from shopassist.store.orders import load_order
from shopassist.store.returns import WITH_REFUNDS, refunds_of

# The advice for each payment intent ("payment.<...>" in the message catalog).
PAYMENT_HELP = {"payment_declined": "payment.declined", "payment_pending": "payment.pending"}
HOLD_DAYS = policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS
# The request a payment check answers (an upset one is acknowledged in the answer).
CHARGE_REQUESTS = ("payment_charged_twice",)


class ActionPaymentHelp(Action):
    """Advice for a declined card or a pending charge: no order data involved."""

    def name(self) -> str:
        return "action_payment_help"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        key = PAYMENT_HELP.get(intent, PAYMENT_HELP["payment_declined"])
        dispatcher.utter_message(text=message(key, language_of(tracker), days=HOLD_DAYS))
        return []


class ActionSendInvoice(VerifiedOrderAnswer):
    def name(self) -> str:
        return "action_send_invoice"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        lookup = find_invoice(session, order_id, language_of(tracker))
        return None if lookup.order_status is None else lookup

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        language = language_of(tracker)
        invoice = data.invoice
        if invoice is None:
            dispatcher.utter_message(text=message("invoice.none", language, order_id=order_id))
            return []
        issued_on = day(invoice.issued_on, language)
        lines = [message("invoice.line", language, **line.__dict__) for line in invoice.lines]
        method = label("method", invoice.payment_method.replace(" ", "_"), language)
        total = message(
            "invoice.total", language, total=invoice.total, tax=invoice.tax, method=method
        )
        header = message(
            "invoice.header",
            language,
            number=invoice.number,
            order_id=order_id,
            issued_on=issued_on,
        )
        shipping = message("invoice.shipping", language, shipping=invoice.shipping)
        dispatcher.utter_message(text="\n".join([header, *lines, shipping, total]))
        return []


class ActionCheckPayment(VerifiedOrderAnswer):
    """ "Charged twice": what our records hold for the order, and what happens next."""

    def name(self) -> str:
        return "action_check_payment"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        order = load_order(session, order_id, *WITH_INVOICE, *WITH_REFUNDS)
        if order is None:
            return None
        return order.status, invoice_of(order, language_of(tracker)), refunds_of(order)

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        language = language_of(tracker)
        status, invoice, refunds = data
        # Charged twice and upset: the worry acknowledged, then what our records show and
        # what happens now (the help page's rule), and a person to talk to.
        opening = opening_in(tracker, language, CHARGE_REQUESTS)
        person = [button("human_handoff", language)] if opening.text else []
        written = provenance.with_opening(provenance.template(self.role), opening)
        if invoice is None:
            # English names the status by its code, as it always has.
            said = status if language == "en" else status_label(status, language)
            not_taken = message(
                "payment.not_taken", language, order_id=order_id, status=said, days=HOLD_DAYS
            )
            dispatcher.utter_message(
                text=sentences([opening.text, not_taken], language), buttons=person, **written
            )
            return []
        refunded = list(refunds.other_refunds) + [
            ret.refund for ret in refunds.returns if ret.refund
        ]
        amounts = ", ".join(
            message(
                "payment.refund",
                language,
                amount=refund_amount(r, language),
                state=label("refund_state", r.state, language),
            )
            for r in refunded
        )
        records = message(
            "payment.one_charge",
            language,
            order_id=order_id,
            total=invoice.total,
            issued_on=day(invoice.issued_on, language),
            number=invoice.number,
        )
        also = message("payment.also_refunded", language, refunds=amounts) if refunded else ""
        second = message("payment.second_charge", language, days=HOLD_DAYS)
        dispatcher.utter_message(
            text=sentences([opening.text, records, also, second], language),
            buttons=person,
            **written,
        )
        return []
