"""Rasa's SQL tracker store, with a turn's cost kept flat in the conversation's length.

Stock Rasa 3.6 makes every turn of a long conversation slower: each turn loads and rebuilds
the whole conversation, and every policy recomputes a dialogue state for every past turn
before it keeps the last few (stock `rasa init` here: ~54 ms a turn early on, ~400 ms by
turn 400). The policies only look back `max_history` turns (4 and 5 in config.yml; rules
are shorter), so `BoundedSQLTrackerStore` hands Rasa a tracker made of

- stand-ins for the state the conversation had `max_events` events ago: its slot values,
  active form and pause, as SlotSet/ActiveLoop/ConversationPaused events, and
- the events since then, starting at a turn boundary (`action_listen`).

Reading that tracker must not cost more as the conversation grows, so the store keeps, per
conversation, a snapshot of those stand-ins and the id of the last event they sum up (table
`shopassist_tracker_snapshots`, beside Rasa's `events`); a turn reads the snapshot and the
events after it only, and the snapshot moves on once more than 1.25 times `max_events`
events follow it (a small write every few turns, against reading up to twice as many). A
snapshot is derived from the stored events alone, so losing or ignoring one
changes nothing but the cost (one of an earlier session, or of another `max_events`, is
ignored).

Every event stays in the database, and `retrieve_full_tracker` (the HTTP API's
`/conversations/{id}/tracker`, `rasa export`) returns every one of them; stand-ins are
never stored. Saving stores exactly
the events added since loading, and streams the same ones to the event broker (Rasa's
default re-reads the conversation to work that out).

Also, events are rebuilt with a type table built once: Rasa looks an event's class up by
walking all Event subclasses for every event (30 subclass walks per event: 0.3 s for a
1,800-event conversation).

With SHOPASSIST_DATA_KEY set, each event's `data` is stored encrypted (shopassist/at_rest.py)
and decrypted when read; rows stored before the key was set still read. The columns Rasa
queries on stay in clear: sender_id, type_name, timestamp, and intent and action names
(names of the domain, kept only when they look like one).

Use it in endpoints.yml as `type: shopassist.tracker_store.BoundedSQLTrackerStore` with the
keys of Rasa's SQL tracker store, plus `max_events` (default 200, about 30 turns).
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple, Type

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import declarative_base

from shopassist import at_rest, rasa_patches
from shopassist.at_rest import DataKeyError
from shopassist.marks import Marks

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS = 200
# How many of a loaded tracker's events are in the store (kept beside the tracker, whose
# class is Rasa's).
STORED: Marks[int] = Marks()
# What an intent, action, slot or form name looks like. With encryption on, anything else in
# those clear columns (a name appended through the HTTP API, say) is left out: it is in the
# encrypted data anyway, and a column must not carry an e-mail address or an order number.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]{0,254}")
_LONG_NUMBER = re.compile(r"\d{5}")
CHECKED_ROWS = 50  # the latest rows whose data is tried with the key when the store starts


@lru_cache(maxsize=1)
def _event_types() -> Dict[str, Type[Event]]:
    return {cls.type_name: cls for cls in all_subclasses(Event) if hasattr(cls, "type_name")}


def event_from_dict(parameters: Dict[str, Any]) -> Optional[Event]:
    """Event.from_parameters, with the class found in a table instead of a subclass walk."""
    cls = _event_types().get(parameters.get("event"))
    if cls is None:  # an event type Rasa defines later, or none: Rasa's own rules
        return Event.from_parameters(parameters)
    return cls._from_parameters(parameters)


def _cut(events: List[Event], max_events: int) -> int:
    """Index of the first `action_listen` among the last `max_events` events (0: none)."""
    for index in range(max(0, len(events) - max_events), len(events)):
        event = events[index]
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            return index
    return 0


def stand_ins_before(
    sender_id: str, events: List[Event], slots: Iterable, timestamp: float
) -> List[Event]:
    """The state `events` leave behind, as events: slot values, the active form, a pause."""
    before = DialogueStateTracker.from_events(sender_id, events, list(slots))
    stand_ins: List[Event] = [
        SlotSet(slot.name, slot.value, timestamp=timestamp)
        for slot in before.slots.values()
        if slot.value != slot.initial_value
    ]
    if before.active_loop_name:
        stand_ins.append(ActiveLoop(before.active_loop_name, timestamp=timestamp))
    if before.is_paused():
        stand_ins.append(ConversationPaused(timestamp=timestamp))
    return stand_ins


def cut_state(
    sender_id: str, prior: List[Event], events: List[Event], slots: List, max_events: int
) -> Tuple[List[Event], int]:
    """Where to cut `events` (that follow the stand-ins `prior`) to keep their last turns,
    and the stand-ins for the state before the cut: (prior, 0) when nothing is cut."""
    cut = _cut(events, max_events) if len(events) > max_events else 0
    if not cut:
        return list(prior), 0
    return stand_ins_before(sender_id, prior + events[:cut], slots, events[cut].timestamp), cut


def bounded_tracker(
    sender_id: str, events: List[Event], slots: Iterable, max_events: int
) -> DialogueStateTracker:
    """A tracker of `events`' last turns, starting from stand-ins for the state before them."""
    slots = list(slots)
    stand_ins, cut = cut_state(sender_id, [], events, slots, max_events)
    return DialogueStateTracker.from_events(sender_id, stand_ins + events[cut:], slots)


