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
from actions.identity import language_of
from shopassist.formats import money
from shopassist.knowledge.catalog import ProductView, find_product, recommend
from shopassist.language.messages import label, message, sentences
from shopassist.store.db import session_scope
from shopassist.store.product_sheet import connection, picture

logger = logging.getLogger(__name__)
T = TypeVar("T")

CATALOG_UNAVAILABLE = message("product.unavailable")


def from_catalog(
    dispatcher: CollectingDispatcher, read: Callable[[Session], T], language: str = "en"
) -> T | None:
    """`read` in a database session; None, after telling the customer, when it fails."""
    try:
        with session_scope() as session:
            return read(session)
    except SQLAlchemyError:
        logger.exception("catalog unavailable")
        dispatcher.utter_message(text=message("product.unavailable", language), role="error")
        return None


def price(product: ProductView, language: str = "en") -> str:
    return product.price if language == "en" else money(product.price_cents, language=language)


def colours(product: ProductView, language: str = "en") -> str:
    """The product's colours in the customer's language (a colour the catalog of texts lacks
    keeps its own name)."""
    return ", ".join(label("colour", code, language) for code in product.colours)


def details(product: ProductView, language: str = "en") -> str:
    stock = "product.in_stock" if product.in_stock else "product.out_of_stock"
    parts = [message(stock, language, name=product.name, price=price(product, language))]
    how = connection(product.name)
    if how:
        how = message(f"connection.{how}", language)
        parts.append(message("product.connection", language, connection=how))
    if product.colours:
        parts.append(message("product.colours", language, colours=colours(product, language)))
    if product.sizes:
        parts.append(message("product.sizes", language, sizes=", ".join(product.sizes)))
    if product.warranty_months:
        parts.append(message("product.warranty", language, months=product.warranty_months))
    return sentences(parts, language)


def product_card(product: ProductView, language: str = "en") -> dict:
    """The same facts as details(), as the web chat draws them, with the product's picture."""
    rows = []
    how = connection(product.name)
    if how:
        rows.append([message("card.connection", language), message(f"connection.{how}", language)])
    if product.colours:
        rows.append([message("card.colours", language), colours(product, language)])
    if product.sizes:
        rows.append([message("card.sizes", language), ", ".join(product.sizes)])
    if product.warranty_months:
        months = message("card.warranty_months", language, months=product.warranty_months)
        rows.append([message("card.warranty", language), months])
    card = {
        "name": product.name,
        "price": price(product, language),
        "in_stock": product.in_stock,
        "stock": message("card.in_stock" if product.in_stock else "card.out_of_stock", language),
        "rows": rows,
    }
    url = picture(product.category, product.subcategory)
    if url:
        card["picture"] = url
    return card


def line(product: ProductView, language: str = "en") -> str:
    """A product in a list: its name and price, and whether it is out of stock."""
    key = "product.line" if product.in_stock else "product.line_out_of_stock"
    return message(key, language, name=product.name, price=price(product, language))


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
        language = language_of(tracker)
        request = tracker.latest_message.get("text") or ""
        result = from_catalog(dispatcher, lambda session: recommend(session, request), language)
        if result is None:
            return []
        query, found = result
        low, high = (
            money(cents, language=language) if cents is not None else None
            for cents in (query.min_cents, query.max_cents)
        )
        budget = ""
        if high is not None and low is not None:
            budget = message("product.budget_between", language, low=low, high=high)
        elif high is not None:
            budget = message("product.budget_up_to", language, high=high)
        elif low is not None:
            budget = message("product.budget_from", language, low=low)
        if not found:
            dispatcher.utter_message(text=message("product.none_fits", language, budget=budget))
            return []
        lines = [f"- {line(p, language)}" for p in found]
        found_text = message("product.found", language, budget=budget)
        dispatcher.utter_message(
            text="\n".join([found_text, *lines, message("product.tap", language)]),
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
        language = language_of(tracker)
        names = product_names(tracker) or [tracker.latest_message.get("text") or ""]
        # In a tuple: "no such product" (None inside) is not "catalog unreachable" (None).
        found = from_catalog(
            dispatcher, lambda session: (find_product(session, names[0]),), language
        )
        if found is None:
            return []
        (product,) = found
        if product is None:
            dispatcher.utter_message(text=not_found(names[0], language))
        else:
            web = {}
            if tracker.get_latest_input_channel() == "socketio":
                # The web chat draws the card, with the picture, in the text's place.
                web["json_message"] = {"data": {"product_card": product_card(product, language)}}
            dispatcher.utter_message(text=details(product, language), **web)
        return []


def not_found(name: Optional[str], language: str = "en") -> str:
    return message("product.not_found", language, name=name)


class ActionCompareProducts(Action):
    def name(self) -> str:
        return "action_compare_products"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        language = language_of(tracker)
        names = product_names(tracker)
        if len(names) < 2:
            dispatcher.utter_message(text=message("product.which_two", language))
            return []
        found = from_catalog(
            dispatcher,
            lambda session: [(n, find_product(session, n)) for n in names[:2]],
            language,
        )
        if found is None:
            return []
        lines = [
            f"- {details(p, language)}" if p else f"- {not_found(n, language)}" for n, p in found
        ]
        side = message("product.side_by_side", language)
        dispatcher.utter_message(text="\n".join([side, *lines]))
        return []
