"""Encryption at rest of the tracker store's event data, on SQLite and PostgreSQL: nothing
personal in the stored rows, every reader (Rasa's retrieval, `rasa export`, the console)
sees the same conversation, old plain rows still read, keys rotate, and a missing key is
an error that says so, never an empty conversation."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import create_engine, text

from shopassist import at_rest
from shopassist.at_rest import KEY_ENV, DataKeyError
from shopassist.console.analytics import figures
from shopassist.console.conversations import ConversationStore
from shopassist.console.stories import test_story
from shopassist.settings import read
from shopassist.tracker_store import BoundedSQLTrackerStore
from tests.conftest import PG_ADMIN_URL
from tests.console_kit import T0, action, bot, domain, session_start, slot, user

EMAIL, ORDER = "anna.becker@example.com", "100234"
TYPE = "shopassist.tracker_store.BoundedSQLTrackerStore"
KEY1, KEY2, KEY3 = (Fernet.generate_key().decode() for _ in range(3))


def conversation(at: float = T0, start: bool = True):
    """A customer proving who they are: the e-mail and order number in the text, the
    entities and the slots."""
    return [
        *(session_start(at) if start else []),
        user(f"where is order {ORDER}", "order_status", at + 1,
             entities=[(ORDER, "order_id")], sentiment=("neutral", 0.0)),
        slot("order_id", ORDER, at + 1),
        action("order_lookup_form", at + 2),
        bot("What is the e-mail address on the order?", at + 3),
        action("action_listen", at + 3),
        user(f"it's {EMAIL}", "inform", at + 10, entities=[(EMAIL, "email")]),
        slot("email", EMAIL, at + 10),
        slot("verified_email", EMAIL, at + 11),
        action("action_order_status", at + 11),
        bot(f"Order #{ORDER} for {EMAIL} is on its way.", at + 12),
        action("action_listen", at + 12),
    ]  # fmt: skip


class Stores:
    """Tracker stores over one fresh database, each built with the keys given, as a
    server started with that SHOPASSIST_DATA_KEY builds it."""

    def __init__(self, kwargs: dict, url: str, monkeypatch) -> None:
        self.kwargs, self.url, self.monkeypatch = kwargs, url, monkeypatch
        self.opened: list = []

    def store(self, keys: str = "") -> BoundedSQLTrackerStore:
        self.set_keys(keys)
        store = BoundedSQLTrackerStore(domain(), **self.kwargs)
        self.opened.append(store)
        return store

    def set_keys(self, keys: str) -> None:
        if keys:
            self.monkeypatch.setenv(KEY_ENV, keys)
        else:
            self.monkeypatch.delenv(KEY_ENV, raising=False)

    def console(self, keys: str = "") -> ConversationStore:
        self.set_keys(keys)
        engine = create_engine(self.url, future=True)
        self.opened.append(engine)
        return ConversationStore(engine, at_rest.from_env())

    def raw(self) -> list:
        engine = create_engine(self.url, future=True)
        try:
            with engine.connect() as connection:
                return [
                    dict(row._mapping)
                    for row in connection.execute(text("SELECT * FROM events ORDER BY id"))
                ]
        finally:
            engine.dispose()

    def close(self) -> None:
        for item in self.opened:
            (item.engine if hasattr(item, "engine") else item).dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path, monkeypatch):
    monkeypatch.delenv(at_rest.KEY_FILE_ENV, raising=False)
    if request.param == "sqlite":
        path = tmp_path / "trackers.db"
        made = Stores({"dialect": "sqlite", "db": str(path)}, f"sqlite:///{path}", monkeypatch)
        yield made
        made.close()
        return
    from sqlalchemy.exc import OperationalError

    from shopassist.cluster import create_database, drop_database

    name = f"shopassist_rest_{uuid.uuid4().hex[:10]}"
    try:
        url = create_database(PG_ADMIN_URL, name)
    except OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is needed: {error.orig}")
    made = Stores(
        {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "db": name,
         "username": "postgres"},
        url, monkeypatch,
    )  # fmt: skip
    try:
        yield made
    finally:
        made.close()
        drop_database(PG_ADMIN_URL, name)


def save(store, sender_id: str, events) -> None:
    async def run():
        tracker = await store.retrieve(sender_id)
        if tracker is None:
            tracker = DialogueStateTracker.from_events(sender_id, [], domain().slots)
        for event in events:
            tracker.update(event)
        await store.save(tracker)

    asyncio.run(run())


def dicts(tracker) -> list:
    return [event.as_dict() for event in tracker.events]


def test_stored_rows_hold_no_email_or_order_number(stores):
    save(stores.store(KEY1), "socketio:c1", conversation())
    rows = stores.raw()
    assert len(rows) == len(conversation())
    for row in rows:
        assert row["data"].startswith(at_rest.PREFIX)
        stored = json.dumps(row, default=str)
        assert EMAIL not in stored and ORDER not in stored, stored
    # What Rasa queries on stays in clear, names only.
    assert {r["intent_name"] for r in rows} == {None, "order_status", "inform"}
    assert "order_lookup_form" in {r["action_name"] for r in rows}


def test_rasa_reads_back_what_it_stored(stores):
    events = conversation()
    save(stores.store(KEY1), "c1", events)
    save(stores.store(), "plain", events)  # the same conversation without a key

    async def run(store):
        return await store.retrieve("c1"), await store.retrieve_full_tracker("c1")

    recent, full = asyncio.run(run(stores.store(KEY1)))
    plain = asyncio.run(stores.store().retrieve_full_tracker("plain"))
    assert dicts(full) == dicts(recent) == dicts(plain)
    assert full.get_slot("verified_email") == EMAIL
    assert full.latest_message.text == f"it's {EMAIL}"


def test_rasa_export_reads_through_the_same_store(stores, tmp_path):
    """`rasa export` builds the tracker store from endpoints.yml and publishes each
    conversation's full tracker to the broker: decrypted."""
    from rasa.core.exporter import Exporter

    save(stores.store(KEY1), "c1", conversation())
    stores.set_keys(KEY1)
    kwargs = dict(stores.kwargs)  # as endpoints.yml gives them: the host is the `url`
    config = EndpointConfig(kwargs.pop("host", None), type=TYPE, **kwargs)
    store = TrackerStore.create(config)
    stores.opened.append(store)
    published = []

    class Broker:
        def publish(self, event):
            published.append(event)

        async def close(self):
            pass

    count = asyncio.run(Exporter(store, Broker(), str(tmp_path / "e.yml")).publish_events())
    assert count == len(conversation())
    assert [e["text"] for e in published if e["event"] == "user"] == [
        f"where is order {ORDER}",
        f"it's {EMAIL}",
    ]


