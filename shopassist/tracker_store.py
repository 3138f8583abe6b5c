"""Rasa's SQL tracker store, with a turn's cost kept flat in the conversation's length.

Stock Rasa 3.6 makes every turn of a long conversation slower: each turn loads and rebuilds
the whole conversation, and every policy recomputes a dialogue state for every past turn
before it keeps the last few (stock `rasa init` here: ~54 ms a turn early on, ~400 ms by
turn 400). The policies only look back `max_history` turns (4 and 5 in config.yml; rules
are shorter), so `BoundedSQLTrackerStore` hands Rasa a tracker made of

- stand-ins for the state the conversation had `max_events` events ago: its slot values,
  active form and pause, as SlotSet/ActiveLoop/ConversationPaused events, and
- the events since then, starting at a turn boundary (`action_listen`).

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
from typing import Any, Dict, Iterable, List, Optional, Type

from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Event,
    SlotSet,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from shopassist import at_rest
from shopassist.at_rest import DataKeyError

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS = 200
STORED = "shopassist_stored"  # tracker attribute: how many of its events are in the store
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


def bounded_tracker(
    sender_id: str, events: List[Event], slots: Iterable, max_events: int
) -> DialogueStateTracker:
    """A tracker of `events`' last turns, starting from stand-ins for the state before them."""
    slots = list(slots)
    cut = _cut(events, max_events) if len(events) > max_events else 0
    if not cut:
        return DialogueStateTracker.from_events(sender_id, events, slots)
    before = DialogueStateTracker.from_events(sender_id, events[:cut], slots)
    timestamp = events[cut].timestamp
    stand_ins: List[Event] = [
        SlotSet(slot.name, slot.value, timestamp=timestamp)
        for slot in before.slots.values()
        if slot.value != slot.initial_value
    ]
    if before.active_loop_name:
        stand_ins.append(ActiveLoop(before.active_loop_name, timestamp=timestamp))
    if before.is_paused():
        stand_ins.append(ConversationPaused(timestamp=timestamp))
    return DialogueStateTracker.from_events(sender_id, stand_ins + events[cut:], slots)


def clear_name(name: Any) -> Optional[str]:
    """`name` if it can be stored in clear beside encrypted data, else None."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or _LONG_NUMBER.search(name):
        return None
    return name


def let_key_errors_through() -> None:
    """A conversation that can't be decrypted fails its turn (the channels then apologise,
    shopassist/channels/guard.py) instead of starting again empty: Rasa's FailSafeTrackerStore,
    which wraps every tracker store of the server, swallows retrieval errors and hands out a
    new tracker. Its error hooks are wrapped once to re-raise DataKeyError (idempotent)."""
    for name in ("on_tracker_store_retrieve_error", "on_tracker_store_error"):
        hook = getattr(FailSafeTrackerStore, name)
        if getattr(hook, "lets_key_errors_through", False):
            continue

        def wrapped(self, error: Exception, _hook=hook) -> None:
            if isinstance(error, DataKeyError):
                raise error
            _hook(self, error)

        wrapped.lets_key_errors_through = True
        setattr(FailSafeTrackerStore, name, wrapped)


class BoundedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, max_events: int = DEFAULT_MAX_EVENTS, **kwargs: Any) -> None:
        self.cipher = at_rest.from_env()  # before connecting: a malformed key stops the start
        super().__init__(*args, **kwargs)
        self.max_events = int(max_events)
        let_key_errors_through()
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

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = (
                self._event_query(session, sender_id, fetch_events_from_all_sessions)
                .with_entities(self.SQLEvent.data)
                .all()
            )
        if not self.domain or not rows:
            return None
        events = [e for e in (event_from_dict(self._data(sender_id, r.data)) for r in rows) if e]
        if fetch_events_from_all_sessions:
            # retrieve_full_tracker (the HTTP API's tracker, `rasa export`): every event.
            tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        else:
            tracker = bounded_tracker(sender_id, events, self.domain.slots, self.max_events)
        setattr(tracker, STORED, len(tracker.events))  # stand-ins and stored events
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterable:
        stored = getattr(tracker, STORED, None)
        if stored is None:  # a tracker this store did not load (a new conversation)
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        stored = getattr(tracker, STORED, None)
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
            for event in self._additional_events(session, tracker):
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        setattr(tracker, STORED, len(tracker.events))  # a second save adds only what's new
