"""Replies about an order, built from database facts only."""

from __future__ import annotations

from datetime import date

from shopassist.generation.base import GenerationRequest, Generator, Reply, phrase
from shopassist.store.orders import STATUS_LABELS, OrderFacts


def _day(value: date) -> str:
    return value.strftime("%d %b %Y").lstrip("0")


def order_status_request(facts: OrderFacts) -> GenerationRequest:
    """The template reply and the facts any rephrasing must keep."""
    label = STATUS_LABELS.get(facts.status, facts.status.replace("_", " "))
    must_keep = {"order_id": facts.order_id, "status": label}
    lines = [f"Order #{facts.order_id}, placed on {_day(facts.placed_on)}, is {label}."]
    if facts.carrier and facts.tracking_number:
        must_keep.update(carrier=facts.carrier, tracking_number=facts.tracking_number)
        lines.append(f"Carrier: {facts.carrier}, tracking number {facts.tracking_number}.")
    if facts.delivered_on:
        must_keep["delivered_on"] = _day(facts.delivered_on)
        lines.append(f"It was delivered on {_day(facts.delivered_on)}.")
    elif facts.estimated_delivery and facts.status in {"shipped", "out_for_delivery"}:
        must_keep["estimated_delivery"] = _day(facts.estimated_delivery)
        lines.append(f"Estimated delivery: {_day(facts.estimated_delivery)}.")
    if facts.items:
        lines.append("Items: " + "; ".join(facts.items) + f" (total {facts.total}).")
    return GenerationRequest(task="order_status", template=" ".join(lines), facts=must_keep)


def order_status_reply(facts: OrderFacts, generator: Generator) -> Reply:
    return phrase(order_status_request(facts), generator)
