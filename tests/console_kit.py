"""Tracker stores for the console's tests, written by Rasa itself.

Conversations are built from Rasa events (with parse data shaped as ShopAssist's NLU
pipeline leaves it: intent, confidence, entities, and the `sentiment` result and entity of
shopassist.nlu.sentiment) and saved through rasa.core.tracker_store.SQLTrackerStore, so
the console reads exactly the rows Rasa writes.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
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
) -> UserUttered:
    """A user message as Rasa records it. `intent` may be a full retrieval intent
    (`faq/returns`); `entities` are (value, entity) pairs found in `text`; `sentiment` is
    (label, score) as shopassist.nlu.sentiment adds it."""
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
    parse_data: Dict[str, Any] = {
        "text": text,
        "intent": parsed_intent,
        "intent_ranking": [parsed_intent],
    }
    if sentiment is not None:
        label, score = sentiment
        parse_data["sentiment"] = {"label": label, "score": score}
        found.append(
            {"entity": "sentiment", "value": label, "start": 0, "end": 0,
             "confidence": abs(score), "extractor": "SentimentAnalyzer"}
        )  # fmt: skip
    parse_data["entities"] = found
    return UserUttered(text, parsed_intent, found, parse_data, timestamp=at, input_channel="rest")


def bot(text: str, at: float, agent: Optional[str] = None) -> BotUttered:
    return BotUttered(text, metadata={"agent": agent} if agent else {}, timestamp=at)


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
