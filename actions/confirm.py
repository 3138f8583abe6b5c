"""Confirmation before any change: an offer action describes the change and asks "shall I?";
`action_apply_change` carries it out only on the customer's "yes" to that very question."""

from __future__ import annotations

import hashlib
import logging
from typing import Dict, List, Optional, Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.damage_photos import offer_photos
from actions.identity import database_trouble, language_of, verified_order_id
from shopassist import clock
from shopassist.dialogue import slot_values
from shopassist.dialogue.next_steps import STATE_REASONS, with_next_step
from shopassist.dialogue.replies import refusal
from shopassist.formats import money
from shopassist.language.messages import message, sentences
from shopassist.store import policy
from shopassist.store.change_requests import ChangeRequest, apply
from shopassist.store.changes import Outcome
from shopassist.store.db import session_scope
from shopassist.store.orders import loaded_order_facts

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
ASK_AGAIN = message("confirm.ask_again")
LOST_TRACK = message("confirm.lost_track")


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
    dispatcher: CollectingDispatcher,
    question: str,
    request: ChangeRequest,
    language: str = "en",
    more_buttons: Sequence[Dict[str, str]] = (),
    written: Optional[Dict[str, str]] = None,
) -> List[EventType]:
    """Asks the customer to confirm `request` (`question` is in `language`) and remembers
    it for their answer; `more_buttons` follow yes and no (e.g. "Talk to a person");
    `written`: what wrote the question, when not only the shop (provenance.with_opening)."""
    dispatcher.utter_message(
        text=question,
        buttons=[
            {"title": message("confirm.yes", language), "payload": "/affirm"},
            {"title": message("confirm.no", language), "payload": "/deny"},
            *more_buttons,
        ],
        **(written or {}),
    )
    return CLEAR_ANSWERS + [
        SlotSet("pending_change", request.as_dict()),
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


def refund_sentence(outcome: Outcome, language: str = "en") -> str:
    if not outcome.refund_cents:
        return ""
    return message("done.refund", language, amount=money(outcome.refund_cents, language=language))


def done_message(request: ChangeRequest, outcome: Outcome, language: str = "en") -> str:
    order = request.order_id
    p = request.params

    def say(key: str, **values) -> str:
        return message(key, language, order_id=order, **values)

    refund = refund_sentence(outcome, language)
    if request.kind == "cancel_order" or outcome.reason == "whole_order":
        return sentences([say("done.cancel_order"), refund], language)
    if request.kind == "cancel_item":
        label = p["label"] if "label" in p else say("done.some_item")
        return sentences([say("done.cancel_item", label=label), refund], language)
    if request.kind == "change_item":
        after = p["after"] if "after" in p else say("done.some_change")
        return sentences([say("done.change_item", after=after), refund], language)
    if request.kind == "change_address":
        return say("done.change_address", label=p.get("label"))
    amount = money(outcome.refund_cents, language=language)
    if request.kind == "start_return":
        fee = (
            say("done.return_fee", fee=money(outcome.fee_cents, language=language))
            if outcome.fee_cents
            else say("done.return_free")
        )
        days = policy.REFUND_DAYS_AFTER_RECEIPT
        return sentences(
            [
                say("done.return", rma_number=outcome.rma_number),
                fee,
                say("done.return_refund", amount=amount, days=days),
            ],
            language,
        )
    return say("done.refund_order", amount=amount)


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
        language = language_of(tracker)
        request = slot_values.pending_change(tracker.get_slot("pending_change"))
        offer = _last_bot_action(tracker)
        if request is None or offer not in OFFER_ACTIONS:
            # A "yes" to some other question must never apply an old offer.
            dispatcher.utter_message(text=message("confirm.lost_track", language))
            return done
        if verified_order_id(tracker) != request.order_id:
            dispatcher.utter_message(text=message("identity.not_verified", language))
            return done
        if sounds_unsure(tracker):
            dispatcher.utter_message(text=message("confirm.ask_again", language))
            return [FollowupAction(offer)]  # the same offer, asked again
        try:
            with session_scope() as session:
                outcome = apply(session, request, f"assistant:{tracker.sender_id}", clock.today())
                # The order moved on between the offer and the "yes" (e.g. it shipped): the
                # refusal says what its new state still allows, from the order just loaded.
                moved_on = outcome.reason in STATE_REASONS and not outcome.ok
                facts = loaded_order_facts(session, request.order_id) if moved_on else None
        except SQLAlchemyError as error:
            logger.exception("order database unavailable when applying %s", request.kind)
            dispatcher.utter_message(text=database_trouble(error, language), role="error")
            return done
        if outcome.ok:
            dispatcher.utter_message(text=done_message(request, outcome, language))
            offer_photos(dispatcher, tracker, request, outcome, language)
            return done
        text = refusal(outcome.reason, language, order_id=request.order_id)
        if facts is not None:
            text = with_next_step(text, outcome.reason, facts, clock.today(), language)
        dispatcher.utter_message(text=text)
        return done
