"""Console transcripts show what the customer saw, over tracker stores Rasa wrote: a button
press as the button's title (its payload beside it), each message once, and per message the
intents the assistant weighed, with a fallback's real candidates."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest
from sanic import Sanic

from shopassist.console import accounts
from shopassist.console.analytics import partial
from shopassist.console.app import COOKIE, create_app
from shopassist.console.conversations import ConversationStore, summarise
from shopassist.console.settings import Settings
from shopassist.store.db import session_scope
from tests.console_kit import (
    ORDERS,
    UNSURE,
    buttons_pressed,
    suggestion_picked,
    write_tracker_store,
)
from tests.unit.test_serve import started


@pytest.fixture(scope="module")
def trackers(tmp_path_factory):
    """The URL of a tracker store Rasa wrote with both conversations."""
    path = tmp_path_factory.mktemp("transcripts") / "t.db"
    return write_tracker_store(path, {"buttons": buttons_pressed(), "picked": suggestion_picked()})


@pytest.fixture(scope="module")
def store(trackers):
    from sqlalchemy import create_engine

    return ConversationStore(create_engine(trackers))


def said(turns):
    return [(t.shown, t.text) for t in turns if t.kind == "user"]


def test_a_button_press_shows_the_title_the_customer_saw_and_keeps_the_payload(store):
    assert said(store.transcript("buttons")) == [
        ("where is my order", "where is my order"),
        (ORDERS[1][0], ORDERS[1][1]),
        ("Coffee mug", "2"),
        ("2", "2"),
        ("yes please", "yes please"),
    ]
    pressed = [t.button for t in store.transcript("buttons") if t.kind == "user"]
    assert pressed == [None, ORDERS[1][0], "Coffee mug", None, None]


def test_a_suggestion_picked_after_a_fallback_is_shown_once(store):
    rows = store.rows("picked")
    assert [r.type_name for r in rows].count("user") == 3  # Rasa stored the pick twice
    assert said(store.transcript("picked")) == [
        ("money back thing", "money back thing"),
        ("Get my money back", "/request_refund"),
    ]
    bots = [t.text for t in store.transcript("picked") if t.kind == "bot"]
    assert bots[-1] == "Refunds go back to the card you paid with."


def test_the_list_and_the_analytics_count_a_re_stored_pick_once(store):
    rows = store.rows("picked")
    assert summarise("picked", rows).user_messages == 2
    assert sum(partial("picked", rows).messages_per_day.values()) == 2


def test_every_message_has_its_ranking_and_a_fallback_its_real_candidates(store):
    fallback, pick = [t for t in store.transcript("picked") if t.kind == "user"]
    assert fallback.fallback and fallback.intent == "nlu_fallback"
    assert fallback.ranking == [{"name": n, "confidence": c} for n, c in UNSURE[:5]]
    assert not pick.fallback and pick.ranking == [{"name": "request_refund", "confidence": 1.0}]
    rated = [t for t in store.transcript("buttons") if t.kind == "user"][2]
    assert [r["name"] for r in rated.ranking] == ["rate", "inform"]


@pytest.fixture()
def pages(trackers, tmp_path_factory):
    """get(path) -> (status, text) from a console over the tracker store, logged in."""
    from tests.conftest import seeded_sqlite

    shop_db = seeded_sqlite(tmp_path_factory)
    with session_scope(shop_db) as session:
        accounts.set_password(session, "dana", "a-long-password")
        token = accounts.log_in(session, "dana", "a-long-password", "127.0.0.1",
                                timedelta(hours=1))  # fmt: skip
    settings = replace(Settings.from_env(), tracker_db_url=trackers)

    def get(*paths):
        async def fetch():
            Sanic.test_mode = True
            Sanic._app_registry.pop("shopassist-console", None)
            server, url = await started(create_app(settings, shop_db))
            try:
                async with aiohttp.ClientSession(cookies={COOKIE: token}) as http:
                    result = []
                    for path in paths:
                        async with http.get(url + path, allow_redirects=False) as response:
                            result.append((response.status, await response.text()))
                    return result
            finally:
                server.close()
                await server.wait_closed()

        return asyncio.run(asyncio.wait_for(fetch(), 60))

    return get


def test_the_pages_show_titles_payloads_candidates_and_a_collapsed_ranking(pages):
    (status, page), (api_status, api) = pages(
        "/console/conversations/picked", "/console/api/conversations/picked/transcript"
    )
    assert status == api_status == 200
    assert page.count('data-testid="turn-user"') == 2
    assert 'data-testid="turn-button">Get my money back</div>' in page
    assert "button · sent <code>/request_refund</code>" in page
    assert 'title="Button pressed; the chat sent /request_refund"' in page
    candidates = page.split('data-testid="fallback-candidates">')[1].split("</div>")[0]
    assert "<code>request_refund 0.41</code>" in candidates and "nlu_fallback" not in candidates
    assert page.count('<details class="meta ranking" data-testid="intent-ranking">') == 2
    assert "<details open" not in page  # collapsed until opened
    turns = [t for t in json.loads(api) if t["kind"] == "user"]
    assert [(t["text"], t["button"]) for t in turns] == [
        ("money back thing", None),
        ("/request_refund", "Get my money back"),
    ]
    assert turns[0]["ranking"][0] == {"name": "request_refund", "confidence": 0.41}
