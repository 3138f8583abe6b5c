"""Running rasa-sdk actions in tests as the action server would: a tracker built from slots
and events, a collecting dispatcher, and the slots the action set."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from shopassist.auth import stamps
from shopassist.auth.client import client_key
from shopassist.store.db import session_scope
from shopassist.store.models import Order
from shopassist.store.orders import owner_email

DOMAIN = yaml.safe_load((Path(__file__).parents[1] / "domain.yml").read_text())
DEMO_ORDERS = {100234, 100235, 100236, 100310, 100311, 100312, 100400, 100401, 100402}


@dataclass
class Result:
    events: List[Dict[str, Any]]
    messages: List[Dict[str, Any]]
    slots: Dict[str, Any] = field(default_factory=dict)

    @property
    def texts(self) -> List[str]:
        return [m.get("text") or "" for m in self.messages]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    *,
    new_slots: Optional[Dict[str, Any]] = None,
    intent: str = "inform",
    text: str = "...",
    metadata: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
    channel: str = "rest",
    stamped: bool = True,
    sentiment: Optional[Tuple[str, float]] = None,
    language: Optional[str] = None,
) -> Tracker:
    """A tracker whose latest customer message (`text`, `intent`, `entities`, the intent
    ranking) filled `new_slots`.

    Slots that say the customer is verified carry the action server's stamp, as in a real
    conversation where this action server verified them; `stamped=False` leaves it out (a
    tracker forged by whoever calls). `sentiment` is the message's (label, score), as
    shopassist.nlu.sentiment reads it; `language` a served language the conversation was
    clearly written in before this message."""
    new_slots = new_slots or {}
    sender = sender or f"test-{uuid.uuid4().hex[:12]}"
    slots = dict(slots or {})
    if stamped and "identity_stamp" not in slots:
        email, order = slots.get("verified_email"), slots.get("verified_order")
        if email or order:
            holder = stamps.holder(sender, client_key(metadata, sender[:80]))
            slots["identity_stamp"] = stamps.issue(holder, email, order)
    message = {
        "intent": {"name": intent},
        "entities": list(entities or []),
        "intent_ranking": list(ranking or []),
        "text": text,
        "metadata": metadata or {},
    }
    if sentiment is not None:
        message["sentiment"] = {"label": sentiment[0], "score": sentiment[1]}
        slots.setdefault("sentiment", sentiment[0])
    earlier = [] if language is None else [language_turn(language)]
    history = (
        earlier
        + list(events or [])
        + [{"event": "user", "text": text, "parse_data": message, "input_channel": channel}]
    )
    history += [{"event": "slot", "name": k, "value": v} for k, v in new_slots.items()]
    return Tracker(
        # A conversation of its own by default: failed identity checks count per conversation.
        sender_id=sender,
        slots={"identity_failures": 0.0, **slots, **new_slots},
        latest_message=message,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def language_turn(language: str) -> Dict[str, Any]:
    """A customer message clearly written in `language`: the conversation's language."""
    reading = {"code": language, "clear": True}
    return {"event": "user", "text": "...", "parse_data": {"language": reading}}


def run(action, tracker: Tracker) -> Result:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return Result(events, dispatcher.messages, slots)


def answered_yes(offer_name: str, slots: Dict[str, Any], sender: Optional[str] = None) -> Tracker:
    """The tracker after the customer said "yes" to the question `offer_name` asked."""
    before = [{"event": "action", "name": offer_name}, {"event": "action", "name": "action_listen"}]
    return make_tracker(slots, intent="affirm", text="yes", events=before, sender=sender)


def orders_with_status(db_url: str, status: str, skip: int = 0, limit: int = 3) -> List[str]:
    """Non-demo orders in `status`, newest first (store tests take the oldest)."""
    with session_scope(db_url) as session:
        ids = session.execute(
            select(Order.id)
            .where(Order.status == status, Order.id.notin_(DEMO_ORDERS))
            .order_by(Order.id.desc())
            .offset(skip)
            .limit(limit)
        ).scalars()
        return [str(i) for i in ids]


def verified(order_id: str, db_url: str, **slots: Any) -> Dict[str, Any]:
    """Slots of a conversation in which the owner of `order_id` proved who they are."""
    with session_scope(db_url) as session:
        email = owner_email(session, order_id)
    return {
        "order_id": order_id,
        "verified_order": order_id,
        "verified_email": email,
        "email": email,
        **slots,
    }
