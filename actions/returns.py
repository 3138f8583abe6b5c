"""Returns and refunds: status of what the customer already sent back or was refunded."""

from __future__ import annotations

from typing import Any

from actions.orders import VerifiedOrderAnswer
from shopassist.generation import get_generator, phrase
from shopassist.generation.order_answers import return_status_request
from shopassist.store.returns import order_refunds


class ActionReturnStatus(VerifiedOrderAnswer):
    def name(self) -> str:
        return "action_return_status"

    def read(self, session, order_id: str) -> Any:
        return order_refunds(session, order_id)

    def reply(self, order_id: str, data: Any) -> str:
        return phrase(return_status_request(order_id, data), get_generator()).text