_SnapshotBase = declarative_base()


class TrackerSnapshot(_SnapshotBase):
    """The stand-ins for a conversation's events up to `event_id` (see the module's doc)."""

    __tablename__ = "shopassist_tracker_snapshots"
    sender_id = sa.Column(sa.String(255), primary_key=True)
    event_id = sa.Column(sa.Integer, nullable=False)  # the last event it sums up
    max_events = sa.Column(sa.Integer, nullable=False)
    data = sa.Column(sa.Text, nullable=False)  # JSON list of events; encrypted like events


def clear_name(name: Any) -> Optional[str]:
    """`name` if it can be stored in clear beside encrypted data, else None."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or _LONG_NUMBER.search(name):
        return None
    return name


class BoundedSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        *args: Any,
        max_events: int = DEFAULT_MAX_EVENTS,
        snapshots: bool = True,
        **kwargs: Any,
    ) -> None:
        self.cipher = at_rest.from_env()  # before connecting: a malformed key stops the start
        super().__init__(*args, **kwargs)
        self.max_events = int(max_events)
        self.snapshots = bool(snapshots)
        TrackerSnapshot.__table__.create(self.engine, checkfirst=True)
        # A conversation that can't be decrypted fails its turn (the channels then
        # apologise, shopassist/channels/guard.py) instead of starting again empty.
        rasa_patches.install_fail_safe_reraise(DataKeyError)
        self._check_key()

    def _check_key(self) -> None:
        """Logs, when the server starts, that the latest conversations can't be read with
        the configured key, rather than on a customer's turn only. The server still starts:
        conversations it can read are served, the others get an apology."""
        with self.session_scope() as session:
            rows = (
                session.query(self.SQLEvent.data)
                .order_by(self.SQLEvent.id.desc())
                .limit(CHECKED_ROWS)
                .all()
            )
        for row in rows:
            try:
                at_rest.open_data(row.data, self.cipher)
            except DataKeyError as error:
                logger.error("The tracker store's conversations can't be read: %s.", error)
                return

    def _data(self, sender_id: str, stored: Optional[str]) -> Dict[str, Any]:
        try:
            return json.loads(at_rest.open_data(stored, self.cipher))
        except DataKeyError as error:
            logger.error("Conversation %s can't be read: %s.", sender_id, error)
            raise

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        return self._recent(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        """Every event (the HTTP API's tracker, `rasa export`)."""
        return self._full(conversation_id)

    def _full(self, sender_id: str) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = (
                self._event_query(session, sender_id, True).with_entities(self.SQLEvent.data).all()
            )
        if not self.domain or not rows:
            return None
        events = [e for e in (self._event(sender_id, r.data) for r in rows) if e]
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        STORED.set(tracker, len(tracker.events))
        return tracker

    def _event(self, sender_id: str, stored: Optional[str]) -> Optional[Event]:
        return event_from_dict(self._data(sender_id, stored))

    def _recent(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The bounded tracker, read from the snapshot and the events after it."""
        with self.session_scope() as session:
            snapshot = self._snapshot(session, sender_id)
            query = self._event_query(session, sender_id, False)
            if snapshot is not None:
                query = query.filter(self.SQLEvent.id > snapshot[0])
            rows = query.with_entities(self.SQLEvent.id, self.SQLEvent.data).all()
        if not self.domain or not rows:
            return None
        pairs = [(r.id, e) for r in rows for e in [self._event(sender_id, r.data)] if e]
        ids = [i for i, _ in pairs]
        events = [e for _, e in pairs]
        prior: List[Event] = []
        if snapshot is not None and not any(isinstance(e, SessionStarted) for e in events):
            prior = snapshot[1]  # (a session started since carries its own state)
        slots = list(self.domain.slots)
        stand_ins, cut = cut_state(sender_id, prior, events, slots, self.max_events)
        if cut and self.snapshots and len(events) > self.max_events + self.max_events // 4:
            self._save_snapshot(sender_id, ids[cut - 1], stand_ins)
        tracker = DialogueStateTracker.from_events(sender_id, stand_ins + events[cut:], slots)
        STORED.set(tracker, len(tracker.events))  # stand-ins and stored events
        return tracker

    def _snapshot(self, session: Any, sender_id: str):
        """(last event id, stand-in events) of the conversation's usable snapshot, or None."""
        if not self.snapshots:
            return None
        row = session.get(TrackerSnapshot, sender_id)
        if row is None or row.max_events != self.max_events:
            return None
        try:
            stored = json.loads(at_rest.open_data(row.data, self.cipher))
        except DataKeyError:  # written with a key since removed: read the events instead
            return None
        return row.event_id, [e for e in map(event_from_dict, stored) if e]

    def _save_snapshot(self, sender_id: str, event_id: int, stand_ins: List[Event]) -> None:
        """Moves the conversation's snapshot on; a failure only leaves the old one (a
        snapshot saves reading, it decides nothing)."""
        data = at_rest.seal(json.dumps([e.as_dict() for e in stand_ins]), self.cipher)
        try:
            with self.session_scope() as session:
                session.merge(
                    TrackerSnapshot(
                        sender_id=sender_id,
                        event_id=event_id,
                        max_events=self.max_events,
                        data=data,
                    )
                )
                session.commit()
        except SQLAlchemyError:  # e.g. two servers wrote the first snapshot at once
            logger.debug("snapshot of %s not saved", sender_id, exc_info=True)

    def _unsaved_events(self, session: Any, tracker: DialogueStateTracker) -> Iterable:
        stored = STORED.get(tracker)
        if stored is None:  # a tracker this store did not load (a new conversation)
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        stored = STORED.get(tracker)
        if self.event_broker is None or stored is None:
            return await super().stream_events(tracker)
        new_events = list(itertools.islice(tracker.events, stored, None))
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    def _row(self, sender_id: str, event: Event) -> Any:
        """The stored row of `event`: Rasa's SQLTrackerStore.save, with `data` encrypted
        when a key is set."""
        data = event.as_dict()
        intent = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
        action = data.get("name")
        if self.cipher is not None:
            intent, action = clear_name(intent), clear_name(action)
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=intent,
            action_name=action,
            data=at_rest.seal(json.dumps(data), self.cipher),
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._unsaved_events(session, tracker):
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        STORED.set(tracker, len(tracker.events))  # a second save adds only what's new
