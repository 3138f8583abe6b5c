"""The console's takeover desk against a stand-in Rasa: the agent's name and avatar in the
chat (never the user name), presence at the queue, and typing."""

from __future__ import annotations

import asyncio
import html
from dataclasses import replace
from datetime import timedelta
from typing import Any, Dict, List

import aiohttp
import pytest
from sanic import Sanic, response

from shopassist.console import accounts, profiles
from shopassist.console.app import COOKIE, create_app
from shopassist.console.settings import Settings
from shopassist.store import presence, support
from shopassist.store.db import session_scope
from tests.unit.test_serve import started

AGENT, PASSWORD = "agent.alex", "correct horse battery"
TOKEN = "desk-tests-only-" + "t" * 24


@pytest.fixture()
def desk(tmp_path, tmp_path_factory):
    """A shop database with an agent logged in and an open ticket of a web chat."""
    from tests.conftest import seeded_sqlite

    shop_db = seeded_sqlite(tmp_path_factory)
    with session_scope(shop_db) as session:
        accounts.set_password(session, AGENT, PASSWORD)
        cookie = accounts.log_in(session, AGENT, PASSWORD, "127.0.0.1", timedelta(hours=1))
        ticket = support.open_ticket(session, "socketio:chat-1", "asked", [])
    return {"db": shop_db, "cookie": cookie, "ticket": ticket.id, "trackers": tmp_path / "t.db"}


def fake_rasa(calls: List[Dict[str, Any]]) -> Sanic:
    """Rasa's two routes the console calls; `calls` gets each one."""
    app = Sanic(f"fake-rasa-{len(Sanic._app_registry)}")

    @app.post("/conversations/<conversation:str>/tracker/events")
    async def events(request, conversation):
        calls.append(
            {
                "path": request.path,
                "json": request.json,
                "auth": request.headers.get("authorization"),
            }
        )
        return response.json({})

    @app.post("/webhooks/socketio/typing")
    async def typing(request):
        calls.append(
            {
                "path": request.path,
                "json": request.json,
                "auth": request.headers.get("authorization"),
            }
        )
        return response.json({"ok": True})

    return app


async def console(desk, calls):
    """(the console's URL, a logged-in HTTP session, the servers to close)."""
    Sanic.test_mode = True
    rasa, rasa_url = await started(fake_rasa(calls))
    settings = replace(
        Settings.from_env(),
        tracker_db_url=f"sqlite:///{desk['trackers']}",
        rasa_url=rasa_url,
        rasa_token=TOKEN,
    )
    Sanic._app_registry.pop("shopassist-console", None)
    server, url = await started(create_app(settings, desk["db"]))
    http = aiohttp.ClientSession(cookies={COOKIE: desk["cookie"]})
    return url, http, (server, rasa)


async def close(http, servers):
    await http.close()
    for server in servers:
        server.close()
        await server.wait_closed()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_the_agent_chooses_a_display_name_and_avatar_checked_and_escaped(desk):
    async def scenario():
        url, http, servers = await console(desk, [])
        try:
            async with http.get(f"{url}/console/profile") as page:
                text = await page.text()
                assert page.status == 200 and 'value="Customer service"' in text
            form = {"display_name": "<script>x</script>", "avatar": "image:leaf"}
            async with http.post(f"{url}/console/profile", data=form) as refused:
                text = await refused.text()
                assert refused.status == 400 and 'data-testid="profile-error"' in text
                assert "<script>x" not in text and html.escape("<script>x</script>") in text
            form = {"display_name": AGENT, "avatar": "image:leaf"}
            async with http.post(f"{url}/console/profile", data=form) as refused:
                assert refused.status == 400 and "user name" in await refused.text()
            form = {"display_name": "Sam", "avatar": "image:../../x"}
            async with http.post(f"{url}/console/profile", data=form) as refused:
                assert refused.status == 400
            form = {"display_name": " Sam  Lee ", "avatar": "image:leaf"}
            async with http.post(f"{url}/console/profile", data=form) as saved:
                assert saved.status == 200 and "Saved" in await saved.text()
            async with http.get(f"{url}/console/handoffs") as queue:
                text = await queue.text()
                assert "<b>Sam Lee</b>" in text and "/static/avatars/leaf.svg" in text
        finally:
            await close(http, servers)
        with session_scope(desk["db"]) as session:
            assert profiles.get(session, AGENT) == profiles.Profile("Sam Lee", "image:leaf")

    run(scenario())


