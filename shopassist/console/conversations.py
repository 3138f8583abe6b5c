"""Conversations as the console shows them, read from Rasa's SQL tracker store.

Rasa's SQLTrackerStore keeps one row per event in the table `events` (sender_id, type_name,
timestamp, intent_name, action_name, data as JSON). The console only reads it, so a review
never changes a conversation; what the assistant understood (intent, confidence, entities,
sentiment) is in each user event's `parse_data`.

Every row passes through `ConversationStore`, which decrypts `data` when the tracker store
encrypts it (shopassist/at_rest.py): the list, transcripts, the inbox, analytics and saved
stories all read the rows it hands out. A conversation no key opens is left out of the
list and counted in `problem()`, which every page shows; opening it shows why.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, select
from sqlalchemy.engine import Engine

from shopassist import at_rest
from shopassist.at_rest import Cipher, DataKeyError
from shopassist.dialogue.transcript import AsSeen
from shopassist.formats import moment

logger = logging.getLogger(__name__)
metadata = MetaData()
# The columns of rasa.core.tracker_store.SQLTrackerStore.SQLEvent (Rasa 3.6).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

LOW_CONFIDENCE = 0.6  # below this, a message goes to the annotation inbox
FALLBACK_ACTIONS = {"action_default_fallback", "action_two_stage_fallback"}
FALLBACK_INTENT = "nlu_fallback"
HANDOFF_ACTION = "action_handoff"
# Rasa's bookkeeping, not steps a reviewer needs to see.
HIDDEN_ACTIONS = {"action_listen", "action_session_start"}
# Never shown: the sentiment slot repeats the per-message sentiment, and Rasa copies the
# first message's metadata (the logged-in page's customer token, a credential) into
# session_started_metadata.
HIDDEN_SLOTS = {None, "sentiment", "session_started_metadata"}
RANKING = 5  # intents listed per message


@dataclass
class Turn:
    """One event of the transcript, as the console lists it."""

    kind: str  # user, bot, action, slot, paused, resumed
    at: float
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    entities: List[Dict[str, Any]] = field(default_factory=list)
    sentiment: Optional[Dict[str, Any]] = None
    name: Optional[str] = None  # the action, or the slot
    value: Any = None  # the slot's value
    agent: Optional[str] = None  # a person's reply from the console
    # Which path understood (user: "search", "question_first") or answered (bot: "curated",
    # "passage", "unknown", "did_you_mean", a model's answer) a question; set by
    # shopassist.nlu.help_search and actions/knowledge.py.
    answered_by: Optional[str] = None
    feedback: Optional[str] = None  # the customer's "up" or "down" on a bot answer
    # A button press: the title the customer saw (`text` is the payload the chat sent).
    button: Optional[str] = None
    # The likeliest intents, [{"name", "confidence"}], without nlu_fallback: its confidence
    # is the threshold, and under it are the intents the classifier really weighed.
    ranking: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """The message as the customer saw it."""
        return self.button or self.text

    @property
    def fallback(self) -> bool:
        return self.intent == FALLBACK_INTENT

    @property
    def time(self) -> str:
        return moment(self.at, seconds=True)

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


@dataclass
class Summary:
    conversation: str
    started: float
    last: float
    user_messages: int = 0
    bot_messages: int = 0
    intents: List[str] = field(default_factory=list)
    fallback: bool = False
    handoff: bool = False
    negative: bool = False
    low_confidence: bool = False
    paused: bool = False
    rating: Optional[int] = None

    @property
    def day(self) -> date:
        return datetime.fromtimestamp(self.started, tz=timezone.utc).date()

    @property
    def started_text(self) -> str:
        return moment(self.started)


@dataclass(frozen=True)
class EventRow:
    """One row of `events` with its data readable (decrypted if it was stored encrypted)."""

    id: int
    sender_id: str
    type_name: str
    timestamp: Optional[float]
    intent_name: Optional[str]
    action_name: Optional[str]
    data: Optional[str]


def opened(row, cipher: Optional[Cipher]) -> EventRow:
    """`row` as the console reads it; raises DataKeyError if no configured key opens it."""
    return EventRow(
        row.id, row.sender_id, row.type_name, row.timestamp, row.intent_name,
        row.action_name, at_rest.open_data(row.data, cipher),
    )  # fmt: skip


def _data(row) -> Dict[str, Any]:
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def spanned_entities(entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The entities found in the words, once per span. Left out: entities without a span,
    like the `sentiment` one shopassist.nlu.sentiment adds to every message, and the second
    of two extractors that found the same span (the order-number regex and DIET): a story
    would write that as `[100234][{...}, {...}]`, which no reader takes back."""
    seen, kept = set(), []
    for entity in entities:
        key = (entity.get("start"), entity.get("end"), entity.get("entity"))
        if (entity.get("end") or 0) > (entity.get("start") or 0) and key not in seen:
            seen.add(key)
            kept.append(entity)
    return kept


