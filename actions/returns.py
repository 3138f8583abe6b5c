"""Returns and refunds: status, starting a return, and refunds for damaged, wrong or lost goods.

One form (`return_form`) serves both "I want to return this" and "I want a refund": a refund
for goods that arrived damaged or wrong is a return at our cost, and a parcel that never
arrived needs no items or condition, only the reason.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.authorship import authored
from actions.confirm import NOT_OFFERED, offer, request_key
from actions.identity import language_of
from actions.order_lines import read_order, returnable_lines
from actions.patience import CountsMisses, gave_up
from actions.verified import VerifiedOrderAnswer
from shopassist import clock
from shopassist.dialogue import slot_values
from shopassist.dialogue.choices import parse_condition, parse_reason, pick_lines
from shopassist.dialogue.intents import button
from shopassist.dialogue.next_steps import with_next_step
from shopassist.dialogue.replies import refusal
from shopassist.formats import day, money
from shopassist.generation import get_generator, phrase, provenance
from shopassist.generation.base import Line
from shopassist.generation.empathy import opening_in
from shopassist.generation.order_answers import return_status_request, total_of
from shopassist.language.messages import label, message, sentences
from shopassist.store import policy
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.changes import check_return
from shopassist.store.orders import (
    WITH_FACTS,
    facts_of,
    line_text,
    lines_of,
    load_order,
)
from shopassist.store.returns import order_refunds

# Each button's words ("return.button.<code>") and its payload, which parse_reason reads.
REASON_BUTTONS = [
    ("damaged", "damaged"),
    ("defective", "defective"),
    ("wrong_item", "wrong item"),
    ("does_not_fit", "doesn't fit"),
    ("changed_mind", "changed my mind"),
    ("never_arrived", "never arrived"),
]
REASON_LABELS = {
    "damaged": "arrived damaged",
    "defective": "faulty",
    "wrong_item": "wrong item sent",
    "does_not_fit": "doesn't fit",
    "changed_mind": "changed your mind",
    "never_arrived": "never arrived",
    "other": "other reason",
}

# Why an order in a state that is not returnable can't be returned.
NOT_RETURNABLE_STATUS = {"refunded": "already_refunded", "cancelled": "cancelled"}


class ActionReturnStatus(VerifiedOrderAnswer):
    def name(self) -> str:
        return "action_return_status"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return order_refunds(session, order_id)

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        language = language_of(tracker)
        reply = phrase(return_status_request(order_id, data, language), get_generator())
        dispatcher.utter_message(text=reply.text, **provenance.of_reply(reply, "order"))
        return []


class ActionAskReturnReason(Action):
    def name(self) -> str:
        return "action_ask_return_reason"

    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(
            text=message("return.ask_reason", language),
            buttons=[
                {"title": message(f"return.button.{code}", language), "payload": payload}
                for code, payload in REASON_BUTTONS
            ],
        )
        return []


REQUEST_INTENTS = frozenset({"start_return", "request_refund"})


def reason_in_request(tracker: Tracker) -> str | None:
    """The reason already given with the request ("a refund, it never arrived"), if any."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in REQUEST_INTENTS:
            return parse_reason(event.get("text") or "")
    return None


