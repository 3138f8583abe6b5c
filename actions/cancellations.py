"""Cancelling an order or one of its items: explain the fee, offer what the policy allows."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.authorship import authored
from actions.confirm import NOT_OFFERED, offer, request_key
from actions.identity import language_of
from actions.order_lines import OrderChangeForm, order_view, pick_one_line, read_order
from actions.verified import VerifiedOrderAnswer
from shopassist import clock
from shopassist.dialogue.next_steps import with_next_step
from shopassist.dialogue.replies import refusal
from shopassist.formats import money
from shopassist.generation.order_answers import total_of
from shopassist.language.messages import message, sentences
from shopassist.store import policy
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.orders import order_facts


def fee_sentence(fee_cents: int, language: str = "en") -> str:
    if not fee_cents:
        return message("cancel.free", language)
    return message("cancel.fee", language, fee=money(fee_cents, language=language))


class ActionExplainCancellationFee(Action):
    def name(self) -> str:
        return "action_explain_cancellation_fee"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(
            text=message(
                "cancel.explain_fee",
                language,
                fee=money(policy.CANCELLATION_FEE_PACKED_CENTS, language=language),
                return_days=policy.RETURN_WINDOW_DAYS,
            )
        )
        return []


class ActionOfferCancellation(VerifiedOrderAnswer):
    """After the identity check: says whether and at what fee the order can be cancelled."""

    failure_events = NOT_OFFERED

    def name(self) -> str:
        return "action_offer_cancellation"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return order_facts(session, order_id)

    def answer(
        self, dispatcher: CollectingDispatcher, order_id: str, data: Any, tracker: Tracker
    ) -> List[EventType]:
        language = language_of(tracker)
        decision = policy.cancellation(data.status)
        if not decision.allowed:
            said = refusal(decision.reason, language, order_id=order_id)
            text = with_next_step(said, decision.reason, data, clock.today(), language)
            dispatcher.utter_message(text=text)
            return list(NOT_OFFERED)
        question = message(
            "cancel.offer_order",
            language,
            order_id=order_id,
            items="; ".join(data.items),
            total=total_of(data, language),
        )
        return offer(
            dispatcher,
            sentences(
                [
                    question,
                    fee_sentence(decision.fee_cents, language),
                    message("cancel.shall_i", language),
                ],
                language,
            ),
            ChangeRequest("cancel_order", order_id, request_key(tracker, "cancel_order")),
            language,
        )


class ValidateCancelItemForm(OrderChangeForm):
    """Which item to cancel; no question at all when the order can't be changed."""

    def name(self) -> str:
        return "validate_cancel_item_form"

    def allowed(self, status: str) -> bool:
        return policy.cancellation(status).allowed

    def validate_item_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        line = pick_one_line(value, read_order(tracker), dispatcher, language_of(tracker))
        return {"item_choice": str(line.item_id) if line else None}


class ActionOfferItemCancellation(VerifiedOrderAnswer):
    """Offers to remove the chosen line, with the fee the policy sets."""

    failure_events = NOT_OFFERED

    def name(self) -> str:
        return "action_offer_item_cancellation"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return order_view(session, order_id)

    def answer(
        self, dispatcher: CollectingDispatcher, order_id: str, data: Any, tracker: Tracker
    ) -> List[EventType]:
        language = language_of(tracker)
        decision = policy.cancellation(data.facts.status)
        if not decision.allowed:
            said = refusal(decision.reason, language, order_id=order_id)
            text = with_next_step(said, decision.reason, data.facts, clock.today(), language)
            dispatcher.utter_message(text=text)
            return list(NOT_OFFERED)
        line = data.line(tracker.get_slot("item_choice"))
        if line is None:
            dispatcher.utter_message(text=refusal("already_removed", language, order_id=order_id))
            return list(NOT_OFFERED)
        label = line.label
        whole = message("cancel.only_item", language) if len(data.lines) == 1 else ""
        return offer(
            dispatcher,
            sentences(
                [
                    message("cancel.offer_item", language, label=label, order_id=order_id),
                    fee_sentence(decision.fee_cents, language),
                    whole,
                    message("confirm.go_ahead", language),
                ],
                language,
            ),
            ChangeRequest(
                "cancel_item",
                order_id,
                request_key(tracker, "cancel_item"),
                {"item_id": line.item_id, "label": label},
            ),
            language,
        )