def test_the_console_shows_the_same_conversation(stores):
    save(stores.store(KEY1), "c1", conversation())
    save(stores.store(), "plain", conversation())
    console = stores.console(KEY1)
    encrypted, plain = console.transcript("c1"), console.transcript("plain")
    assert encrypted == plain and any(turn.text == f"it's {EMAIL}" for turn in encrypted)
    summaries = {s.conversation: s for s in console.summaries()}
    assert summaries["c1"].intents == summaries["plain"].intents == ["order_status", "inform"]
    assert figures(console, {})["messages"] == 4
    story = test_story(console.rows("c1"), "c1")
    assert "order_status" in story and EMAIL not in story  # stories are redacted as before
    assert console.problem() is None


def test_rows_stored_before_the_key_still_read(stores):
    first = conversation()
    save(stores.store(), "c1", first)  # before encryption was turned on
    later = conversation(T0 + 100, start=False)
    save(stores.store(KEY1), "c1", later)
    rows = stores.raw()
    assert [at_rest.is_sealed(r["data"]) for r in rows] == [False] * len(first) + [True] * len(
        later
    )
    full = asyncio.run(stores.store(KEY1).retrieve_full_tracker("c1"))
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == [f"where is order {ORDER}", f"it's {EMAIL}"] * 2
    assert [t.text for t in stores.console(KEY1).transcript("c1") if t.kind == "user"] == texts


