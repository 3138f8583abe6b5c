"""A person takes over: the handoff ticket, the fallbacks that lead to it, and the rating.

Rasa's two-stage fallback (rule in data/rules/conversation.yml) calls two of these by their
reserved names: action_default_ask_affirmation ("Did you mean ...?") and, when the customer
still isn't understood, action_default_fallback, which hands over after repeated failures.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.identity import conversation_key, language_of, verified_email, verified_order_id
from shopassist.auth.customer_token import email_from_metadata
from shopassist.dialogue import help_offer
from shopassist.dialogue.escalation import (
    complaint_is_upset,
    sentiment_labels,
    too_many_misunderstandings,
)
from shopassist.dialogue.handoff_summary import ROLE as SUMMARY
from shopassist.dialogue.handoff_summary import written_summary
from shopassist.dialogue.intents import suggestions
from shopassist.dialogue.transcript import current_session, transcript
from shopassist.generation import factory, provenance
from shopassist.knowledge import Passage
from shopassist.language.messages import message
from shopassist.store.db import session_scope
from shopassist.store.presence import colleague_can_join
from shopassist.store.support import RATINGS, WrittenSummary, open_ticket, record_rating

logger = logging.getLogger(__name__)

# Said before the ticket when the assistant hands over without being asked.
WHY = {
    "misunderstood": "utter_handoff_because_misunderstood",
    "upset": "utter_handoff_because_upset",
}
# What happens next, by (a colleague can join the chat now, the e-mail address is known).
NEXT_STEPS = {
    (True, True): "utter_handoff_live_known",
    (True, False): "utter_handoff_live_anonymous",
    (False, True): "utter_handoff_opened_known",
    (False, False): "utter_handoff_opened_anonymous",
}


def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[EventType]:
    """Open (or refresh) the ticket with the transcript and tell the customer what follows."""
    # Proven in the chat, or by the logged-in page's token on this message.
    latest = tracker.latest_message or {}
    email = verified_email(tracker) or email_from_metadata(latest.get("metadata"))
    turns = transcript(current_session(tracker.events))
    # Written before the ticket's row is locked: a model may take SHOPASSIST_LLM_TIMEOUT.
    summary = written_summary(turns, factory.line_writer("summary"))
    by = summary.model if summary.check == provenance.PASSED else provenance.TEMPLATE
    try:
        with session_scope() as session:
            ticket = open_ticket(
                session,
                conversation_key(tracker),
                reason,
                turns,
                customer_email=email,
                order_number=verified_order_id(tracker),
                language=language_of(tracker),  # for a colleague who speaks it
                summary=WrittenSummary(summary.text, by, summary.check),
            )
    except SQLAlchemyError:
        # No ticket, but never a dead end: the team's hours and numbers.
        logger.exception("could not record the handoff ticket")
        dispatcher.utter_message(response="utter_human_handoff")
        return []
    if reason in WHY:
        dispatcher.utter_message(response=WHY[reason])
    live = colleague_can_join(tracker.get_latest_input_channel())
    filled = {"ticket": ticket.reference, **({"email": email} if email else {})}
    # The message is the shop's; what wrote the ticket's summary is recorded beside it.
    written = {"ticket_summary": provenance.of_reply(summary, SUMMARY)}
    dispatcher.utter_message(response=NEXT_STEPS[live, bool(email)], **filled, **written)
    return [SlotSet("handoff_ticket", ticket.reference)]


class ActionHandoff(Action):
    """The customer asked for a person."""

    def name(self) -> str:
        return "action_handoff"

    @authored("handoff")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return hand_over(dispatcher, tracker, "asked")


class ActionComplaint(Action):
    """A complaint goes to customer service; a person takes it at once if the customer is upset."""

    def name(self) -> str:
        return "action_complaint"

    @authored("handoff")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if complaint_is_upset(sentiment_labels(current_session(tracker.events))):
            return hand_over(dispatcher, tracker, "upset")
        dispatcher.utter_message(response="utter_complaint")
        return []


def offered_section(text: str, language: str) -> Optional[Passage]:
    """The help-page section to offer for a message not understood, if any; never raises
    (without the help pages, "did you mean" offers the requests alone)."""
    if not text.strip() or text.strip().startswith("/"):  # a button's payload: no words
        return None
    try:
        return help_offer.plausible_section(text, language)
    except Exception:
        logger.exception("help pages unavailable for 'did you mean'")
        return None


class ActionAskAffirmation(Action):
    """ "Did you mean ...?" with the likeliest requests as buttons, in the customer's words,
    and the closest help-page section when the pages cover the message
    (shopassist.dialogue.help_offer: pressing it answers from that section).

    "Something else" sends /out_of_scope, which Rasa's two-stage fallback reads as "no"
    and answers by asking the customer to rephrase.
    """

    def name(self) -> str:
        return "action_default_ask_affirmation"

    @authored("fallback")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = language_of(tracker)
        latest = tracker.latest_message or {}
        options = suggestions(latest.get("intent_ranking") or [], language)
        # A search of the help pages: off the event loop, as the knowledge answer's.
        section = await asyncio.to_thread(offered_section, latest.get("text") or "", language)
        if not options and section is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons: List[Dict[str, Any]] = [
            {"title": title, "payload": f"/{intent}"} for intent, title in options
        ]
        offered: Dict[str, str] = {}
        if section is not None:
            buttons.append(help_offer.button(section))
            offered = {help_offer.SECTION: section.id}  # event metadata: what a press answers
        other = message("suggest.something_else", language)
        buttons.append({"title": other, "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons, **offered)
        return []


TWO_STAGE_FALLBACK = "action_two_stage_fallback"


class ActionDefaultFallback(Action):
    """The customer still isn't understood: say what the assistant can do, and after
    repeated failures in this session hand the conversation to a person."""

    def name(self) -> str:
        return "action_default_fallback"

    @authored("fallback")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        count = float(tracker.get_slot("misunderstandings") or 0) + 1
        # Reverted first, as Rasa's own fallback does: the message that wasn't understood
        # leaves no trace in the dialogue history the policies read. The count stays.
        events: List[EventType] = [UserUtteranceReverted(), SlotSet("misunderstandings", count)]
        if too_many_misunderstandings(count) and not tracker.get_slot("handoff_ticket"):
            return events + hand_over(dispatcher, tracker, "misunderstood")
        # "Still" only for a repeated miss: an earlier give-up, or the two-stage fallback
        # giving up (it asked "did you mean ...?" and to rephrase first).
        again = count > 1 or tracker.active_loop_name == TWO_STAGE_FALLBACK
        dispatcher.utter_message(
            response="utter_still_not_understood" if again else "utter_default"
        )
        return events


def rating_of(tracker: Tracker) -> Optional[int]:
    for value in tracker.get_latest_entity_values("rating"):
        try:
            score = int(str(value).strip())
        except ValueError:
            continue
        if score in RATINGS:
            return score
    return None


class ActionRecordRating(Action):
    """Stores the customer's 1-5 rating of the conversation (the console reports on them)."""

    def name(self) -> str:
        return "action_record_rating"

    @authored("greeting")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        score = rating_of(tracker)
        if score is None:
            # Words without a score ("it was fine"): thanked, nothing stored.
            dispatcher.utter_message(response="utter_thanks_for_feedback")
            return []
        try:
            with session_scope() as session:
                record_rating(session, conversation_key(tracker), score)
        except SQLAlchemyError:
            # Losing a rating is no reason to spoil the goodbye.
            logger.exception("could not store the conversation rating %s", score)
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return []
