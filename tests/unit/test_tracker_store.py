"""The bounded tracker store: what the policies see is what they would see with the whole
conversation, every event is stored once, and loading stays cheap in a long conversation."""

import asyncio
import json
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from shopassist.tracker_store import BoundedSQLTrackerStore, bounded_tracker, event_from_dict

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(ROOT / "domain.yml")


def conversation(turns: int):
    """A long conversation: a verified customer, a form opened and closed, FAQ turns."""
    t = 1_700_000_000.0
    events = [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t)]
    events.append(ActionExecuted("action_listen", timestamp=t))
    for i in range(turns):
        t += 1
        intent = ["faq", "greet", "order_status", "thank"][i % 4]
        events += [
            UserUttered(f"message {i}", {"name": intent, "confidence": 0.9}, timestamp=t),
            SlotSet("sentiment", ["neutral", "negative"][i % 2], timestamp=t),
        ]
        if i == 3:
            events += [SlotSet("verified_email", "anna.becker@example.com", timestamp=t)]
        if i == 5:
            events += [ActiveLoop("identity_form", timestamp=t)]
        if i == 9:
            events += [ActiveLoop(None, timestamp=t)]
        events += [
            ActionExecuted("utter_faq" if intent == "faq" else "utter_greet", timestamp=t),
            BotUttered(f"answer {i}", timestamp=t),
            ActionExecuted("action_listen", timestamp=t),
        ]
    return events


@pytest.mark.parametrize("active_form_at_cut", [False, True])
def test_the_policies_see_the_same_recent_states(domain, active_form_at_cut):
    events = conversation(120)
    if active_form_at_cut:  # a form still open when the cut comes
        events.insert(-60, ActiveLoop("identity_form", timestamp=events[-61].timestamp))
    from rasa.shared.core.trackers import DialogueStateTracker

    full = DialogueStateTracker.from_events("c", events, domain.slots)
    bounded = bounded_tracker("c", events, domain.slots, max_events=100)
    assert len(bounded.events) < 120
    for omit in (False, True):
        expected = full.past_states(domain, omit_unset_slots=omit)[-12:]
        assert bounded.past_states(domain, omit_unset_slots=omit)[-12:] == expected
    assert bounded.current_slot_values() == full.current_slot_values()
    assert bounded.active_loop_name == full.active_loop_name
    assert bounded.latest_message.text == full.latest_message.text


def test_a_short_conversation_is_left_whole(domain):
    events = conversation(5)
    assert len(bounded_tracker("c", events, domain.slots, 200).events) == len(events)


def test_events_are_rebuilt_as_rasa_rebuilds_them():
    for event in conversation(6):
        assert event_from_dict(event.as_dict()) == event


def test_every_event_is_stored_once_and_stand_ins_never(domain, tmp_path):
    async def run():
        bounded = BoundedSQLTrackerStore(
            domain, dialect="sqlite", db=str(tmp_path / "t.db"), max_events=60
        )
        stock = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "t.db"))
        events = conversation(40)
        tracker = await bounded.create_tracker("c")
        for event in events:
            tracker.update(event)
        await bounded.save(tracker)
        for round in range(3):  # load, add a turn, save (twice, as Rasa may), as a server does
            loaded = await bounded.retrieve("c")
            assert len(loaded.events) < len(events) + round * 2
            loaded.update(UserUttered(f"more {round}", {"name": "greet"}))
            loaded.update(ActionExecuted("action_listen"))
            await bounded.save(loaded)
            await bounded.save(loaded)
        return await stock.retrieve_full_tracker("c")

    whole = asyncio.run(run())
    texts = [e.text for e in whole.events if isinstance(e, UserUttered)]
    assert texts == [f"message {i}" for i in range(40)] + [f"more {r}" for r in range(3)]


def test_the_full_tracker_holds_every_event_of_a_long_conversation(domain, tmp_path):
    """retrieve_full_tracker (the HTTP API's tracker, `rasa export`) is not bounded."""

    async def run():
        path = str(tmp_path / "t.db")
        bounded = BoundedSQLTrackerStore(domain, dialect="sqlite", db=path, max_events=60)
        tracker = await bounded.create_tracker("c")
        for event in conversation(40):
            tracker.update(event)
        await bounded.save(tracker)
        stock = SQLTrackerStore(domain, dialect="sqlite", db=path)
        return (
            await bounded.retrieve("c"),
            await bounded.retrieve_full_tracker("c"),
            await stock.retrieve_full_tracker("c"),
        )

    recent, full, stock = asyncio.run(run())
    assert len(recent.events) < len(full.events)  # the bound applies to turns only
    assert [e.as_dict() for e in full.events] == [e.as_dict() for e in stock.events]
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == [f"message {i}" for i in range(40)]


def test_a_structured_slot_keeps_its_value_through_the_store_and_the_cut(domain, tmp_path):
    """`any` slots hold a dict (shopassist/dialogue/slot_values.py): stored, cut to a
    stand-in and loaded again, it is the same dict; a conversation stored while they were
    text slots keeps its JSON string, which the readers accept."""
    offer = {"kind": "start_return", "order_id": "100234", "request_key": "k"}
    offer["params"] = {"quantities": {"7": 1}, "reason": "damaged"}
    older = json.dumps({"7": 1}, sort_keys=True)

    async def run():
        store = BoundedSQLTrackerStore(
            domain, dialect="sqlite", db=str(tmp_path / "t.db"), max_events=60
        )
        events = conversation(40)
        at = events[10].timestamp  # long before the cut
        events[10:10] = [
            SlotSet("pending_change", offer, timestamp=at),
            SlotSet("return_items", older, timestamp=at),
        ]
        tracker = await store.create_tracker("c")
        for event in events:
            tracker.update(event)
        await store.save(tracker)
        return await store.retrieve("c"), at

    loaded, at = asyncio.run(run())
    # Cut: the slots come from the stand-ins, not from the events that set them.
    assert all(e.timestamp > at for e in loaded.events if isinstance(e, SlotSet))
    assert loaded.get_slot("pending_change") == offer
    assert loaded.get_slot("return_items") == older