def test_keys_rotate(stores):
    save(stores.store(KEY1), "old", conversation())
    rotating = stores.store(f"{KEY2},{KEY1}")  # the new key first, the old one after it
    save(rotating, "new", conversation())
    assert asyncio.run(rotating.retrieve_full_tracker("old")).get_slot("email") == EMAIL
    with pytest.raises(DataKeyError):  # the old key is still needed by the old rows...
        asyncio.run(stores.store(KEY2).retrieve_full_tracker("old"))

    stores.set_keys(f"{KEY2} {KEY1}")  # ...until they are re-encrypted with the new one
    at_rest.main(["rotate", "--db", stores.url])
    only_new = stores.store(KEY2)
    for sender_id in ("old", "new"):
        assert asyncio.run(only_new.retrieve_full_tracker(sender_id)).get_slot("email") == EMAIL
    assert [t.text for t in stores.console(KEY2).transcript("old") if t.kind == "user"]


def test_rotate_encrypts_rows_stored_before_the_key(stores):
    save(stores.store(), "c1", conversation())
    stores.set_keys(KEY1)
    engine = create_engine(stores.url, future=True)
    try:
        assert at_rest.reseal(engine, at_rest.from_env()) == len(conversation())
        assert at_rest.reseal(engine, at_rest.from_env()) == 0  # already with the first key
    finally:
        engine.dispose()
    assert all(at_rest.is_sealed(row["data"]) for row in stores.raw())
    assert EMAIL not in json.dumps(stores.raw(), default=str)


@pytest.mark.parametrize("keys", [KEY3, ""], ids=["wrong key", "no key"])
def test_a_key_that_opens_nothing_is_a_clear_error(stores, keys, caplog):
    save(stores.store(KEY1), "c1", conversation())
    with caplog.at_level(logging.ERROR):
        store = stores.store(keys)  # the server starts, and says at once what is wrong
    assert KEY_ENV in caplog.text

    with pytest.raises(DataKeyError, match=KEY_ENV):
        asyncio.run(store.retrieve("c1"))
    # Rasa wraps every tracker store in a FailSafeTrackerStore, which would hand out a new,
    # empty conversation: the error reaches the channel instead, which apologises.
    failsafe = FailSafeTrackerStore(store)
    with pytest.raises(DataKeyError):
        asyncio.run(failsafe.get_or_create_tracker("c1"))
    assert len(stores.raw()) == len(conversation())  # nothing written over it

    console = stores.console(keys)
    assert console.summaries() == [] and KEY_ENV in console.problem()
    assert "1 conversation(s) can't be read" in console.problem()
    with pytest.raises(DataKeyError, match=KEY_ENV):
        console.transcript("c1")


def test_other_tracker_store_errors_still_fall_back_as_rasa_does(stores):
    store = stores.store(KEY1)

    async def broken(*args):
        raise RuntimeError("database gone")

    store.retrieve = broken
    assert asyncio.run(FailSafeTrackerStore(store).retrieve("c1")) is None


def test_a_malformed_key_stops_the_start_naming_it(stores):
    with pytest.raises(DataKeyError, match="key 2 of 2 is not a Fernet key"):
        stores.store(f"{KEY1},not-a-key")


def test_clear_columns_hold_names_only(stores):
    """An intent name that is not a name (appended through Rasa's HTTP API, say) stays in
    the encrypted data only."""
    forged = UserUttered("hi", {"name": f"greet {EMAIL}"}, timestamp=T0 + 1)
    numbered = UserUttered("hi", {"name": f"order_{ORDER}"}, timestamp=T0 + 2)
    save(stores.store(KEY1), "c1", [*session_start(T0), forged, numbered])
    assert [r["intent_name"] for r in stores.raw() if r["type_name"] == "user"] == [None, None]
    full = asyncio.run(stores.store(KEY1).retrieve_full_tracker("c1"))
    assert [e.intent_name for e in full.events if isinstance(e, UserUttered)] == [
        f"greet {EMAIL}",
        f"order_{ORDER}",
    ]