def test_customers_see_the_display_name_never_the_user_name(desk):
    calls: List[Dict[str, Any]] = []

    async def scenario():
        url, http, servers = await console(desk, calls)
        ticket = f"{url}/console/handoffs/{desk['ticket']}"
        try:
            # Nothing chosen yet: "a colleague", shown as "Customer service".
            async with http.post(f"{ticket}/take") as taken:
                assert taken.status == 200
            async with http.post(f"{ticket}/reply", data={"text": "Hello!"}) as replied:
                assert replied.status == 200
            async with http.get(ticket) as page:
                text = await page.text()
                assert f'data-typing-url="/console/api/handoffs/{desk["ticket"]}/typing"' in text
        finally:
            await close(http, servers)

    run(scenario())
    (take, reply) = calls
    assert take["path"] == "/conversations/socketio:chat-1/tracker/events"
    assert take["auth"].startswith("Bearer ") and TOKEN not in take["auth"]
    pause, joined = take["json"]
    assert pause == {"event": "pause"}
    assert joined["text"] == "A colleague from our customer service team has joined the chat."
    speaker = {
        "role": "agent",
        "name": "Customer service",
        "avatar": {"kind": "initials", "initials": "CS", "colour": profiles.COLOURS["slate"]},
    }
    assert joined["metadata"]["speaker"] == speaker
    assert joined["metadata"]["takeover"] == "started"
    assert joined["metadata"]["agent"] == AGENT  # the console's record of who it was
    (message,) = reply["json"]
    assert message["text"] == "Hello!" and message["metadata"]["speaker"] == speaker
    assert message["metadata"]["generated_by"] == "person"
    for call in calls:  # the user name reaches Rasa only as the console's record
        for event in call["json"]:
            assert AGENT not in event.get("text", "")
            assert AGENT not in str(event.get("metadata", {}).get("speaker"))


def test_the_ticket_opens_with_the_assistants_summary_escaped(desk):
    with session_scope(desk["db"]) as session:
        turns = [
            {"who": "customer", "text": "order 100234 came broken <script>x</script>"},
            {"who": "customer", "text": "get me a human"},
        ]
        ticket = support.open_ticket(session, "socketio:chat-2", "asked", turns)

    async def scenario():
        url, http, servers = await console(desk, [])
        try:
            async with http.get(f"{url}/console/handoffs/{ticket.id}") as page:
                return await page.text()
        finally:
            await close(http, servers)

    text = run(scenario())
    assert 'data-testid="ticket-summary"' in text and "written by the assistant" in text
    assert "Order numbers written: 100234" in text and "get me a human" in text
    assert "<script>x</script>" not in text and "&lt;script&gt;" in text


def test_the_summary_written_when_the_ticket_opened_is_shown_with_its_model(desk):
    turns = [{"who": "customer", "text": "order 100234 came broken, get me a human"}]
    model_summary = "Order 100234 arrived broken; the customer wants a person."
    with session_scope(desk["db"]) as session:
        by_model = support.open_ticket(
            session,
            "socketio:chat-3",
            "asked",
            turns,
            summary=support.WrittenSummary(model_summary, "shop-model-8b", "passed"),
        )
        refused = support.open_ticket(
            session,
            "socketio:chat-4",
            "asked",
            turns,
            summary=support.WrittenSummary("First: the template writes.", "template", "failed"),
        )

    async def scenario():
        url, http, servers = await console(desk, [])
        try:
            pages = []
            for ticket in (by_model, refused):
                async with http.get(f"{url}/console/handoffs/{ticket.id}") as page:
                    pages.append(await page.text())
            return pages
        finally:
            await close(http, servers)

    model_page, template_page = run(scenario())
    assert model_summary in model_page
    assert "written by the assistant (model shop-model-8b)" in model_page
    assert "First: the template writes." in template_page
    assert "written by the assistant</span>" in template_page and "(model" not in template_page


def test_a_chosen_name_introduces_the_agent(desk):
    calls: List[Dict[str, Any]] = []
    with session_scope(desk["db"]) as session:
        profiles.save(session, AGENT, "Sam", "initials:teal")

    async def scenario():
        url, http, servers = await console(desk, calls)
        try:
            async with http.post(f"{url}/console/handoffs/{desk['ticket']}/take") as taken:
                assert taken.status == 200
        finally:
            await close(http, servers)

    run(scenario())
    joined = calls[0]["json"][1]
    assert joined["text"] == "Sam from our customer service team has joined the chat."
    assert joined["metadata"]["speaker"]["avatar"] == {
        "kind": "initials", "initials": "S", "colour": profiles.COLOURS["teal"],
    }  # fmt: skip


