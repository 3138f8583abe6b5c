"""Identity before disclosure: the order number with its e-mail, or a signed customer token.

`verified_email` holds the customer proven in this conversation (a token from a logged-in
page, or an e-mail that matched one of their orders); `verified_order` the order in focus
that they proved is theirs; `identity_stamp` this action server's signature over both
(shopassist.auth.stamps). Slots arrive from whoever calls, so every action reads them only
through `verified_email` and `verified_order_id`, which believe them with a matching stamp.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.patience import CountsMisses, gave_up
from shopassist.auth import stamps
from shopassist.auth.client import client_key
from shopassist.auth.customer_token import email_from_metadata
from shopassist.language.messages import message
from shopassist.language.turns import conversation_language_of
from shopassist.store import identity as checks
from shopassist.store.db import is_busy, session_scope
from shopassist.store.identifiers import normalise_email, normalise_order_id

logger = logging.getLogger(__name__)

MAX_IDENTITY_FAILURES = 3  # per check in this conversation; store.identity limits across them
# The English texts (the catalog has them in every served language, shopassist.language).
UNAVAILABLE = message("identity.unavailable")
BUSY = message("identity.busy")
NOT_VERIFIED = message("identity.not_verified")
# For both refusals (shopassist.store.identity): this client guessed too often (up to an
# hour), or this number or address was guessed at from elsewhere (minutes). A signed-in
# customer is never refused, so the message points there.
LOCKED = message("identity.locked")
MISMATCH = message("identity.mismatch")


def language_of(tracker: Tracker) -> str:
    """The conversation's language, which every text an action writes is in."""
    return conversation_language_of(tracker.events)


def database_trouble(error: SQLAlchemyError, language: str = "en") -> str:
    """The apology for a database error: busy (try again soon) or unreachable."""
    return message("identity.busy" if is_busy(error) else "identity.unavailable", language)


def not_verified(tracker: Tracker) -> str:
    """Why nothing can be shown: checks paused after too many failures, or no proof."""
    key = "identity.locked" if locked(tracker) else "identity.not_verified"
    return message(key, language_of(tracker))


def locked(tracker: Tracker) -> bool:
    """Checks are paused for this conversation, unless the customer is proven since (a
    signed-in customer is never locked out)."""
    return bool(tracker.get_slot("identity_locked")) and verified_email(tracker) is None


def failures(tracker: Tracker) -> int:
    return int(tracker.get_slot("identity_failures") or 0)


STAMP = "identity_stamp"


def _stamped(tracker: Tracker) -> bool:
    return stamps.valid(
        tracker.get_slot(STAMP),
        stamps.holder(tracker.sender_id, client_of(tracker)),
        tracker.get_slot("verified_email"),
        tracker.get_slot("verified_order"),
    )


def verified_email(tracker: Tracker) -> Optional[str]:
    """The customer proven in this conversation, else None (also for a forged slot)."""
    email = tracker.get_slot("verified_email")
    return email if email and _stamped(tracker) else None


def verified_order_id(tracker: Tracker) -> Optional[str]:
    """The order the customer proved is theirs and is talking about, else None."""
    order_id = tracker.get_slot("order_id")
    if order_id and tracker.get_slot("verified_order") == order_id and _stamped(tracker):
        return order_id
    return None


def proven(tracker: Tracker, email: str, order_id: Optional[str]) -> List[EventType]:
    """The slots saying this conversation proved `email` (and `order_id`), with their stamp."""
    return [
        SlotSet("verified_email", email),
        SlotSet("verified_order", order_id),
        SlotSet(
            STAMP,
            stamps.issue(stamps.holder(tracker.sender_id, client_of(tracker)), email, order_id),
        ),
    ]


def token_events(tracker: Tracker) -> List[EventType]:
    """Slots for a customer whose logged-in page sent a valid token with this message."""
    email = email_from_metadata((tracker.latest_message or {}).get("metadata"))
    if email is None or verified_email(tracker) == email:
        return []
    # A different customer than before: nothing proven for the old one carries over.
    return [SlotSet("email", email), SlotSet("identity_locked", None)] + proven(
        tracker, email, None
    )


def conversation_key(tracker: Tracker) -> str:
    return (tracker.sender_id or "unknown")[:80]


def client_of(tracker: Tracker) -> str:
    metadata = (tracker.latest_message or {}).get("metadata")
    return client_key(metadata, conversation_key(tracker))


def valid_or_told(
    slot: str, normalise, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> Dict[str, Any]:
    """The slot's value normalised, or None after telling the customer it isn't valid.

    The slot keeps the last entity of its name; if the entity model also tagged a stray
    word ("I'm" -> "m"), the message's valid one counts."""
    valid = last_valid(value, normalise) or last_valid(
        list(tracker.get_latest_entity_values(slot)), normalise
    )
    if valid is None:
        dispatcher.utter_message(text=message(f"identity.bad_{slot}", language_of(tracker)))
    return {slot: valid}


class ValidateOrderLookupForm(CountsMisses, FormValidationAction):
    """Checks the shape of the order number and e-mail, then that they belong together."""

    def name(self) -> str:
        return "validate_order_lookup_form"

    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = token_events(tracker)
        tracker.add_slots(events)
        return events + await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        # No more questions once the check failed too often or cannot run: the form ends
        # and the next action explains why.
        if (
            gave_up(tracker)
            or failures(tracker) >= MAX_IDENTITY_FAILURES
            or tracker.get_slot("order_lookup_unavailable")
            or locked(tracker)
        ):
            return []
        if verified_email(tracker):
            # Proven already: the e-mail is known, and a list of orders needs no number.
            if tracker.get_slot("order_request") == "list":
                return []
            return [slot for slot in domain_slots if slot != "email"]
        return domain_slots

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return valid_or_told("order_id", normalise_order_id, value, dispatcher, tracker)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return valid_or_told("email", normalise_email, value, dispatcher, tracker)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        order_id = tracker.get_slot("order_id")
        proven_email = verified_email(tracker)
        email = proven_email or tracker.get_slot("email")
        if not order_id or not email or verified_order_id(tracker) == order_id:
            return events
        try:
            with session_scope() as session:
                verdict = checks.check_identity(
                    session,
                    order_id,
                    email,
                    conversation_key(tracker),
                    client=client_of(tracker),
                    email_proven=proven_email is not None,
                )
        except SQLAlchemyError:
            logger.exception("order database unavailable during the identity check")
            return events + [SlotSet("order_lookup_unavailable", True)]
        if verdict == checks.VERIFIED:
            return events + proven(tracker, email, order_id)
        if verdict in (checks.LOCKED, checks.SLOW_DOWN):
            return events + [SlotSet("identity_locked", True), SlotSet("order_id", None)]
        count = failures(tracker) + 1
        if count < MAX_IDENTITY_FAILURES:
            # Same words whether the order or the address is unknown: nothing to probe.
            dispatcher.utter_message(text=message("identity.mismatch", language_of(tracker)))
        keep_email = verified_email(tracker)  # proven before: only the number was wrong
        return events + [
            SlotSet("identity_failures", float(count)),
            SlotSet("order_id", None),
            SlotSet("email", keep_email),
        ]


def last(value: Any) -> Any:
    """Slots filled from several entities hold a list; the customer's last word counts."""
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def last_valid(value: Any, normalise) -> Any:
    """The last of the values that `normalise` accepts (the regex's 100234 over a stray
    token the entity model also tagged); None if none is valid."""
    values = value if isinstance(value, list) else [value]
    for candidate in reversed(values):
        normalised = normalise(candidate)
        if normalised is not None:
            return normalised
    return None
