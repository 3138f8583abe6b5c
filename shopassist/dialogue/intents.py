"""How the assistant names what a customer may have meant, for "Did you mean ...?" buttons.

Only requests the customer can make are offered; conversational intents (affirm, inform,
...) and the retrieval intents (faq, chitchat: their answer needs the words, not a button)
are never suggested.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Tuple

SUGGESTIONS: Dict[str, str] = {
    "order_status": "Where is my order?",
    "list_orders": "Show my recent orders",
    "cancel_order": "Cancel an order",
    "cancel_item": "Cancel one item of an order",
    "change_order": "Change an item (size, colour, quantity)",
    "change_address": "Change the delivery address",
    "start_return": "Return something",
    "request_refund": "Get a refund",
    "return_status": "Where is my return or refund?",
    "get_invoice": "Get my invoice",
    "cancellation_fee": "Is there a cancellation fee?",
    "payment_declined": "My payment was declined",
    "payment_pending": "A pending charge",
    "payment_charged_twice": "I was charged twice",
    "product_info": "A question about a product",
    "product_recommendation": "Product recommendations",
    "product_compare": "Compare products",
    "complaint": "Make a complaint",
    "human_handoff": "Talk to a person",
    "newsletter_subscribe": "Sign up for the newsletter",
    "newsletter_unsubscribe": "Unsubscribe from the newsletter",
    "delete_account": "Delete my account",
    "leave_review": "Leave a review",
}

# Below this a guess is noise, not a suggestion: gibberish spreads DIET's confidence over
# many intents at 0.05-0.08 each.
MIN_CONFIDENCE = 0.1
MAX_SUGGESTIONS = 2


def suggestions(intent_ranking: Iterable[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """(intent, button title) for the likeliest requests, best first."""
    picked: List[Tuple[str, str]] = []
    for candidate in intent_ranking or []:
        name = candidate.get("name")
        if name in SUGGESTIONS and (candidate.get("confidence") or 0) >= MIN_CONFIDENCE:
            picked.append((name, SUGGESTIONS[name]))
        if len(picked) == MAX_SUGGESTIONS:
            break
    return picked


# After a rule question is answered, the request it usually leads to is offered as a button
# (answer first, then the offer to act): the customer chooses; no form starts on its own.
FOLLOW_UPS: Dict[str, str] = {
    "faq/return_policy": "start_return",
    "faq/exchanges": "start_return",
    "faq/refund_timing": "return_status",
    "faq/delivery_time": "order_status",
    "faq/invoice_questions": "get_invoice",
    "faq/warranty": "human_handoff",
}
OFFERS: Dict[str, str] = {
    "start_return": "Start a return",
    "request_refund": "Request a refund",
    "cancel_order": "Cancel an order",
    "return_status": "Check my return or refund",
    "order_status": "Track my order",
    "get_invoice": "Get my invoice",
    "human_handoff": "Talk to a person",
}


def button(intent: str) -> Dict[str, str]:
    """The button that asks for `intent`, with the words customers see for it."""
    return {"title": OFFERS.get(intent) or SUGGESTIONS[intent], "payload": f"/{intent}"}


def follow_up(topic: str | None, request: str | None = None) -> List[Dict[str, str]]:
    """The button offering the request a rule question leads to, if any: the request the
    customer's words named (`request`, e.g. start_return for "will returning it cost me
    anything?"), else the one the question's `topic` usually leads to."""
    intent = request if request in SUGGESTIONS else FOLLOW_UPS.get(topic or "")
    return [button(intent)] if intent else []