def test_typing_reaches_rasa_only_during_a_takeover(desk):
    calls: List[Dict[str, Any]] = []

    async def scenario():
        url, http, servers = await console(desk, calls)
        typing = f"{url}/console/api/handoffs/{desk['ticket']}/typing"
        try:
            async with http.post(typing, json={"typing": True}) as early:
                assert early.status == 409  # not taken over: the assistant is answering
            async with http.post(f"{url}/console/handoffs/{desk['ticket']}/take"):
                pass
            for on in (True, False):
                async with http.post(typing, json={"typing": on}) as sent:
                    assert sent.status == 204
            for bad in ({"typing": "yes"}, {}, ["x"]):
                async with http.post(typing, json=bad) as refused:
                    assert refused.status == 400
            async with http.post(
                f"{url}/console/api/handoffs/999999/typing", json={"typing": True}
            ) as r:
                assert r.status == 404
        finally:
            await close(http, servers)

    run(scenario())
    signals = [c for c in calls if c["path"] == "/webhooks/socketio/typing"]
    assert [s["json"] for s in signals] == [
        {"conversation": "socketio:chat-1", "typing": True},
        {"conversation": "socketio:chat-1", "typing": False},
    ]
    assert all(s["auth"].startswith("Bearer ") for s in signals)


def test_the_queue_s_heartbeat_makes_the_agent_available_and_logging_out_ends_it(desk):
    async def scenario():
        url, http, servers = await console(desk, [])
        beat = f"{url}/console/api/presence"
        try:
            async with http.post(beat, json={"here": True}) as here:
                body = await here.json()
                assert body["here"] is True and body["agents_available"] == 1
                assert desk["ticket"] in body["tickets"]
            assert presence.colleague_can_join("socketio", desk["db"])
            async with http.post(beat, json={"here": False}) as away:
                assert (await away.json())["agents_available"] == 0
            assert not presence.colleague_can_join("socketio", desk["db"])
            async with http.post(beat, json={"here": "maybe"}) as refused:
                assert refused.status == 400
            async with http.post(beat, json={"here": True}):
                pass
            async with http.post(f"{url}/console/logout") as out:
                assert out.status == 200
            assert not presence.colleague_can_join("socketio", desk["db"])
        finally:
            await close(http, servers)

    run(scenario())


def test_the_queue_shows_each_ticket_s_language_and_filters_by_it(desk):
    with session_scope(desk["db"]) as session:
        german = support.open_ticket(session, "socketio:chat-de", "asked", [], language="de")
        chinese = support.open_ticket(session, "socketio:chat-zh", "upset", [], language="zh")
    unknown = desk["ticket"]  # opened without a language: as tickets opened before

    async def scenario():
        url, http, servers = await console(desk, [])
        pages = {}
        try:
            for key, path in [
                ("all", "/console/handoffs"),
                ("de", "/console/handoffs?language=de"),
                ("unknown", "/console/handoffs?language=unknown"),
                ("bogus", "/console/handoffs?language=<b>"),
                ("ticket", f"/console/handoffs/{chinese.id}"),
            ]:
                async with http.get(url + path) as page:
                    assert page.status == 200
                    pages[key] = await page.text()
            async with http.get(f"{url}/console/api/handoffs/queue?language=zh") as polled:
                pages["polled"] = await polled.json()
        finally:
            await close(http, servers)
        return pages

    pages = run(scenario())

    def rows(text):
        return {int(part.split('"', 1)[0]) for part in text.split('data-ticket="')[1:]}

    assert rows(pages["all"]) == rows(pages["bogus"]) == {german.id, chinese.id, unknown}
    assert 'data-language="de">German<' in pages["all"]
    assert 'data-language="unknown">unknown<' in pages["all"]
    assert rows(pages["de"]) == {german.id}
    assert '<option value="de" selected>' in pages["de"]
    assert rows(pages["unknown"]) == {unknown}
    assert "language: Chinese" in pages["ticket"]
    assert pages["polled"]["tickets"] == [chinese.id] and pages["polled"]["waiting"] == 1