def ranking(parse_data: Dict[str, Any]) -> List[Dict[str, Any]]:
    ranked = [
        {"name": r.get("name"), "confidence": r.get("confidence")}
        for r in parse_data.get("intent_ranking") or []
        if isinstance(r, dict) and r.get("name") and r.get("name") != FALLBACK_INTENT
    ]
    return ranked[:RANKING]


def turn_of(row) -> Optional[Turn]:
    """The console's view of one event row, or None for events a reviewer doesn't need."""
    data = _data(row)
    at = float(row.timestamp or 0)
    if row.type_name == "user":
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        entities = spanned_entities(parse.get("entities") or [])
        return Turn(
            "user",
            at,
            text=str(data.get("text") or ""),
            intent=intent.get("name") or row.intent_name,
            confidence=intent.get("confidence"),
            entities=[
                {
                    "entity": e.get("entity"),
                    "value": e.get("value"),
                    "start": e.get("start"),
                    "end": e.get("end"),
                }
                for e in entities
            ],  # fmt: skip
            sentiment=parse.get("sentiment"),
            answered_by=parse.get("answered_by"),
            ranking=ranking(parse),
        )
    if row.type_name == "bot":
        meta = data.get("metadata") or {}
        extra = data.get("data") or {}
        buttons = extra.get("buttons") or []
        text = str(data.get("text") or "")
        card = ((extra.get("custom") or {}).get("data") or {}).get("order_card")
        if not text and isinstance(card, dict):  # the web chat's order card (actions/orders.py)
            text = f"[order card: {card.get('title')}, {card.get('status')}]"
        upload = ((extra.get("custom") or {}).get("data") or {}).get("photo_upload")
        if not text and isinstance(upload, dict):  # the web chat's photo upload control
            text = f"[photo upload offered: {upload.get('rma_number')}]"
        if buttons:
            text += "\n" + " · ".join(f"[{b.get('title')}]" for b in buttons)
        return Turn(
            "bot", at, text=text, agent=meta.get("agent"), answered_by=meta.get("answered_by")
        )
    if row.type_name == "action" and row.action_name not in HIDDEN_ACTIONS:
        return Turn("action", at, name=row.action_name)
    if row.type_name == "slot" and data.get("name") not in HIDDEN_SLOTS:
        return Turn("slot", at, name=data.get("name"), value=data.get("value"))
    if row.type_name == "pause":
        return Turn("paused", at)
    if row.type_name == "resume":
        return Turn("resumed", at)
    return None


def turns_of(rows: Iterable) -> List[Turn]:
    """The transcript of one conversation's rows (in order of id), as the customer saw it:
    button presses by their titles, and each message once (shopassist.dialogue.transcript)."""
    turns: List[Turn] = []
    seeing = AsSeen()
    for row in rows:
        seen = seeing.see({"event": row.type_name, **_data(row)})
        turn = None if seen.repeat else turn_of(row)
        if turn is not None:
            turn.button = seen.button
            turns.append(turn)
    return turns


def said_once(rows: Iterable) -> Iterable:
    """`rows` without the copies Rasa stores of a customer's message (AsSeen), so that
    counts of messages agree with the transcript."""
    seeing = AsSeen()
    for row in rows:
        if row.type_name != "user" or not seeing.see({"event": "user", **_data(row)}).repeat:
            yield row


def summarise(conversation: str, rows: Iterable) -> Optional[Summary]:
    summary: Optional[Summary] = None
    for row in said_once(rows):
        at = float(row.timestamp or 0)
        if summary is None:
            summary = Summary(conversation, at, at)
        summary.last = max(summary.last, at)
        if row.type_name == "user":
            summary.user_messages += 1
            turn = turn_of(row)
            if turn.intent and turn.intent not in summary.intents:
                summary.intents.append(turn.intent)
            summary.fallback |= turn.intent == FALLBACK_INTENT
            summary.low_confidence |= turn.low_confidence
            summary.negative |= (turn.sentiment or {}).get("label") == "negative"
        elif row.type_name == "bot":
            summary.bot_messages += 1
        elif row.type_name == "action":
            summary.fallback |= row.action_name in FALLBACK_ACTIONS
            summary.handoff |= row.action_name == HANDOFF_ACTION
        elif row.type_name == "pause":
            summary.paused = True
        elif row.type_name in ("resume", "restart"):
            summary.paused = False
    return summary


# Rows committed out of id order (two Rasa servers saving at the same moment) are still
# found: each look for changes goes this many ids back from the highest one seen.
LOOKBACK_IDS = 10_000
CHUNK = 500  # conversations per IN (...) query


@dataclass
class _Derived:
    seen: int = -LOOKBACK_IDS - 1  # the highest event id read
    versions: Dict[str, Tuple[int, int]] = field(default_factory=dict)  # (max id, rows)
    values: Dict[str, Any] = field(default_factory=dict)


