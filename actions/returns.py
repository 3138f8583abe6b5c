"""Returns and refunds: status of what the customer already sent back or was refunded."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.orders import NOT_VERIFIED, UNAVAILABLE, verified_order_id
from shopassist.generation import get_generator, phrase
from shopassist.generation.order_answers import return_status_request
from shopassist.store.db import session_scope
from shopassist.store.returns import order_refunds

logger = logging.getLogger(__name__)


class ActionReturnStatus(Action):
    def name(self) -> str:
        return "action_return_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("order_lookup_unavailable"):
            dispatcher.utter_message(text=UNAVAILABLE)
            return [SlotSet("order_lookup_unavailable", None)]
        order_id = verified_order_id(tracker)
        if order_id is None:
            dispatcher.utter_message(text=NOT_VERIFIED)
            return [SlotSet("order_id", None)]
        try:
            with session_scope() as session:
                refunds = order_refunds(session, order_id)
        except SQLAlchemyError:
            logger.exception("order database unavailable for return status")
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        if refunds is None:
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        reply = phrase(return_status_request(order_id, refunds), get_generator())
        dispatcher.utter_message(text=reply.text)
        return []