def test_keys_from_a_file(tmp_path):
    path = tmp_path / "key"
    path.write_text(f"{KEY2}\n{KEY1}\n", encoding="utf-8")
    cipher = at_rest.from_env(read({at_rest.KEY_FILE_ENV: str(path)}))
    assert cipher.keys == 2
    sealed = at_rest.Cipher([KEY1]).seal("{}")
    assert cipher.open(sealed) == "{}" and cipher.rotated(sealed) != sealed
    assert at_rest.from_env(read({})) is None


def test_a_turn_in_a_conversation_no_key_opens_gets_the_apology(stores):
    """What Rasa's channels do with such a turn (shopassist/channels/guard.py): the
    customer is told the service is unavailable; the conversation is not restarted."""
    from shopassist.channels.guard import UNAVAILABLE, guarded

    save(stores.store(KEY1), "c1", conversation())
    failsafe = FailSafeTrackerStore(stores.store(KEY3))  # as Rasa's agent wraps the store
    sent = []

    class Output:
        async def send_response(self, recipient_id, reply):
            sent.append(reply)

    async def on_new_message(message):  # Rasa's processor begins every turn with this
        await failsafe.get_or_create_tracker(message.sender_id)

    message = SimpleNamespace(sender_id="c1", output_channel=Output())
    asyncio.run(guarded(on_new_message)(message))
    assert sent == [{"text": UNAVAILABLE}]
    assert len(stores.raw()) == len(conversation())


def test_the_console_pages_say_which_key_is_missing(tmp_path, tmp_path_factory, monkeypatch):
    import aiohttp
    from sanic import Sanic

    from shopassist.console import accounts
    from shopassist.console.app import COOKIE, create_app
    from shopassist.console.settings import Settings
    from shopassist.store.db import session_scope
    from tests.conftest import seeded_sqlite
    from tests.unit.test_serve import started

    stores = Stores({"dialect": "sqlite", "db": str(tmp_path / "t.db")},
                    f"sqlite:///{tmp_path / 't.db'}", monkeypatch)  # fmt: skip
    save(stores.store(KEY1), "c1", conversation())
    stores.close()
    shop_db = seeded_sqlite(tmp_path_factory)
    with session_scope(shop_db) as session:
        accounts.set_password(session, "dana", "a-long-password")
        token = accounts.log_in(session, "dana", "a-long-password", "127.0.0.1",
                                timedelta(hours=1))  # fmt: skip
    settings = replace(Settings.from_env(), tracker_db_url=stores.url)

    async def pages(keys: str):
        stores.set_keys(keys)
        Sanic.test_mode = True
        Sanic._app_registry.pop("shopassist-console", None)
        server, url = await started(create_app(settings, shop_db))
        try:
            async with aiohttp.ClientSession(cookies={COOKIE: token}) as http:
                result = []
                for path in ("/console/conversations", "/console/conversations/c1"):
                    async with http.get(url + path, allow_redirects=False) as response:
                        result.append((response.status, await response.text()))
                return result
        finally:
            server.close()
            await server.wait_closed()

    (list_status, listing), (status, transcript) = asyncio.run(pages(KEY3))
    assert list_status == 200 and 'data-testid="data-problem"' in listing
    assert "1 conversation(s) can&#39;t be read" in listing and KEY_ENV in listing
    assert status == 503 and 'data-testid="unreadable"' in transcript and KEY_ENV in transcript

    (list_status, listing), (status, transcript) = asyncio.run(pages(f"{KEY2},{KEY1}"))
    assert list_status == status == 200 and "data-problem" not in listing
    assert f"it&#39;s {EMAIL}" in transcript