def _chunks(items: List[str]) -> Iterable[List[str]]:
    return (items[i : i + CHUNK] for i in range(0, len(items), CHUNK))


class ConversationStore:
    """Reads the tracker store; `ratings` maps a conversation to its latest rating.

    Figures per conversation (its summary, its share of the analytics) are kept between
    page loads and recomputed only for conversations with new events, found by event id:
    a page costs the messages since the last one, not the whole history. Rasa only ever
    appends events, so a conversation's (highest id, row count) tells whether it changed.
    """

    def __init__(self, engine: Engine, cipher: Optional[Cipher] = None) -> None:
        self.engine = engine
        self.cipher = cipher
        self._lock = threading.Lock()
        self._derived: Dict[str, _Derived] = {}
        self.unreadable: Dict[str, str] = {}  # conversation -> why it can't be read

    def _open(self, conversation: str, rows: Iterable) -> Optional[List[EventRow]]:
        """The conversation's rows opened, or None (noted in `unreadable`) if a key is
        missing: one such conversation must not hide all the others."""
        try:
            result = [opened(row, self.cipher) for row in rows]
        except DataKeyError as error:
            if conversation not in self.unreadable:
                logger.error("Conversation %s can't be read: %s.", conversation, error)
            self.unreadable[conversation] = str(error)
            return None
        self.unreadable.pop(conversation, None)
        return result

    def problem(self) -> Optional[str]:
        """What every console page says while conversations can't be read, else None."""
        if not self.unreadable:
            return None
        count = len(self.unreadable)
        reason = next(iter(self.unreadable.values()))
        return f"{count} conversation(s) can't be read and are left out: {reason}."

    def _rows(self, conversation: Optional[str] = None) -> List[EventRow]:
        query = select(events).order_by(events.c.sender_id, events.c.id)
        if conversation is not None:
            query = query.where(events.c.sender_id == conversation)
        with self.engine.connect() as connection:
            if not self.engine.dialect.has_table(connection, "events"):
                return []  # Rasa creates the table with its first conversation
            rows = connection.execute(query).fetchall()
        if conversation is not None:  # one conversation: say why it can't be shown
            return [opened(row, self.cipher) for row in rows]
        grouped: Dict[str, list] = {}
        for row in rows:
            grouped.setdefault(row.sender_id, []).append(row)
        result: List[EventRow] = []
        for sender_id, group in grouped.items():
            result += self._open(sender_id, group) or []
        return result

    def per_conversation(self, name: str, derive: Callable[[str, list], Any]) -> Dict[str, Any]:
        """{conversation: derive(conversation, its rows)}, kept under `name` and recomputed
        for the conversations that changed since the last call."""
        with self._lock, self.engine.connect() as connection:
            derived = self._derived.setdefault(name, _Derived())
            if not self.engine.dialect.has_table(connection, "events"):
                return {}
            top = connection.execute(select(func.max(events.c.id))).scalar() or 0
            since = derived.seen - LOOKBACK_IDS
            recent = connection.execute(
                select(events.c.sender_id).where(events.c.id > since).distinct()
            ).scalars().all()  # fmt: skip
            stale = []
            for chunk in _chunks(list(recent)):
                versions = connection.execute(
                    select(events.c.sender_id, func.max(events.c.id), func.count(events.c.id))
                    .where(events.c.sender_id.in_(chunk))
                    .group_by(events.c.sender_id)
                )  # fmt: skip
                stale += [c for c, last, n in versions if derived.versions.get(c) != (last, n)]
            for chunk in _chunks(stale):
                grouped: Dict[str, list] = {}
                query = (
                    select(events)
                    .where(events.c.sender_id.in_(chunk))
                    .order_by(events.c.sender_id, events.c.id)
                )
                for row in connection.execute(query):
                    grouped.setdefault(row.sender_id, []).append(row)
                for conversation, rows in grouped.items():
                    derived.versions[conversation] = (rows[-1].id, len(rows))
                    readable = self._open(conversation, rows)
                    if readable is None:
                        derived.values.pop(conversation, None)
                    else:
                        derived.values[conversation] = derive(conversation, readable)
            derived.seen = max(derived.seen, top)
            return dict(derived.values)

    def summaries(self, ratings: Optional[Dict[str, int]] = None) -> List[Summary]:
        ratings = ratings or {}
        result = [
            replace(summary, rating=ratings.get(conversation))
            for conversation, summary in self.per_conversation("summary", summarise).items()
            if summary and summary.user_messages
        ]
        return sorted(result, key=lambda s: s.last, reverse=True)

    def transcript(self, conversation: str) -> List[Turn]:
        """Raises DataKeyError if no configured key opens the conversation."""
        return turns_of(self._rows(conversation))

    def rows(self, conversation: Optional[str] = None):
        """Every event row, ordered by conversation (analytics; unreadable conversations
        left out), or one conversation's (a test story; DataKeyError if unreadable)."""
        return self._rows(conversation)
