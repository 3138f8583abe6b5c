"""Returns and refunds: status of what the customer already sent back or was refunded."""

from __future__ import annotations

from typing import Any, List

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.orders import VerifiedOrderAnswer
from shopassist.generation import get_generator, phrase
from shopassist.generation.order_answers import return_status_request
from shopassist.store.returns import order_refunds


class ActionReturnStatus(VerifiedOrderAnswer):
    def name(self) -> str:
        return "action_return_status"

    def read(self, session, order_id: str) -> Any:
        return order_refunds(session, order_id)

    def answer(self, dispatcher: CollectingDispatcher, order_id: str, data: Any) -> List[EventType]:
        reply = phrase(return_status_request(order_id, data), get_generator())
        dispatcher.utter_message(text=reply.text)
        return []
