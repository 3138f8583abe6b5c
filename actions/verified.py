"""The shared shape of every answer about a verified order: identity first, then the database."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.identity import database_trouble, language_of, not_verified, verified_order_id
from actions.patience import RESET, gave_up, gave_up_text
from shopassist.language.messages import message
from shopassist.store.db import session_scope

logger = logging.getLogger(__name__)


class VerifiedOrderAnswer(Action, ABC):
    """Answers about the verified order from the database, or says why it cannot.

    Subclasses say what to read (`read`) and how to answer (`answer`, which may also ask a
    follow-up question); the identity rule and the degradation when the database is down or
    busy live here, once. `failure_events` are added to every path that gave no answer.
    """

    failure_events: List[EventType] = []
    role = "order"  # what its messages are for (actions/authorship.py)

    # Abstract, so that rasa-sdk's executor does not register this base as an action.
    @abstractmethod
    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        """What to read about the order; None if it does not exist."""

    @abstractmethod
    def answer(
        self, dispatcher: CollectingDispatcher, order_id: str, data: Any, tracker: Tracker
    ) -> List[EventType]:
        """Sends the answer, from what `read` returned, and returns the events to apply."""

    @authored()
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        failed = list(self.failure_events)
        language = language_of(tracker)
        if gave_up(tracker):  # the form before this stopped asking (actions/patience.py)
            dispatcher.utter_message(text=gave_up_text(tracker))
            return failed + RESET
        if tracker.get_slot("order_lookup_unavailable"):
            dispatcher.utter_message(text=message("identity.unavailable", language), role="error")
            return failed + [SlotSet("order_lookup_unavailable", None)]
        order_id = verified_order_id(tracker)
        if order_id is None:
            dispatcher.utter_message(text=not_verified(tracker))
            return failed + [SlotSet("order_id", None)]
        try:
            with session_scope() as session:
                data = self.read(session, order_id, tracker)
        except SQLAlchemyError as error:
            logger.exception("order database unavailable in %s", self.name())
            dispatcher.utter_message(text=database_trouble(error, language), role="error")
            return failed
        if data is None:  # verified a moment ago, so only a deleted order lands here
            dispatcher.utter_message(text=message("identity.unavailable", language), role="error")
            return failed
        return self.answer(dispatcher, order_id, data, tracker)
