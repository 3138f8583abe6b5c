"""Calling a running action server as the Rasa server does: `/webhook` with a tracker's state
and the domain, the conversation's slots following the events each action returns. The
action-server tests and the action server's memory benchmark
(bench/serving/action_memory.py) drive it with the same conversations: a knowledge
question, an order status after the identity check, and a return through its form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict

import requests

from shopassist.store.db import session_scope
from shopassist.store.orders import order_facts, order_lines, owner_email
from tests.actions_kit import DOMAIN, make_tracker, orders_with_status
from tests.conftest import ANCHOR


class WebhookCalls:
    """One action server, called with its shared secret."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.session = url, requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def __call__(self, action: str, slots: Dict[str, Any], **tracker: Any) -> str:
        """Runs `action` on a tracker made by `make_tracker(slots, **tracker)` (unstamped:
        only the server stamps), adds the slots it set to `slots`, returns its texts."""
        state = make_tracker(slots, stamped=False, **tracker).current_state()
        body = {"next_action": action, "sender_id": state["sender_id"], "tracker": state}
        response = self.session.post(
            f"{self.url}/webhook", json={**body, "domain": DOMAIN}, timeout=120
        )
        response.raise_for_status()
        reply = response.json()
        for event in reply.get("events", []):
            if event.get("event") == "slot":
                slots[event["name"]] = event["value"]
        return "\n".join(str(r.get("text") or "") for r in reply.get("responses", []))


KNOWLEDGE_QUESTIONS = [
    "what is your return policy?",
    "how long does shipping take?",
    "can I pay with paypal?",
]


def knowledge_question(call: WebhookCalls, sender: str, number: int = 0) -> str:
    question = KNOWLEDGE_QUESTIONS[number % len(KNOWLEDGE_QUESTIONS)]
    return call("action_answer_question", {}, intent="faq", text=question, sender=sender)


def identity_checked(call: WebhookCalls, sender: str, customer: Dict[str, str], **slots) -> dict:
    """The slots after the order form checked the customer's order number and e-mail."""
    slots = dict(slots)
    call(
        "validate_order_lookup_form",
        slots,
        new_slots={"order_id": customer["order"], "email": customer["email"]},
        active_loop="order_lookup_form",
        sender=sender,
    )
    if not slots.get("identity_stamp"):
        raise RuntimeError(f"the identity check of order {customer['order']} failed")
    return slots


def order_status(call: WebhookCalls, sender: str, customer: Dict[str, str]) -> str:
    slots = identity_checked(call, sender, customer, order_request="status")
    return call("action_order_status", slots, sender=sender)


def return_step(call: WebhookCalls, sender: str, customer: Dict[str, str]) -> str:
    """A return through its form: identity, the item, the reason, the condition, the offer."""
    slots = identity_checked(call, sender, customer, order_request="start_return")
    for name, value in (
        ("return_items", "1"),
        ("return_reason", "it doesn't fit"),
        ("return_condition", "unopened"),
    ):
        form = {"active_loop": "return_form", "sender": sender}
        call("validate_return_form", slots, new_slots={name: value}, **form)
    return call("action_offer_return", slots, sender=sender)


def customer(db_url: str, status: str, skip: int = 0) -> Dict[str, str]:
    """A non-demo order in `status` and its owner's e-mail."""
    (order,) = orders_with_status(db_url, status, skip, 1)
    with session_scope(db_url) as session:
        return {"order": order, "email": owner_email(session, order)}


def returning_customer(db_url: str, skip: int = 0) -> Dict[str, str]:
    """An order delivered in the last 20 days whose first line can go back, and its owner."""
    for order in orders_with_status(db_url, "delivered", skip, 60):
        with session_scope(db_url) as session:
            facts, lines = order_facts(session, order), order_lines(session, order)
            fresh = facts.delivered_on and facts.delivered_on >= ANCHOR - timedelta(days=20)
            if fresh and lines[0].returnable and lines[0].returnable_quantity:
                return {"order": order, "email": owner_email(session, order)}
    raise RuntimeError("no recently delivered order with a returnable first line")