class ValidateReturnForm(CountsMisses, FormValidationAction):
    def name(self) -> str:
        return "validate_return_form"

    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # Not asking again what the customer said with the request.
        events: List[EventType] = []
        if tracker.get_slot("return_reason") is None and tracker.get_slot("requested_slot") is None:
            reason = reason_in_request(tracker)
            if reason:
                slots = self._reason_slots(reason)
                events = [SlotSet(name, value) for name, value in slots.items()]
                tracker.add_slots(events)
        return events + await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self, domain_slots: List[str], dispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        if gave_up(tracker):
            return []
        order = read_order(tracker)
        if order is None:
            return []
        reason = tracker.get_slot("return_reason")
        refund = tracker.get_slot("order_request") == "refund"
        if refund and reason not in REASON_LABELS:  # unset, or just typed and not yet read
            return ["return_reason"]  # why first: a lost parcel needs nothing else
        if reason == "never_arrived":
            return []  # nothing to pick or describe: the offer checks the parcel
        if order.facts.status not in policy.RETURNABLE_STATES or not returnable_lines(order):
            return []  # not delivered or all returned already: the offer explains
        slots = ["return_items", "return_reason", "return_condition"]
        if refund:
            slots = ["return_reason", "return_items", "return_condition"]
        if reason in {"damaged", "defective"}:
            slots.remove("return_condition")  # we know: it is damaged
        return slots

    def validate_return_items(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        order = read_order(tracker)
        lines = returnable_lines(order) if order else []
        reason = parse_reason(value)  # "the mug, it arrived broken": the reason is no pick
        parts = [p for p in re.split(r"[,;.]|\bbecause\b|\bsince\b", str(value)) if p.strip()]
        pick_text = ", ".join(p for p in parts if parse_reason(p) is None) if reason else value
        language = language_of(tracker)
        labels = [line.label for line in lines]
        picked = pick_lines(pick_text or value, labels, many=True, language=language)
        if not picked:
            dispatcher.utter_message(text=message("lines.unclear_items", language))
            return {"return_items": None}
        quantities = {lines[i].item_id: lines[i].returnable_quantity for i in picked}
        slots = {"return_items": slot_values.return_items_value(quantities)}
        if reason and not tracker.get_slot("return_reason"):
            slots.update(self._reason_slots(reason))
        return slots

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        reason = value if value in REASON_LABELS else parse_reason(value)
        if reason is None:
            dispatcher.utter_message(text=message("return.unclear_reason", language_of(tracker)))
            return {"return_reason": None}
        return self._reason_slots(reason)

    @staticmethod
    def _reason_slots(reason: str) -> Dict[str, Any]:
        slots: Dict[str, Any] = {"return_reason": reason}
        if reason in {"damaged", "defective"}:
            slots["return_condition"] = "damaged"
        return slots

    def validate_return_condition(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        condition = value if value in {"unopened", "opened", "damaged"} else parse_condition(value)
        if condition is None:
            dispatcher.utter_message(text=message("return.unclear_condition", language_of(tracker)))
        return {"return_condition": condition}


class ActionOfferReturn(VerifiedOrderAnswer):
    """Checks the return with the policy and offers it (or a refund for a lost parcel)."""

    failure_events = NOT_OFFERED

    def name(self) -> str:
        return "action_offer_return"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        order = load_order(session, order_id, *WITH_FACTS)
        if order is None:
            return None
        facts = facts_of(order)
        reason = tracker.get_slot("return_reason")
        if reason == "never_arrived":
            return facts, None, None
        quantities = slot_values.return_items(tracker.get_slot("return_items")) or {}
        preview = check_return(session, order, quantities, reason or "", clock.today())
        return facts, quantities, (preview, lines_of(session, order))

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        facts, quantities, checked = data
        language = language_of(tracker)
        # A request made in anger (a damaged item, a lost parcel, ...): what went wrong is
        # acknowledged first, the return or refund route follows, and a person is offered.
        opening = opening_in(tracker, language, REQUEST_INTENTS)
        person = [button("human_handoff", language)] if opening.text else []
        written = provenance.with_opening(provenance.template(self.role), opening)
        if checked is None:
            return self._lost_parcel(dispatcher, order_id, facts, tracker, language, opening)
        preview, lines = checked
        if facts.status not in policy.RETURNABLE_STATES or not preview.ok:
            code = (
                preview.reason
                if facts.status in policy.RETURNABLE_STATES
                else NOT_RETURNABLE_STATUS.get(facts.status, "not_delivered")
            )
            said = refusal(code, language, order_id=order_id)
            text = with_next_step(said, code, facts, clock.today(), language)
            dispatcher.utter_message(
                text=sentences([opening.text, text], language), buttons=person, **written
            )
            return list(NOT_OFFERED)
        names = [line_text(quantities[x.item_id], x.name) for x in lines if x.item_id in quantities]
        reason = tracker.get_slot("return_reason")
        shipping = (
            message(
                "return.shipping_fee", language, fee=money(preview.fee_cents, language=language)
            )
            if preview.fee_cents
            else message("return.shipping_free", language)
        )
        question = message(
            "return.offer",
            language,
            items="; ".join(names),
            order_id=order_id,
            reason=label("reason", reason or "", language, REASON_LABELS.get(reason, reason)),
            shipping=shipping,
            amount=money(preview.refund_cents, language=language),
        )
        return offer(
            dispatcher,
            sentences([opening.text, question], language),
            ChangeRequest(
                "start_return",
                order_id,
                request_key(tracker, "start_return"),
                {
                    "quantities": {str(k): v for k, v in quantities.items()},
                    "reason": reason,
                    "condition": tracker.get_slot("return_condition") or "opened",
                },
            ),
            language,
            person,
            written,
        )

    def _lost_parcel(
        self,
        dispatcher,
        order_id: str,
        facts,
        tracker: Tracker,
        language: str = "en",
        opening: Line = Line(""),
    ) -> List[EventType]:
        today = clock.today()
        decision = policy.lost_parcel_refund(facts.status, facts.estimated_delivery, today)
        person = [button("human_handoff", language)] if opening.text else []
        if not decision.allowed:
            estimated = (
                day(facts.estimated_delivery, language)
                if facts.estimated_delivery
                else message("lost.soon", language)
            )
            said = refusal(
                decision.reason, language, order_id=order_id, estimated_delivery=estimated
            )
            text = with_next_step(said, decision.reason, facts, today, language)
            written = provenance.with_opening(provenance.template(self.role), opening)
            dispatcher.utter_message(
                text=sentences([opening.text, text], language), buttons=person, **written
            )
            return list(NOT_OFFERED)
        # lost.offer is an acknowledgement itself ("I'm sorry order #... never arrived"):
        # an upset customer gets no second one, only the person to talk to.
        return offer(
            dispatcher,
            message("lost.offer", language, order_id=order_id, total=total_of(facts, language)),
            ChangeRequest(
                "lost_parcel_refund", order_id, request_key(tracker, "lost_parcel_refund")
            ),
            language,
            person,
        )
