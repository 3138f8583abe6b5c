"""Order look-ups: the identity check form and the order status answer."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from shopassist.generation import get_generator
from shopassist.generation.order_answers import order_status_reply
from shopassist.store.db import session_scope
from shopassist.store.identifiers import normalise_email, normalise_order_id
from shopassist.store.orders import order_facts, verify_owner

logger = logging.getLogger(__name__)

MAX_IDENTITY_FAILURES = 3
UNAVAILABLE = (
    "Sorry, I can't reach our order system right now. Please try again in a few minutes; "
    "nothing about your order has changed."
)


NOT_VERIFIED = (
    "I'm sorry, I couldn't verify that order, so for your security I can't share its "
    "details or change it. Please check the order number and e-mail address in your order "
    "confirmation, or ask our customer service team for help."
)


def _failures(tracker: Tracker) -> int:
    return int(tracker.get_slot("identity_failures") or 0)


def verified_order_id(tracker: Tracker) -> str | None:
    """The order the customer proved is theirs and is talking about, else None."""
    order_id = tracker.get_slot("order_id")
    if order_id and tracker.get_slot("verified_order") == order_id:
        return order_id
    return None


class ValidateOrderLookupForm(FormValidationAction):
    """Checks the shape of the order number and e-mail, then that they belong together."""

    def name(self) -> str:
        return "validate_order_lookup_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        # No more questions once the check failed too often or cannot run: the form ends
        # and action_order_status explains why.
        if _failures(tracker) >= MAX_IDENTITY_FAILURES or tracker.get_slot(
            "order_lookup_unavailable"
        ):
            return []
        return domain_slots

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        number = normalise_order_id(_last(value))
        if number is None:
            dispatcher.utter_message(
                text="That doesn't look like an order number. It has six digits, like 100234."
            )
        return {"order_id": number}

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        address = normalise_email(_last(value))
        if address is None:
            dispatcher.utter_message(
                text="That doesn't look like an e-mail address. "
                "It should look like name@example.com."
            )
        return {"email": address}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        order_id, email = tracker.get_slot("order_id"), tracker.get_slot("email")
        if not order_id or not email or tracker.get_slot("verified_order") == order_id:
            return events
        try:
            with session_scope() as session:
                owned = verify_owner(session, order_id, email)
        except SQLAlchemyError:
            logger.exception("order database unavailable during the identity check")
            return events + [SlotSet("order_lookup_unavailable", True)]
        if owned:
            return events + [SlotSet("verified_order", order_id)]
        failures = _failures(tracker) + 1
        if failures < MAX_IDENTITY_FAILURES:
            # Same words whether the order or the address is unknown: nothing to probe.
            dispatcher.utter_message(
                text="I couldn't match that order number with that e-mail address. "
                "Let's try again: please check both against your order confirmation."
            )
        return events + [
            SlotSet("identity_failures", float(failures)),
            SlotSet("order_id", None),
            SlotSet("email", None),
        ]


class VerifiedOrderAnswer(Action, ABC):
    """Answers about the verified order from the database, or says why it cannot.

    Subclasses say what to read (`read`) and how to answer (`answer`); the identity rule and
    the degradation when the database is down live here, once. `failure_events` are added
    to every path on which no answer could be given.
    """

    failure_events: List[EventType] = []

    # Abstract, so that rasa-sdk's executor does not register this base as an action.
    @abstractmethod
    def read(self, session, order_id: str) -> Any:
        """What to read about the order; None if it does not exist."""

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, order_id: str, data: Any) -> List[EventType]:
        """Sends the answer, from what `read` returned, and returns the events to apply."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        failed = list(self.failure_events)
        if tracker.get_slot("order_lookup_unavailable"):
            dispatcher.utter_message(text=UNAVAILABLE)
            return failed + [SlotSet("order_lookup_unavailable", None)]
        order_id = verified_order_id(tracker)
        if order_id is None:
            dispatcher.utter_message(text=NOT_VERIFIED)
            return failed + [SlotSet("order_id", None)]
        try:
            with session_scope() as session:
                data = self.read(session, order_id)
        except SQLAlchemyError:
            logger.exception("order database unavailable in %s", self.name())
            dispatcher.utter_message(text=UNAVAILABLE)
            return failed
        if data is None:  # verified a moment ago, so only a deleted order lands here
            dispatcher.utter_message(text=UNAVAILABLE)
            return failed
        return self.answer(dispatcher, order_id, data)


class ActionOrderStatus(VerifiedOrderAnswer):
    """Tells the verified owner the status, carrier and tracking of the order."""

    def name(self) -> str:
        return "action_order_status"

    def read(self, session, order_id: str) -> Any:
        return order_facts(session, order_id)

    def answer(self, dispatcher: CollectingDispatcher, order_id: str, data: Any) -> List[EventType]:
        dispatcher.utter_message(text=order_status_reply(data, get_generator()).text)
        return []


def _last(value: Any) -> Any | None:
    """Slots filled from several entities hold a list; the customer's last word counts."""
    if isinstance(value, list):
        return value[-1] if value else None
    return value
