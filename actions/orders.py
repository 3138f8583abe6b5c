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
from actions.identity import database_trouble, language_of, not_verified, verified_email
from actions.patience import RESET, gave_up, gave_up_text
from actions.verified import VerifiedOrderAnswer
from shopassist import clock
from shopassist.dialogue.intents import button
from shopassist.dialogue.next_steps import where_it_stands
from shopassist.formats import day
from shopassist.generation import get_generator, provenance
from shopassist.generation.empathy import opening_in, upset_situation
from shopassist.generation.order_answers import (
    late_delivery,
    order_card,
    order_status_reply,
    status_label,
    total_of,
)
from shopassist.language.messages import message, sentences
from shopassist.store.db import session_scope
from shopassist.store.orders import STATUS_LABELS, OrderSummary, order_facts, recent_orders

logger = logging.getLogger(__name__)
RECENT_ORDERS_SHOWN = 5
# The requests a status answer answers (an upset one is acknowledged in the answer).
STATUS_REQUESTS = ("order_status",)
# Situations an upset status request is about the wait in (tone.SITUATIONS).
WAITING = frozenset({"late", "lost", "other"})


class ActionOrderStatus(VerifiedOrderAnswer):
    """Tells the verified owner the status, carrier and tracking of the order."""

    def name(self) -> str:
        return "action_order_status"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return order_facts(session, order_id)

    def answer(
        self, dispatcher: CollectingDispatcher, order_id: str, data: Any, tracker: Tracker
    ) -> List[EventType]:
        language = language_of(tracker)
        today = clock.today()
        reply = order_status_reply(data, get_generator(), today, language)
        # A late parcel's owner is told what happens now and offered a person; so is an
        # upset customer ("this is ridiculous, my order is late"), after an acknowledgement,
        # with what the database says happens now even when the parcel isn't overdue.
        late, _ = late_delivery(data, today, language)
        situation = upset_situation(tracker, STATUS_REQUESTS)
        opening = opening_in(tracker, language, STATUS_REQUESTS)
        text, now = reply.text, ""
        if opening.text:
            # Upset about the wait (or nothing named): what the database says happens now.
            now = where_it_stands(data, today, language) if situation in WAITING else ""
            text = sentences([opening.text, text, now], language)
        web = {}
        if tracker.get_latest_input_channel() == "socketio":
            # One answer: the web chat draws the card in place of the text (the text stays
            # for the transcript and screen readers); the card keeps what the text says
            # beyond the facts. Rasa's socket.io channel emits a custom message's keys as
            # emit() arguments: "data" is what the web chat receives.
            note = sentences([opening.text, late, now], language)  # (empty parts dropped)
            web["json_message"] = {"data": {"order_card": order_card(data, language, note)}}
        dispatcher.utter_message(
            text=text,
            buttons=[button("human_handoff", language)] if late or opening.text else [],
            **web,
            **provenance.with_opening(provenance.of_reply(reply, "order"), opening),
        )
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
        language = language_of(tracker)
        if gave_up(tracker):
            dispatcher.utter_message(text=gave_up_text(tracker))
            return done + RESET
        email = verified_email(tracker)
        if tracker.get_slot("order_lookup_unavailable"):
            dispatcher.utter_message(text=message("identity.unavailable", language), role="error")
            return done + [SlotSet("order_lookup_unavailable", None)]
        if not email:
            dispatcher.utter_message(text=not_verified(tracker))
            return done
        try:
            with session_scope() as session:
                orders = recent_orders(session, email, limit=RECENT_ORDERS_SHOWN)
        except SQLAlchemyError as error:
            logger.exception("order database unavailable when listing orders")
            dispatcher.utter_message(text=database_trouble(error, language), role="error")
            return done
        if not orders:
            dispatcher.utter_message(text=message("orders.none", language))
            return done
        lines = [
            message(
                "orders.line",
                language,
                order_id=o.order_id,
                placed_on=day(o.placed_on, language),
                status=status_label(o.status, language, STATUS_LABELS.get(o.status, o.status)),
                total=total_of(o, language),
                items="; ".join(o.items),
            )
            for o in orders
        ]
        buttons = [
            {
                "title": f"#{o.order_id}",
                "payload": f'/order_status{{"order_id": "{o.order_id}"}}',
            }
            for o in orders
        ]
        web = {}
        if tracker.get_latest_input_channel() == "socketio":
            # The web chat draws the list in the text's place, each order a button.
            web["json_message"] = {"data": {"order_list": order_list(orders, language)}}
        dispatcher.utter_message(
            text="\n".join(
                [message("orders.intro", language), *lines, message("orders.which", language)]
            ),
            buttons=buttons,
            **web,
        )
        return done


def order_list(orders: List[OrderSummary], language: str) -> dict:
    """The recent orders as the web chat draws them: number, date, status and total of
    each (the buttons, in the same order, carry the picks)."""
    return {
        "intro": message("orders.intro", language),
        "prompt": message("orders.which", language),
        "orders": [
            {
                "number": f"#{o.order_id}",
                "placed_on": day(o.placed_on, language),
                "status": capitalised(
                    status_label(o.status, language, STATUS_LABELS.get(o.status, o.status))
                ),
                "total": total_of(o, language),
            }
            for o in orders
        ],
    }


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
