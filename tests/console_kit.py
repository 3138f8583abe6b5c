"""Tracker stores for the console's tests, written by Rasa itself.

Conversations are built from Rasa events (with parse data shaped as ShopAssist's NLU
pipeline leaves it: intent, confidence, entities, and the `sentiment` result and entity of
shopassist.nlu.sentiment) and saved through rasa.core.tracker_store.SQLTrackerStore, so
the console reads exactly the rows Rasa writes.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.core.actions.two_stage_fallback import _message_clarification
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine

from shopassist.console.conversations import ConversationStore

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_PATH = ROOT / "domain.yml"
NLU_DIR = ROOT / "data" / "nlu"
DAY = 24 * 3600
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc).timestamp()  # 2026-11-20 09:00 UTC


@lru_cache(maxsize=1)
def domain() -> Domain:
    return Domain.load(str(DOMAIN_PATH))


def user(
    text: str,
    intent: str,
    at: float,
    confidence: float = 0.95,
    entities: Sequence[Tuple[str, str]] = (),
    sentiment: Optional[Tuple[str, float]] = None,
    ranking: Sequence[Tuple[str, float]] = (),
    language: Optional[str] = None,
    metadata: Optional[Dict[str, Any]] = None,
) -> UserUttered:
    """A user message as Rasa records it. `intent` may be a full retrieval intent
    (`faq/returns`); `entities` are (value, entity) pairs found in `text`; `sentiment` is
    (label, score) as shopassist.nlu.sentiment adds it; `ranking` is the classifier's
    (intent, confidence) list, which a `nlu_fallback` intent goes ahead of, as Rasa's
    FallbackClassifier puts it; `language` the language the message was clearly written in
    (shopassist.nlu.language_reader); `metadata` what the channel sent with it. Each
    message gets its own id, as Rasa's channels give it."""
    base, _, response_key = intent.partition("/")
    parsed_intent: Dict[str, Any] = {"name": base, "confidence": confidence}
    if response_key:  # what rasa.core.processor adds from the response selector
        parsed_intent["full_retrieval_intent_name"] = intent
    found = []
    for value, entity in entities:
        start = text.index(value)
        found.append(
            {"entity": entity, "value": value, "start": start, "end": start + len(value),
             "confidence_entity": 0.99, "extractor": "DIETClassifier"}
        )  # fmt: skip
    ranked = [{"name": name, "confidence": score} for name, score in ranking]
    if not ranked or ranked[0]["name"] != base:
        ranked.insert(0, dict(parsed_intent))
    parse_data: Dict[str, Any] = {
        "text": text,
        "intent": parsed_intent,
        "intent_ranking": ranked,
    }
    if sentiment is not None:
        label, score = sentiment
        parse_data["sentiment"] = {"label": label, "score": score}
        found.append(
            {"entity": "sentiment", "value": label, "start": 0, "end": 0,
             "confidence": abs(score), "extractor": "SentimentAnalyzer"}
        )  # fmt: skip
    if language is not None:
        parse_data["language"] = {"code": language, "clear": True}
    parse_data["entities"] = found
    return UserUttered(
        text, parsed_intent, found, parse_data, timestamp=at, input_channel="rest",
        message_id=uuid.uuid4().hex, metadata=metadata,
    )  # fmt: skip


def bot(
    text: str,
    at: float,
    agent: Optional[str] = None,
    buttons: Sequence[Tuple[str, str]] = (),
) -> BotUttered:
    """A bot message; `buttons` are (title, payload) pairs, kept in `data` as Rasa does."""
    data = {"buttons": [{"title": t, "payload": p} for t, p in buttons]} if buttons else {}
    return BotUttered(text, data, metadata={"agent": agent} if agent else {}, timestamp=at)


def action(name: str, at: float) -> ActionExecuted:
    return ActionExecuted(name, timestamp=at)


def slot(name: str, value: Any, at: float) -> SlotSet:
    return SlotSet(name, value, timestamp=at)


def pause(at: float) -> ConversationPaused:
    """A person takes the conversation over (shopassist.console.takeover)."""
    return ConversationPaused(timestamp=at)


def resume(at: float) -> ConversationResumed:
    return ConversationResumed(timestamp=at)


def session_start(at: float) -> List[Event]:
    """The events Rasa begins every conversation with."""
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]


# ----------------------------------------------- conversations with buttons and a fallback

ORDERS = [
    ("Order #100234 · placed 2 Nov", '/inform{"order_id": "100234"}'),
    ("Order #100235 · placed 9 Nov", '/inform{"order_id": "100235"}'),
]
LINES = [("Jeans, blue (W32)", "1"), ("Coffee mug", "2")]
# What the classifier weighed for a message it was unsure of; Rasa's FallbackClassifier puts
# nlu_fallback (confidence: its threshold) ahead of these.
UNSURE = [
    ("request_refund", 0.41),
    ("return_status", 0.33),
    ("order_status", 0.12),
    ("greet", 0.05),
    ("goodbye", 0.04),
    ("affirm", 0.03),
]


