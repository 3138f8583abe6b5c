"""Choosing order lines in forms: listing them with buttons and reading the customer's pick."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, List, Optional, Sequence, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.authorship import authored
from actions.identity import language_of, verified_order_id
from actions.patience import CountsMisses, gave_up
from shopassist.dialogue.choices import pick_lines
from shopassist.language.messages import message
from shopassist.marks import Marks
from shopassist.store.db import session_scope
from shopassist.store.orders import WITH_FACTS, OrderFacts, facts_of, lines_of, load_order

logger = logging.getLogger(__name__)


class OrderView:
    """The verified order's status and lines, read once per form turn."""

    def __init__(self, facts: OrderFacts, lines: Sequence[Any]):
        self.facts, self.lines = facts, list(lines)

    def line(self, item_id: Any) -> Optional[Any]:
        return next((line for line in self.lines if str(line.item_id) == str(item_id)), None)


def order_view(session, order_id: str) -> Optional[OrderView]:
    """The order's status and lines in `session` (one read of the order), or None if it
    does not exist."""
    order = load_order(session, order_id, *WITH_FACTS)
    return None if order is None else OrderView(facts_of(order), lines_of(session, order))


# The order read during one action run, beside that run's tracker object: (order id, view).
_READS: Marks[Tuple[str, Optional[OrderView]]] = Marks()


def read_order(tracker: Tracker) -> Optional[OrderView]:
    """The verified order, or None when unverified or unreadable (the offer explains).

    A form's validator asks for it several times in one run (required slots before and
    after extraction, then the validation itself), so the first read is kept beside the
    tracker object, which lives for that one run.
    """
    order_id = verified_order_id(tracker)
    if order_id is None:
        return None
    cached = _READS.get(tracker)
    if cached is not None and cached[0] == order_id:
        return cached[1]
    try:
        with session_scope() as session:
            view = order_view(session, order_id)
    except SQLAlchemyError:
        logger.exception("order database unavailable while reading order lines")
        return None
    _READS.set(tracker, (order_id, view))
    return view


def returnable_lines(order: OrderView) -> List[Any]:
    """The lines a return can still include, in the order they are shown."""
    return [line for line in order.lines if line.returnable_quantity > 0]


def list_lines(dispatcher: CollectingDispatcher, question: str, lines: Sequence[Any]) -> None:
    """Asks `question` with the lines numbered and as buttons (the payload is the number)."""
    text = question + "\n" + "\n".join(f"{i}. {line.label}" for i, line in enumerate(lines, 1))
    buttons = [{"title": line.label, "payload": str(i)} for i, line in enumerate(lines, 1)]
    dispatcher.utter_message(text=text, buttons=buttons)


class AskForLines(Action, ABC):
    """Asks which lines of the verified order the customer means, listing `lines(order)`;
    without a readable order, the question alone (the form's validator explains why)."""

    bare_question = ""  # message keys: without the order, and with its number
    question_of = ""

    @abstractmethod
    def name(self) -> str: ...

    def lines(self, order: OrderView) -> List[Any]:
        return order.lines

    @authored("form")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = language_of(tracker)
        order = read_order(tracker)
        if order is None:
            dispatcher.utter_message(text=message(self.bare_question, language))
            return []
        question = message(self.question_of, language, order_id=order.facts.order_id)
        list_lines(dispatcher, question, self.lines(order))
        return []


class ActionAskItemChoice(AskForLines):
    """Asks which line of the order the customer means (item cancellation and changes)."""

    bare_question, question_of = "lines.which_item", "lines.which_item_of"

    def name(self) -> str:
        return "action_ask_item_choice"


class ActionAskReturnItems(AskForLines):
    """Asks which items to return, listing only what can still be returned."""

    bare_question, question_of = "lines.which_items", "lines.which_items_of"

    def name(self) -> str:
        return "action_ask_return_items"

    def lines(self, order: OrderView) -> List[Any]:
        return returnable_lines(order)


UNCLEAR_ITEM = message("lines.unclear_item")


def pick_one_line(
    value: Any, order: Optional[OrderView], dispatcher: CollectingDispatcher, language: str = "en"
) -> Optional[Any]:
    """The line of `order` the customer's answer names, or None after asking again."""
    labels = [line.label for line in order.lines] if order else []
    picked = pick_lines(value, labels, language=language) if order else None
    if not picked:
        dispatcher.utter_message(text=message("lines.unclear_item", language))
        return None
    return order.lines[picked[0]]


class OrderChangeForm(CountsMisses, FormValidationAction, ABC):
    """A follow-up form about the verified order. It asks nothing when the order is
    unverified, unreadable or past what the policy allows: the offer then explains why."""

    # Abstract, so that rasa-sdk's executor does not register this base as an action.
    @abstractmethod
    def allowed(self, status: str) -> bool:
        """Whether the policy lets an order in `status` have this change."""

    async def required_slots(
        self, domain_slots: List[str], dispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        if gave_up(tracker):
            return []
        order = read_order(tracker)
        if order is None or not self.allowed(order.facts.status):
            return []
        return domain_slots
