"""How the assistant names what a customer may have meant, for "Did you mean ...?" buttons.

Only requests the customer can make are offered; conversational intents (affirm, inform,
...) and the retrieval intents (faq, chitchat: their answer needs the words, not a button)
are never suggested.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Tuple

from shopassist.language.messages import SOURCE, catalog, message

# Each request's button title ("suggest.<intent>" in the message catalog), in English.
SUGGESTIONS: Dict[str, str] = {
    key.split(".", 1)[1]: text
    for key, text in catalog(SOURCE).items()
    if key.startswith("suggest.") and key != "suggest.something_else"
}

# Below this a guess is noise, not a suggestion: gibberish spreads DIET's confidence over
# many intents at 0.05-0.08 each.
MIN_CONFIDENCE = 0.1
MAX_SUGGESTIONS = 2


def suggestions(
    intent_ranking: Iterable[Dict[str, Any]], language: str = SOURCE
) -> List[Tuple[str, str]]:
    """(intent, button title in `language`) for the likeliest requests, best first."""
    picked: List[Tuple[str, str]] = []
    for candidate in intent_ranking or []:
        name = candidate.get("name")
        if name in SUGGESTIONS and (candidate.get("confidence") or 0) >= MIN_CONFIDENCE:
            picked.append((name, message(f"suggest.{name}", language)))
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
# The words of a button that offers a request after an answer ("offer.<intent>").
OFFERS: Dict[str, str] = {
    key.split(".", 1)[1]: text for key, text in catalog(SOURCE).items() if key.startswith("offer.")
}


def button(intent: str, language: str = SOURCE) -> Dict[str, str]:
    """The button that asks for `intent`, with the words customers see for it."""
    key = f"offer.{intent}" if intent in OFFERS else f"suggest.{intent}"
    return {"title": message(key, language), "payload": f"/{intent}"}


def follow_up(
    topic: str | None, request: str | None = None, language: str = SOURCE
) -> List[Dict[str, str]]:
    """The button offering the request a rule question leads to, if any: the request the
    customer's words named (`request`, e.g. start_return for "will returning it cost me
    anything?"), else the one the question's `topic` usually leads to."""
    intent = request if request in SUGGESTIONS else FOLLOW_UPS.get(topic or "")
    return [button(intent, language)] if intent else []
