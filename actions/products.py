"""Product questions: recommendations, details of one product, two side by side.

Names, prices, stock and options come from the database at every request (through
shopassist.knowledge.catalog); nothing here is generated.
"""

from __future__ import annotations

import logging
from typing import Callable, List, Optional, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.authorship import authored
from shopassist.formats import money
from shopassist.knowledge.catalog import ProductView, find_product, recommend
from shopassist.store.db import session_scope

logger = logging.getLogger(__name__)
T = TypeVar("T")

CATALOG_UNAVAILABLE = (
    "Sorry, I can't reach our product catalog right now. The search bar at the top of the "
    "shop finds every product with its price and stock."
)


def from_catalog(dispatcher: CollectingDispatcher, read: Callable[[Session], T]) -> T | None:
    """`read` in a database session; None, after telling the customer, when it fails."""
    try:
        with session_scope() as session:
            return read(session)
    except SQLAlchemyError:
        logger.exception("catalog unavailable")
        dispatcher.utter_message(text=CATALOG_UNAVAILABLE, role="error")
        return None


def details(product: ProductView) -> str:
    parts = [f"{product.name} costs {product.price}"]
    parts.append("and is in stock." if product.in_stock else "but is out of stock right now.")
    text = " ".join(parts)
    if product.colours:
        text += f" Colours: {', '.join(product.colours)}."
    if product.sizes:
        text += f" Sizes: {', '.join(product.sizes)}."
    if product.warranty_months:
        text += f" Warranty: {product.warranty_months} months."
    return text


def more_button(product: ProductView) -> dict:
    # A custom action's button payload is sent as written (no response interpolation).
    return {"title": product.name, "payload": f'/product_info{{"product": "{product.name}"}}'}


def product_names(tracker: Tracker) -> List[str]:
    return list(dict.fromkeys(tracker.get_latest_entity_values("product")))


class ActionRecommendProducts(Action):
    def name(self) -> str:
        return "action_recommend_products"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        request = tracker.latest_message.get("text") or ""
        result = from_catalog(dispatcher, lambda session: recommend(session, request))
        if result is None:
            return []
        query, found = result
        budget = ""
        if query.max_cents is not None and query.min_cents is not None:
            budget = f" between {money(query.min_cents)} and {money(query.max_cents)}"
        elif query.max_cents is not None:
            budget = f" up to {money(query.max_cents)}"
        elif query.min_cents is not None:
            budget = f" from {money(query.min_cents)}"
        if not found:
            dispatcher.utter_message(
                text=f"I couldn't find anything in stock that fits{budget}. Could you tell me "
                'what kind of product you\'re looking for, e.g. "wireless headphones" or '
                '"a rain jacket"? Category pages on the shop filter by price and brand, too.'
            )
            return []
        lines = "\n".join(f"- {p.line()}" for p in found)
        dispatcher.utter_message(
            text=f"Here's what I found in stock{budget}:\n{lines}\nTap one for details.",
            buttons=[more_button(p) for p in found],
        )
        return []


class ActionProductInfo(Action):
    def name(self) -> str:
        return "action_product_info"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        names = product_names(tracker) or [tracker.latest_message.get("text") or ""]
        # In a tuple: "no such product" (None inside) is not "catalog unreachable" (None).
        found = from_catalog(dispatcher, lambda session: (find_product(session, names[0]),))
        if found is None:
            return []
        (product,) = found
        if product is None:
            dispatcher.utter_message(text=not_found(names[0]))
        else:
            dispatcher.utter_message(text=details(product))
        return []


def not_found(name: Optional[str]) -> str:
    return (
        f"I couldn't find \"{name}\" in our catalog. Could you give me the product's name as "
        "it appears on the shop, or the kind of product you're after?"
    )


class ActionCompareProducts(Action):
    def name(self) -> str:
        return "action_compare_products"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        names = product_names(tracker)
        if len(names) < 2:
            dispatcher.utter_message(
                text="Which two products would you like to compare? Please name both, e.g. "
                '"the Auralis Studio Headphones or the Sonora Studio Headphones".'
            )
            return []
        found = from_catalog(
            dispatcher, lambda session: [(n, find_product(session, n)) for n in names[:2]]
        )
        if found is None:
            return []
        lines = [f"- {details(p)}" if p else f"- {not_found(n)}" for n, p in found]
        dispatcher.utter_message(text="Side by side:\n" + "\n".join(lines))
        return []