def turn(i: int, t: float) -> list:
    """One more customer turn, with the kinds of state a snapshot must carry."""
    events = [
        UserUttered(f"more {i}", {"name": "greet", "confidence": 0.9}, timestamp=t),
        SlotSet("sentiment", ["neutral", "negative", "positive"][i % 3], timestamp=t),
    ]
    if i % 17 == 0:
        events.append(ActiveLoop("identity_form" if i % 34 == 0 else None, timestamp=t))
    if i % 23 == 0:
        events.append(SlotSet("order_id", str(100000 + i), timestamp=t))
    if i == 70:
        events.append(ConversationPaused(timestamp=t))
    if i == 75:
        events.append(ConversationResumed(timestamp=t))
    if i == 90:  # a new session, as Rasa starts one: the slots carried over
        events += [
            ActionExecuted("action_session_start", timestamp=t),
            SessionStarted(timestamp=t),
            SlotSet("verified_email", "anna.becker@example.com", timestamp=t),
        ]
    return events + [
        ActionExecuted("utter_greet", timestamp=t),
        BotUttered(f"answer {i}", timestamp=t),
        ActionExecuted("action_listen", timestamp=t),
    ]


def counting_reads(store):
    """The store, counting the stored events it rebuilds."""
    store.reads = 0
    read = store._event

    def counted(sender_id, data):
        store.reads += 1
        return read(sender_id, data)

    store._event = counted
    return store


def test_a_turn_reads_the_same_number_of_events_however_long_the_conversation(domain, tmp_path):
    """The snapshot keeps a turn's reading flat, and what the policies see is what they
    see with the whole session (checked on every turn, across pauses, forms, a new
    session and three snapshots)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    async def run():
        path = str(tmp_path / "t.db")
        store = counting_reads(
            BoundedSQLTrackerStore(domain, dialect="sqlite", db=path, max_events=40)
        )
        tracker = await store.create_tracker("c")
        for event in conversation(3):
            tracker.update(event)
        await store.save(tracker)
        reads, t = [], 1_700_100_000.0
        for i in range(140):
            store.reads = 0
            loaded = await store.retrieve("c")
            reads.append(store.reads)
            whole = await store.retrieve_full_tracker("c")
            events = list(whole.events)
            start = max(n for n, e in enumerate(events) if isinstance(e, SessionStarted))
            session = events[start - 1 :]  # from action_session_start on, as Rasa reads
            full = DialogueStateTracker.from_events("c", list(session), domain.slots)
            for omit in (False, True):
                assert (
                    loaded.past_states(domain, omit_unset_slots=omit)[-12:]
                    == (full.past_states(domain, omit_unset_slots=omit)[-12:])
                ), i
            assert loaded.current_slot_values() == full.current_slot_values(), i
            assert loaded.active_loop_name == full.active_loop_name, i
            assert loaded.is_paused() == full.is_paused(), i
            t += 10
            for event in turn(i, t):
                loaded.update(event)
            await store.save(loaded)
        return reads

    reads = asyncio.run(run())
    assert max(reads[40:]) <= 40 + 10 + 8  # never more than 1.25 max_events and a turn
    assert len(set(reads[40:])) > 5  # it moved: snapshots were taken and used


def test_a_snapshot_of_another_bound_or_key_is_not_used(domain, tmp_path, monkeypatch):
    async def run():
        path = str(tmp_path / "t.db")
        first = BoundedSQLTrackerStore(domain, dialect="sqlite", db=path, max_events=30)
        tracker = await first.create_tracker("c")
        for event in conversation(40):
            tracker.update(event)
        await first.save(tracker)
        stored = len(tracker.events)
        made = await first.retrieve("c")  # writes the first snapshot
        other = counting_reads(
            BoundedSQLTrackerStore(domain, dialect="sqlite", db=path, max_events=50)
        )
        again = await other.retrieve("c")
        return made, again, other.reads, stored

    made, again, reads, stored = asyncio.run(run())
    assert reads == stored  # the whole session was read again
    assert again.current_slot_values() == made.current_slot_values()
    assert again.latest_message.text == made.latest_message.text


def test_snapshots_are_stored_encrypted_and_dropped_on_rotation(domain, tmp_path, monkeypatch):
    from cryptography.fernet import Fernet
    from sqlalchemy import create_engine, text

    from shopassist import at_rest

    monkeypatch.setenv(at_rest.KEY_ENV, Fernet.generate_key().decode())
    path = tmp_path / "t.db"

    async def run():
        store = BoundedSQLTrackerStore(domain, dialect="sqlite", db=str(path), max_events=30)
        tracker = await store.create_tracker("c")
        for event in conversation(40):
            tracker.update(event)
        await store.save(tracker)
        await store.retrieve("c")

    asyncio.run(run())
    engine = create_engine(f"sqlite:///{path}", future=True)
    with engine.connect() as connection:
        (data,) = connection.execute(text("SELECT data FROM shopassist_tracker_snapshots")).one()
    assert data.startswith(at_rest.PREFIX) and "anna.becker" not in data
    at_rest.reseal(engine, at_rest.from_env())
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM shopassist_tracker_snapshots")).all()
    assert rows == []
