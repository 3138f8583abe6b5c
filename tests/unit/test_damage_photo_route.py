"""The web chat's photo upload route: only the conversation's own session, only for the return
of damaged goods it started, the body refused as soon as it passes the limit, every refusal
a polite message in the customer's language, and the thanks kept in the conversation and
sent to its chat."""

from __future__ import annotations

import asyncio
import contextlib
import json
from types import SimpleNamespace

import aiohttp
import pytest
from rasa.core.channels.channel import register
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered
from sanic import Sanic

from shopassist.channels import sessions
from shopassist.channels.socketio import SessionSocketIOInput
from shopassist.cluster import free_port
from shopassist.store import return_photos
from shopassist.store.changes import start_return
from shopassist.store.db import session_scope
from shopassist.store.models import ReturnPhoto
from tests.conftest import ANCHOR
from tests.console_kit import domain
from tests.unit.test_channel_security import Chat, run
from tests.unit.test_return_actions import recently_delivered
from tests.unit.test_return_photos import picture

SKIP = 45  # which orders of a status these tests take (other files take others)
URL_PATH = "/webhooks/socketio/damage-photo"


@contextlib.asynccontextmanager
async def server(tracker_store):
    """The socket.io channel on a server of its own, with a tracker and a lock store."""
    Sanic.test_mode = True
    channel = SessionSocketIOInput(session_persistence=True)
    app = Sanic(f"photos{free_port()}")
    app.ctx.agent = SimpleNamespace(
        handle_message=None, tracker_store=tracker_store, lock_store=InMemoryLockStore()
    )
    register([channel], app, "/webhooks/")
    port = free_port()
    srv = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await srv.startup()
    await srv.before_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.close()
        await srv.wait_closed()


async def upload(url, body, session_id, rma, language="en", headers=None):
    sent = {"X-Chat-Session": session_id, "X-Return": rma, "X-Chat-Language": language}
    sent["Content-Type"] = "image/jpeg"  # never believed
    async with aiohttp.ClientSession() as http:
        async with http.post(url + URL_PATH, data=body, headers={**sent, **(headers or {})}) as r:
            return r.status, json.loads(await r.text())


@pytest.fixture()
def store(tmp_path):
    tracker_store = SQLTrackerStore(domain(), dialect="sqlite", db=str(tmp_path / "t.db"))
    yield tracker_store
    tracker_store.engine.dispose()


def return_of(db_url, conversation, skip):
    order_id, lines = recently_delivered(db_url, skip)
    line = next(x for x in lines if x.returnable and x.returnable_quantity)
    with session_scope(db_url) as session:
        outcome = start_return(
            session, order_id, {line.item_id: 1}, "damaged", "damaged",
            f"photo-route-{conversation}", f"assistant:{conversation}", ANCHOR,
        )  # fmt: skip
    assert outcome.ok
    return outcome.rma_number


def test_the_chat_adds_a_photo_and_the_assistant_thanks_in_the_conversation(use_db, db_url, store):
    async def scenario():
        async with server(store) as url, Chat(url) as chat:
            mine = await chat.session()
            conversation = sessions.verify("socketio", mine)
            rma = return_of(db_url, conversation, SKIP)
            status, answer = await upload(url, picture("PNG"), mine, rma)
            assert status == 200, answer
            assert answer["remaining"] == 2 and answer["count"] == 1
            assert answer["message"] == (
                f"Thank you, I've added your photo to return {rma}. You can add 2 more if you like."
            )
            await chat.until(lambda: chat.bot)
            assert chat.bot[-1] == {"text": answer["message"]}
            tracker = await store.retrieve(conversation)
            said = [e for e in tracker.events if isinstance(e, BotUttered)]
            assert said[-1].text == answer["message"]
            assert said[-1].metadata == {"damage_photo": answer["photo"]}
            # In German, the third and last.
            assert (await upload(url, picture("JPEG", colour="green"), mine, rma))[0] == 200
            status, answer = await upload(url, picture("WEBP", colour="blue"), mine, rma, "de-DE")
            assert status == 200 and answer["remaining"] == 0
            assert "Mehr Fotos kann eine Rücksendung nicht aufnehmen." in answer["message"]
            status, answer = await upload(url, picture("JPEG", colour="white"), mine, rma, "fr")
            assert (status, answer["error"]) == (409, "limit")
            assert answer["message"] == "Désolé, ce retour a déjà 3 photos, c'est le maximum."
            return rma

    rma = run(scenario())
    with session_scope(db_url) as session:
        assert len(return_photos.of_return(session, rma)) == 3


def test_refusals_are_polite_and_store_nothing(use_db, db_url, store):
    big = picture("PNG") + b"\0" * return_photos.MAX_UPLOAD_BYTES

    async def chunks():
        for _ in range(6):
            yield b"\xff" * (1024 * 1024)

    async def scenario():
        async with server(store) as url, Chat(url) as chat, Chat(url) as other:
            mine, theirs = await chat.session(), await other.session()
            rma = return_of(db_url, sessions.verify("socketio", mine), SKIP + 4)
            forged = mine[:-1] + ("0" if mine[-1] != "0" else "1")
            cases = [
                (picture("JPEG"), forged, rma, "en", 403, "session"),
                (picture("JPEG"), "", rma, "en", 403, "session"),
                (picture("JPEG"), theirs, rma, "en", 403, "no_return"),  # not their return
                (picture("JPEG"), mine, "RMA-100000-9", "en", 403, "no_return"),
                (picture("GIF"), mine, rma, "es", 415, "not_image"),
                (b"<html>photo.jpg</html>", mine, rma, "zh", 415, "not_image"),
                (big, mine, rma, "de", 413, "too_big"),  # declared too long: unread
                (chunks(), mine, rma, "en", 413, "too_big"),  # chunked: cut at the limit
            ]
            for body, session_id, target, language, status, code in cases:
                got, answer = await upload(url, body, session_id, target, language)
                assert (got, answer["error"]) == (status, code), (code, answer)
                assert answer["message"]
            _, answer = await upload(url, big, mine, rma, "de")
            assert answer["message"].startswith("Diese Datei ist leider größer als 5 MB.")
            _, answer = await upload(url, b"x", mine, rma, "zh")
            assert "JPEG、PNG 或 WebP" in answer["message"]
            assert not chat.bot and not other.bot  # nothing said in either chat
            return rma

    rma = run(scenario())
    with session_scope(db_url) as session:
        assert return_photos.of_return(session, rma) == []
        assert session.query(ReturnPhoto).filter_by(conversation="").count() == 0


def test_the_route_reads_no_body_for_a_session_it_did_not_sign(store):
    async def scenario():
        async with server(store) as url:
            started = asyncio.get_running_loop().time()
            status, answer = await upload(url, b"\xff" * (3 * 1024 * 1024), "nope", "RMA-1")
            assert (status, answer["error"]) == (403, "session")
            assert asyncio.get_running_loop().time() - started < 5

    run(scenario())
