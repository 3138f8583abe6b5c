"""Cancelling an order: explain the fee, offer what the policy allows, cancel on "yes"."""

from __future__ import annotations

import logging
from typing import Any, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.orders import NOT_VERIFIED, UNAVAILABLE, VerifiedOrderAnswer, verified_order_id
from shopassist.store import policy
from shopassist.store.changes import cancel_order
from shopassist.store.db import session_scope
from shopassist.store.orders import format_money, order_facts

logger = logging.getLogger(__name__)

REFUSALS = {
    "already_shipped": "Order #{order_id} has already shipped, so it can't be cancelled any "
    "more. Once it arrives you can return it within {days} days of delivery.",
    "already_cancelled": "Order #{order_id} is already cancelled; nothing more to do.",
}


class ActionExplainCancellationFee(Action):
    def name(self) -> str:
        return "action_explain_cancellation_fee"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(
            text="Cancelling is free while your order is pending or paid. Once it has been "
            f"packed, cancelling costs {format_money(policy.CANCELLATION_FEE_PACKED_CENTS)} "
            "for repacking. Once it has shipped it can't be cancelled, but you can return it "
            f"within {policy.RETURN_WINDOW_DAYS} days of delivery."
        )
        return []


class ActionOfferCancellation(VerifiedOrderAnswer):
    """After the identity check: says whether and at what fee the order can be cancelled."""

    failure_events = [SlotSet("cancellation_offered", False)]

    def name(self) -> str:
        return "action_offer_cancellation"

    def read(self, session, order_id: str) -> Any:
        return order_facts(session, order_id)

    def answer(self, dispatcher: CollectingDispatcher, order_id: str, data: Any) -> List[EventType]:
        decision = policy.cancellation(data.status)
        if not decision.allowed:
            dispatcher.utter_message(
                text=REFUSALS[decision.reason].format(
                    order_id=order_id, days=policy.RETURN_WINDOW_DAYS
                )
            )
            return list(self.failure_events)
        fee = (
            f"Because it has already been packed, cancelling costs "
            f"{format_money(decision.fee_cents)}, taken from your refund."
            if decision.fee_cents
            else "Cancelling it is free."
        )
        dispatcher.utter_message(
            text=f"Order #{order_id} ({'; '.join(data.items)}, total {data.total}) can "
            f"still be cancelled. {fee} Shall I cancel it?"
        )
        return [SlotSet("cancellation_offered", True)]


class ActionCancelOrder(Action):
    """Cancels the verified order after the customer said yes."""

    def name(self) -> str:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done = [SlotSet("cancellation_offered", None)]
        order_id = verified_order_id(tracker)
        if order_id is None:
            dispatcher.utter_message(text=NOT_VERIFIED)
            return done
        try:
            with session_scope() as session:
                outcome = cancel_order(session, order_id, actor=f"assistant:{tracker.sender_id}")
        except SQLAlchemyError:
            logger.exception("order database unavailable when cancelling")
            dispatcher.utter_message(text=UNAVAILABLE)
            return done
        if not outcome.ok:
            # The order moved on between the offer and the "yes" (e.g. it shipped).
            dispatcher.utter_message(
                text=REFUSALS.get(outcome.reason, UNAVAILABLE).format(
                    order_id=order_id, days=policy.RETURN_WINDOW_DAYS
                )
            )
            return done
        refund = (
            f" You'll get {format_money(outcome.refund_cents)} back on your original payment "
            "method."
            if outcome.refund_cents
            else ""
        )
        dispatcher.utter_message(text=f"Done: order #{order_id} is cancelled.{refund}")
        return done
