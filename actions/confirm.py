"""Confirmation before any change: an offer action describes the change and asks "shall I?";
`action_apply_change` carries it out only on the customer's "yes" to that very question."""

from __future__ import annotations

import hashlib
import logging
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.identity import NOT_VERIFIED, database_trouble, verified_order_id
from shopassist import clock
from shopassist.dialogue.replies import refusal
from shopassist.formats import money
from shopassist.store import policy
from shopassist.store.change_requests import ChangeRequest, apply
from shopassist.store.changes import Outcome
from shopassist.store.db import session_scope

logger = logging.getLogger(__name__)

OFFER_ACTIONS = frozenset(
    {
        "action_offer_cancellation",
        "action_offer_item_cancellation",
        "action_offer_item_change",
        "action_offer_address_change",
        "action_offer_return",
    }
)
ASK_AGAIN = "Sorry, I need a clear yes or no before I change anything. Let me ask again."
LOST_TRACK = (
    "Sorry, I've lost track of what you were agreeing to, so I haven't changed anything. "
    "What would you like me to do?"
)


def request_key(tracker: Tracker, kind: str) -> str:
    """Names one offer: the same "yes" retried (a resent message) changes things once."""
    turn = sum(1 for event in tracker.events if event.get("event") == "user")
    raw = f"{tracker.sender_id}|{kind}|{turn}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


# Answers collected by the follow-up forms: cleared once an offer is made (or cannot be),
# so that the next request asks afresh instead of reusing an old answer.
FORM_ANSWERS = (
    "item_choice",
    "item_change",
    "return_items",
    "return_reason",
    "return_condition",
    "new_address",
)
CLEAR_ANSWERS = [SlotSet(slot, None) for slot in FORM_ANSWERS]


def offer(
    dispatcher: CollectingDispatcher, question: str, request: ChangeRequest
) -> List[EventType]:
    """Asks the customer to confirm `request` and remembers it for their answer."""
    dispatcher.utter_message(
        text=question,
        buttons=[
            {"title": "Yes, go ahead", "payload": "/affirm"},
            {"title": "No, leave it", "payload": "/deny"},
        ],
    )
    return CLEAR_ANSWERS + [
        SlotSet("pending_change", request.to_json()),
        SlotSet("change_offered", True),
    ]


NOT_OFFERED = CLEAR_ANSWERS + [SlotSet("change_offered", False), SlotSet("pending_change", None)]


def _last_bot_action(tracker: Tracker) -> Optional[str]:
    """The action that ran before the customer's latest message (listening aside)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name != "action_listen":
                return name
    return None


def refund_sentence(outcome: Outcome) -> str:
    if not outcome.refund_cents:
        return ""
    return f" You'll get {money(outcome.refund_cents)} back on your original payment method."


def done_message(request: ChangeRequest, outcome: Outcome) -> str:
    order = request.order_id
    p = request.params
    if request.kind == "cancel_order" or outcome.reason == "whole_order":
        return f"Done: order #{order} is cancelled.{refund_sentence(outcome)}"
    if request.kind == "cancel_item":
        label = p.get("label", "the item")
        return f"Done: I removed {label} from order #{order}.{refund_sentence(outcome)}"
    if request.kind == "change_item":
        after = p.get("after", "the change you asked for")
        return f"Done: order #{order} now has {after}.{refund_sentence(outcome)}"
    if request.kind == "change_address":
        return f"Done: order #{order} will ship to {p.get('label')}."
    if request.kind == "start_return":
        fee = (
            f"Return shipping of {money(outcome.fee_cents)} is taken from your refund"
            if outcome.fee_cents
            else "Return shipping is free"
        )
        return (
            f"Your return is authorised. Return number: {outcome.rma_number}. Please pack "
            f"the items, write {outcome.rma_number} on the parcel and drop it at any post "
            f"office with the return label we e-mail you. {fee}. Your refund of "
            f"{money(outcome.refund_cents)} is issued within "
            f"{policy.REFUND_DAYS_AFTER_RECEIPT} business days of the parcel reaching us."
        )
    return (
        f"I've refunded order #{order}: {money(outcome.refund_cents)} goes back on "
        "your original payment method within a few business days."
    )


def sounds_unsure(tracker: Tracker) -> bool:
    """A "yes" asked as a question ("huh?", "ok?") is no consent: the word-count features
    can read "huh?" as affirm with full confidence, because "uh huh" means yes."""
    return str((tracker.latest_message or {}).get("text") or "").strip().endswith("?")


class ActionApplyChange(Action):
    """Carries out the change the customer just said "yes" to."""

    def name(self) -> str:
        return "action_apply_change"

    @authored("order")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done = [SlotSet("change_offered", None), SlotSet("pending_change", None)]
        request = ChangeRequest.from_json(tracker.get_slot("pending_change"))
        offer = _last_bot_action(tracker)
        if request is None or offer not in OFFER_ACTIONS:
            # A "yes" to some other question must never apply an old offer.
            dispatcher.utter_message(text=LOST_TRACK)
            return done
        if verified_order_id(tracker) != request.order_id:
            dispatcher.utter_message(text=NOT_VERIFIED)
            return done
        if sounds_unsure(tracker):
            dispatcher.utter_message(text=ASK_AGAIN)
            return [FollowupAction(offer)]  # the same offer, asked again
        try:
            with session_scope() as session:
                outcome = apply(session, request, f"assistant:{tracker.sender_id}", clock.today())
        except SQLAlchemyError as error:
            logger.exception("order database unavailable when applying %s", request.kind)
            dispatcher.utter_message(text=database_trouble(error), role="error")
            return done
        if outcome.ok:
            dispatcher.utter_message(text=done_message(request, outcome))
        else:
            # The order moved on between the offer and the "yes" (e.g. it shipped).
            dispatcher.utter_message(text=refusal(outcome.reason, order_id=request.order_id))
        return done
