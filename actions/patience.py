"""Giving up gracefully: a form stops asking after the same question failed three times.

Every form's validator counts answers it could not use (`form_misses`, reset by a usable
one); at MAX_MISSES it sets `form_gave_up`, the form's required slots become empty, and the
action after the form says so and changes nothing (VerifiedOrderAnswer.run), instead of
asking the same question for ever.
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.authorship import authored
from shopassist.language.messages import message
from shopassist.language.turns import conversation_language_of

MAX_MISSES = 3
GAVE_UP = message("patience.gave_up")  # in English; gave_up_text() in the conversation's
RESET = [SlotSet("form_misses", 0.0), SlotSet("form_gave_up", None)]


def gave_up(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("form_gave_up"))


def gave_up_text(tracker: Tracker) -> str:
    return message("patience.gave_up", conversation_language_of(tracker.events))


class CountsMisses:
    """Mix into a FormValidationAction (before it) to count unusable answers."""

    # Here, so every form validator's messages (sent from rasa-sdk's FormValidationAction.run
    # and the validate_ methods it calls) record what wrote them.
    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return await super().run(dispatcher, tracker, domain)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answered = [
            name
            for name in tracker.slots_to_validate()
            if name not in ("form_misses", "form_gave_up")
        ]
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if not answered:
            return events
        validated = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        if any(validated.get(name, tracker.get_slot(name)) is not None for name in answered):
            return events + (
                [SlotSet("form_misses", 0.0)] if tracker.get_slot("form_misses") else []
            )
        misses = float(tracker.get_slot("form_misses") or 0) + 1
        events.append(SlotSet("form_misses", misses))
        if misses >= MAX_MISSES:
            events.append(SlotSet("form_gave_up", True))
        return events
