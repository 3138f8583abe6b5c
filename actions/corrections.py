"""Corrections ("no, I meant order 100235", "not that one, the other order") and the
question for the order number, which offers a proven customer their orders as buttons.

A correction restarts the request the customer made (order_request) for the order they
mean: action_correct_order clears the answers given about the order and sets `correcting`,
and the rules (data/rules/help.yml, repair.yml) run the identity check again, which proves
a newly named order is theirs before anything is shown. A corrected detail (a size, an
e-mail address) keeps the order and asks its questions again.
"""

from __future__ import annotations

import logging
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.confirm import FORM_ANSWERS
from actions.identity import language_of, verified_email
from actions.orders import RECENT_ORDERS_SHOWN
from shopassist.formats import day
from shopassist.store.db import session_scope
from shopassist.store.identifiers import normalise_order_id
from shopassist.store.orders import recent_orders

logger = logging.getLogger(__name__)

# Answers about the previous order that must not carry over to the one meant instead.
ORDER_ANSWERS = FORM_ANSWERS + ("pending_change", "change_offered")


# Entities that correct a detail of the same order ("not the L, the XL"; another e-mail
# address for the identity check): the order stays, its questions are asked again.
DETAIL_ENTITIES = frozenset({"product", "category", "colour", "size", "quantity", "email"})


def order_in_message(tracker: Tracker) -> Optional[str]:
    numbers = map(normalise_order_id, tracker.get_latest_entity_values("order_id"))
    return next((number for number in numbers if number), None)


def corrects_a_detail(tracker: Tracker) -> bool:
    return any(
        next(tracker.get_latest_entity_values(kind), None) is not None for kind in DETAIL_ENTITIES
    )


class ActionCorrectOrder(Action):
    def name(self) -> str:
        return "action_correct_order"

    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        meant = order_in_message(tracker)
        in_focus = tracker.get_slot("order_id") or tracker.get_slot("verified_order")
        if meant is None and not in_focus:
            # Nothing about an order to correct: ask what they meant.
            dispatcher.utter_message(response="utter_correction")
            return [SlotSet("correcting", "unclear")]
        reset = [SlotSet(slot, None) for slot in ORDER_ANSWERS]
        if meant:
            dispatcher.utter_message(response="utter_correction_order", order_id=meant)
            return reset + [SlotSet("order_id", meant), SlotSet("correcting", "order")]
        if corrects_a_detail(tracker):
            dispatcher.utter_message(response="utter_correction_again")
            return reset + [SlotSet("correcting", "order")]
        # "The other one": the identity check asks which (action_ask_order_id).
        dispatcher.utter_message(response="utter_correction_which_order")
        return reset + [SlotSet("order_id", None), SlotSet("correcting", "order")]


class ActionAskOrderId(Action):
    """The identity check's question for the order number (asked instead of
    utter_ask_order_id): a customer proven in this conversation picks from their orders."""

    def name(self) -> str:
        return "action_ask_order_id"

    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        email = verified_email(tracker)
        # After "not that one", the order just corrected is not offered again.
        just_corrected = ((tracker.latest_message or {}).get("intent") or {}).get(
            "name"
        ) == "correction"
        corrected = tracker.get_slot("verified_order") if just_corrected else None
        orders = []
        if email:
            try:
                with session_scope() as session:
                    orders = recent_orders(session, email, limit=RECENT_ORDERS_SHOWN + 1)
            except SQLAlchemyError:
                logger.exception("order database unavailable when offering orders to pick")
        orders = [o for o in orders if o.order_id != corrected][:RECENT_ORDERS_SHOWN]
        if not orders:
            dispatcher.utter_message(response="utter_ask_order_id")
            return []
        buttons = [
            {
                "title": f"#{o.order_id} ({day(o.placed_on, language_of(tracker))})",
                "payload": f'/inform{{"order_id": "{o.order_id}"}}',
            }
            for o in orders
        ]
        dispatcher.utter_message(response="utter_ask_order_id_pick", buttons=buttons)
        return []