def buttons_pressed():
    """A customer who picks an order and an order line with buttons, then types."""
    return [
        *session_start(T0),
        user("where is my order", "order_status", T0 + 1),
        bot("Which order do you mean?", T0 + 2, buttons=ORDERS),
        action("action_listen", T0 + 2),
        user(ORDERS[1][1], "inform", T0 + 3, 1.0, ranking=[("inform", 1.0)]),
        bot("Which item would you like to return?\n1. Jeans\n2. Coffee mug", T0 + 4, buttons=LINES),
        action("action_listen", T0 + 4),
        # The case: the chat sent "2", which the model read as a rating.
        user("2", "rate", T0 + 5, 0.71, ranking=[("rate", 0.71), ("inform", 0.2)]),
        bot("Why are you sending it back?", T0 + 6),
        action("action_listen", T0 + 6),
        user("2", "rate", T0 + 7, 0.71),  # typed, no buttons on offer: as typed
        bot("Shall I start the return?", T0 + 8, buttons=[("Yes", "/affirm"), ("No", "/deny")]),
        action("action_listen", T0 + 8),
        user("yes please", "affirm", T0 + 9),  # words, not a payload: as typed
    ]


SUGGESTIONS = [("Get my money back", "/request_refund"), ("Something else", "/out_of_scope")]


def picked_after_fallback(
    text: str, offer: BotUttered, payload: str, intent: str, answer: BotUttered
) -> List[Event]:
    """Rasa's two-stage fallback, as Rasa stores it: `text` not understood, the "did you
    mean?" `offer`, the customer presses the button `payload` (`intent`), and the fallback
    rewinds the press and stores it again (TwoStageFallbackAction.deactivate:
    UserUtteranceReverted + _message_clarification) before the `answer`."""
    events = [
        *session_start(T0),
        user(text, "nlu_fallback", T0 + 1, 0.5, ranking=UNSURE),
        action("action_two_stage_fallback", T0 + 1),
        ActiveLoop("action_two_stage_fallback", timestamp=T0 + 1),
        offer,
        action("action_listen", T0 + 1),
        user(payload, intent, T0 + 2, 1.0),
        action("action_two_stage_fallback", T0 + 2),
        ActiveLoop(None, timestamp=T0 + 2),
    ]
    tracker = DialogueStateTracker.from_events("c", events, slots=domain().slots)
    events += [UserUtteranceReverted(timestamp=T0 + 2), *_message_clarification(tracker)]
    return events + [answer]


def suggestion_picked():
    """A request picked among the "did you mean" suggestions."""
    return picked_after_fallback(
        "money back thing",
        bot("Did you mean ...?", T0 + 1, buttons=SUGGESTIONS),
        "/request_refund",
        "request_refund",
        bot("Refunds go back to the card you paid with.", T0 + 3),
    )


def section_offer(section: str, title: str, at: float = T0 + 1) -> BotUttered:
    """ "Did you mean ...?" offering the help-page `section` (its heading `title`) as
    actions/support.py sends it: the section's id in the message's metadata."""
    buttons = [
        {"title": title, "payload": "/faq"},
        {"title": "Something else", "payload": "/out_of_scope"},
    ]
    metadata = {"help_section": section, "utter_action": "utter_did_you_mean"}
    return BotUttered("Did you mean one of these?", {"buttons": buttons}, metadata, timestamp=at)


def section_picked(text: str, section: str, title: str, answer: BotUttered) -> List[Event]:
    """The help-page section picked among the "did you mean" buttons, then the `answer`."""
    return picked_after_fallback(text, section_offer(section, title), "/faq", "faq", answer)


def write_tracker_store(path: Path, conversations: Dict[str, List[Event]]) -> str:
    """Saves each conversation (sender id -> events) with Rasa's SQLTrackerStore into the
    SQLite file `path`; returns the database URL."""
    store = SQLTrackerStore(domain(), dialect="sqlite", db=str(path))
    try:
        for sender_id, events in conversations.items():
            tracker = DialogueStateTracker.from_events(sender_id, events, slots=domain().slots)
            asyncio.run(store.save(tracker))  # async in Rasa 3.6
    finally:
        store.engine.dispose()
    return f"sqlite:///{path}"


def conversation_store(path: Path, conversations: Dict[str, List[Event]]) -> ConversationStore:
    """A ConversationStore (the console's reader) over a tracker store Rasa wrote."""
    return ConversationStore(create_engine(write_tracker_store(path, conversations)))
