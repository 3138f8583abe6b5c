"""Customers' photos of damaged goods in the console: thumbnails on the conversation's and the
handoff ticket's page, each photo served to logged-in agents only, as a JPEG that no shared
cache keeps and no browser sniffs into anything else."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import aiohttp
from PIL import Image
from rasa.shared.core.events import BotUttered
from sanic import Sanic

from shopassist.console import accounts
from shopassist.console.app import COOKIE, create_app
from shopassist.console.settings import Settings
from shopassist.store import return_photos, support
from shopassist.store.changes import start_return
from shopassist.store.db import session_scope
from shopassist.store.orders import load_order
from tests.conftest import ANCHOR
from tests.console_kit import T0, action, bot, session_start, user, write_tracker_store
from tests.unit.test_console_desk import run
from tests.unit.test_return_photos import picture
from tests.unit.test_serve import started

AGENT, PASSWORD = "agent.alex", "correct horse battery"
CHAT = "socketio:0123456789abcdef0123456789abcdef"
OTHER = "socketio:fedcba9876543210fedcba9876543210"


def test_agents_see_the_photos_of_a_conversation_and_nobody_else_does(tmp_path, tmp_path_factory):
    from tests.conftest import seeded_sqlite

    events = [
        *session_start(T0),
        user("my mug arrived broken", "start_return", T0 + 1),
        action("action_apply_change", T0 + 2),
        bot("Your return is authorised.", T0 + 2.5),
        BotUttered(
            "",
            data={"custom": {"data": {"photo_upload": {"rma_number": "RMA-100235-1"}}}},
            timestamp=T0 + 2.75,
        ),  # fmt: skip
    ]
    trackers = write_tracker_store(tmp_path / "trackers.db", {CHAT: events, OTHER: events})
    shop_db = seeded_sqlite(tmp_path_factory)
    with session_scope(shop_db) as session:
        accounts.set_password(session, AGENT, PASSWORD)
        cookie = accounts.log_in(session, AGENT, PASSWORD, "127.0.0.1", timedelta(hours=1))
        order = load_order(session, "100235")
        item = order.items[0]
        outcome = start_return(
            session, order.id, {item.id: 1}, "damaged", "damaged", "k1", f"assistant:{CHAT}",
            ANCHOR,
        )  # fmt: skip
        photo = return_photos.add(session, CHAT, outcome.rma_number, picture("PNG"))
        ticket = support.open_ticket(session, CHAT, "asked", [])

    async def scenario():
        Sanic.test_mode = True
        settings = replace(Settings.from_env(), tracker_db_url=trackers)
        Sanic._app_registry.pop("shopassist-console", None)
        server, url = await started(create_app(settings, shop_db))
        got = {}
        try:
            async with aiohttp.ClientSession(cookies={COOKIE: cookie}) as http:
                for name, path in [
                    ("page", f"/console/conversations/socketio%3A{CHAT[9:]}"),
                    ("other", f"/console/conversations/socketio%3A{OTHER[9:]}"),
                    ("ticket", f"/console/handoffs/{ticket.id}"),
                ]:
                    async with http.get(url + path) as r:
                        assert r.status == 200, name
                        got[name] = await r.text()
                async with http.get(f"{url}/console/photos/{photo.id}") as r:
                    got["photo"] = (r.status, dict(r.headers), await r.read())
                async with http.get(f"{url}/console/photos/{photo.id + 1000}") as r:
                    got["missing"] = r.status
            async with aiohttp.ClientSession() as http:  # not logged in
                async with http.get(f"{url}/console/photos/{photo.id}", allow_redirects=False) as r:
                    got["anonymous"] = (r.status, r.headers.get("location", ""), await r.read())
        finally:
            server.close()
            await server.wait_closed()
        return got

    got = run(scenario())
    thumbnail = f'<img src="/console/photos/{photo.id}"'
    for page in (got["page"], got["ticket"]):
        assert 'data-testid="damage-photos"' in page and thumbnail in page
        assert outcome.rma_number in page
    assert "[photo upload offered: RMA-100235-1]" in got["page"]  # the control, as a turn
    assert "damage-photos" not in got["other"]  # another conversation has none
    status, headers, data = got["photo"]
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, no-store"
    with Image.open(io.BytesIO(data)) as shown:
        assert shown.format == "JPEG"
    assert got["missing"] == 404
    status, location, body = got["anonymous"]
    assert (
        status in (302, 303)
        and location.startswith("/console/login")
        and not body.startswith(b"\xff\xd8")
    )
