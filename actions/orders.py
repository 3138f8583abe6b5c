"""Order look-ups: status and tracking of one order, and the customer's recent orders."""

from __future__ import annotations

import logging
from typing import Any, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.identity import UNAVAILABLE, database_trouble, not_verified, verified_email
from actions.patience import GAVE_UP, RESET, gave_up
from actions.verified import VerifiedOrderAnswer
from shopassist import clock
from shopassist.dialogue.intents import button
from shopassist.formats import day
from shopassist.generation import get_generator, provenance
from shopassist.generation.empathy import acknowledge_in
from shopassist.generation.order_answers import late_delivery, order_card, order_status_reply
from shopassist.store.db import session_scope
from shopassist.store.orders import STATUS_LABELS, order_facts, recent_orders

logger = logging.getLogger(__name__)
RECENT_ORDERS_SHOWN = 5


class ActionOrderStatus(VerifiedOrderAnswer):
    """Tells the verified owner the status, carrier and tracking of the order."""

    def name(self) -> str:
        return "action_order_status"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return order_facts(session, order_id)

    def answer(
        self, dispatcher: CollectingDispatcher, order_id: str, data: Any, tracker: Tracker
    ) -> List[EventType]:
        reply = order_status_reply(data, get_generator())
        # A late parcel's owner is told what happens now and offered a person.
        late, _ = late_delivery(data, clock.today())
        dispatcher.utter_message(
            text=acknowledge_in(reply.text, tracker),
            buttons=[button("human_handoff")] if late else [],
            **provenance.of_reply(reply, "order"),
        )
        if tracker.get_latest_input_channel() == "socketio":
            # Rasa's socket.io channel emits a custom message's keys as emit() arguments:
            # "data" is what the web chat receives.
            dispatcher.utter_message(json_message={"data": {"order_card": order_card(data)}})
        return []


class ActionListOrders(Action):
    """The proven customer's recent orders, each a button that asks for its status."""

    def name(self) -> str:
        return "action_list_orders"

    @authored("order")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done = [SlotSet("order_request", "status")]  # a pick from the list asks for status
        if gave_up(tracker):
            dispatcher.utter_message(text=GAVE_UP)
            return done + RESET
        email = verified_email(tracker)
        if tracker.get_slot("order_lookup_unavailable"):
            dispatcher.utter_message(text=UNAVAILABLE, role="error")
            return done + [SlotSet("order_lookup_unavailable", None)]
        if not email:
            dispatcher.utter_message(text=not_verified(tracker))
            return done
        try:
            with session_scope() as session:
                orders = recent_orders(session, email, limit=RECENT_ORDERS_SHOWN)
        except SQLAlchemyError as error:
            logger.exception("order database unavailable when listing orders")
            dispatcher.utter_message(text=database_trouble(error), role="error")
            return done
        if not orders:
            dispatcher.utter_message(text="I can't find any orders for you.")
            return done
        lines = [
            f"#{o.order_id} from {day(o.placed_on)}: {STATUS_LABELS.get(o.status, o.status)}, "
            f"{o.total} ({'; '.join(o.items)})"
            for o in orders
        ]
        buttons = [
            {
                "title": f"#{o.order_id}",
                "payload": f'/order_status{{"order_id": "{o.order_id}"}}',
            }
            for o in orders
        ]
        dispatcher.utter_message(
            text="Your most recent orders:\n"
            + "\n".join(lines)
            + "\nWhich one would you like to look at?",
            buttons=buttons,
        )
        return done
