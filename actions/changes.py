"""Changing an order before it is packed: an item's quantity, colour or size, or the address."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.confirm import NOT_OFFERED, offer, request_key
from actions.identity import language_of
from actions.order_lines import OrderChangeForm, order_view, pick_one_line, read_order
from actions.verified import VerifiedOrderAnswer
from shopassist import clock
from shopassist.dialogue import slot_values
from shopassist.dialogue.choices import parse_address, parse_item_change
from shopassist.dialogue.next_steps import with_next_step
from shopassist.dialogue.replies import address_hint, refusal
from shopassist.language.messages import message, sentences
from shopassist.store import policy
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.orders import WITH_FACTS, facts_of, line_text, load_order


class ValidateChangeItemForm(OrderChangeForm):
    """Which item, and what about it changes; no question when the order is past the cut-off."""

    def name(self) -> str:
        return "validate_change_item_form"

    def allowed(self, status: str) -> bool:
        return policy.item_change(status).allowed

    def validate_item_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        line = pick_one_line(value, read_order(tracker), dispatcher, language_of(tracker))
        if line is None:
            return {"item_choice": None}
        # The same message may already say what to change ("the hoodie in navy").
        change = parse_item_change(value, line.colours, line.sizes)
        slots = {"item_choice": str(line.item_id)}
        if change and set(change) & {"colour", "size"}:
            slots["item_change"] = change
        return slots

    def validate_item_change(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        order = read_order(tracker)
        line = order.line(tracker.get_slot("item_choice")) if order else None
        if line is None:
            return {"item_change": None}
        # Already read from the item pick (a dict), or the customer's words.
        change = slot_values.item_change(value) or parse_item_change(
            value, line.colours, line.sizes
        )
        if not change:
            language = language_of(tracker)
            options = []
            if line.sizes:
                options.append(message("change.sizes", language, sizes=", ".join(line.sizes)))
            if len(line.colours) > 1:
                colours = ", ".join(line.colours)
                options.append(message("change.colours", language, colours=colours))
            available = (
                message("change.available", language, options="; ".join(options)) if options else ""
            )
            unclear = message("change.unclear", language)
            dispatcher.utter_message(text=sentences([unclear, available], language))
            return {"item_change": None}
        return {"item_change": change}


class ActionAskItemChange(VerifiedOrderAnswer):
    """Asks what should change about the chosen item, naming the options it has."""

    role = "form"

    def name(self) -> str:
        return "action_ask_item_change"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        view = order_view(session, order_id)
        return view.line(tracker.get_slot("item_choice")) if view else None

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        language = language_of(tracker)
        options = [message("change.lower_quantity", language)]
        if data.sizes:
            options.append(message("change.size", language, sizes="/".join(data.sizes)))
        if len(data.colours) > 1:
            options.append(message("change.colour", language, colours="/".join(data.colours)))
        dispatcher.utter_message(
            text=message("change.ask", language, label=data.label, options=", ".join(options))
        )
        return []


class ActionOfferItemChange(VerifiedOrderAnswer):
    failure_events = NOT_OFFERED

    def name(self) -> str:
        return "action_offer_item_change"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return order_view(session, order_id)

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        language = language_of(tracker)
        decision = policy.item_change(data.facts.status)
        if not decision.allowed:
            said = refusal(decision.reason, language, order_id=order_id)
            text = with_next_step(said, decision.reason, data.facts, clock.today(), language)
            dispatcher.utter_message(text=text)
            return list(NOT_OFFERED)
        line = data.line(tracker.get_slot("item_choice"))
        change = slot_values.item_change(tracker.get_slot("item_change"))
        if line is None or change is None:
            dispatcher.utter_message(text=refusal("already_removed", language, order_id=order_id))
            return list(NOT_OFFERED)
        label = line.label
        if change.get("quantity") == 0:
            question = message("cancel.offer_item", language, label=label, order_id=order_id)
            return offer(
                dispatcher,
                sentences([question, message("confirm.go_ahead", language)], language),
                ChangeRequest(
                    "cancel_item",
                    order_id,
                    request_key(tracker, "cancel_item"),
                    {"item_id": line.item_id, "label": label},
                ),
                language,
            )
        quantity = change.get("quantity", line.quantity)
        if quantity > line.quantity:
            dispatcher.utter_message(text=refusal("quantity_up", language, order_id=order_id))
            return list(NOT_OFFERED)
        after = line_text(
            quantity, line.name, change.get("colour", line.colour), change.get("size", line.size)
        )
        question = message(
            "change.offer_item", language, label=label, after=after, order_id=order_id
        )
        return offer(
            dispatcher,
            sentences([question, message("confirm.go_ahead", language)], language),
            ChangeRequest(
                "change_item",
                order_id,
                request_key(tracker, "change_item"),
                {"item_id": line.item_id, "after": after, **change},
            ),
            language,
        )


class ValidateAddressForm(OrderChangeForm):
    def name(self) -> str:
        return "validate_address_form"

    def allowed(self, status: str) -> bool:
        return policy.address_change(status).allowed

    def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        language = language_of(tracker)
        address = parse_address(value)
        if address is None:
            unread = message("change.address_unread", language)
            dispatcher.utter_message(text=sentences([unread, address_hint(language)], language))
            return {"new_address": None}
        if address.country is not None and address.country not in policy.SHIPPING_COUNTRIES:
            dispatcher.utter_message(text=refusal("country_not_served", language))
            return {"new_address": None}
        return {"new_address": slot_values.new_address_value(address)}


class ActionOfferAddressChange(VerifiedOrderAnswer):
    failure_events = NOT_OFFERED

    def name(self) -> str:
        return "action_offer_address_change"

    def read(self, session, order_id: str, tracker: Tracker) -> Any:
        return load_order(session, order_id, *WITH_FACTS)

    def answer(self, dispatcher, order_id: str, data: Any, tracker: Tracker) -> List[EventType]:
        language = language_of(tracker)
        decision = policy.address_change(data.status)
        if not decision.allowed:
            said = refusal(decision.reason, language, order_id=order_id)
            text = with_next_step(said, decision.reason, facts_of(data), clock.today(), language)
            dispatcher.utter_message(text=text)
            return list(NOT_OFFERED)
        address = slot_values.new_address(tracker.get_slot("new_address"))
        if address is None:
            missing = message("change.address_missing", language)
            dispatcher.utter_message(text=sentences([missing, address_hint(language)], language))
            return list(NOT_OFFERED)
        address = replace(address, country=address.country or data.ship_country)
        label = f"{address.line1}, {address.postcode} {address.city}, {address.country}"
        current = f"{data.ship_line1}, {data.ship_postcode} {data.ship_city}, {data.ship_country}"
        return offer(
            dispatcher,
            message(
                "change.offer_address", language, order_id=order_id, current=current, label=label
            ),
            ChangeRequest(
                "change_address",
                order_id,
                request_key(tracker, "change_address"),
                {**asdict(address), "label": label},
            ),
            language,
        )
