"""The customers' thumbs in the console: next to the rated answer in the transcript, and as
counts, share and the least helpful answers on the analytics page and in its JSON."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import aiohttp
from sanic import Sanic

from shopassist.console import accounts
from shopassist.console.app import COOKIE, create_app
from shopassist.console.settings import Settings
from shopassist.store import feedback
from shopassist.store.db import session_scope
from shopassist.store.models import message_key
from tests.console_kit import T0, action, bot, session_start, user, write_tracker_store
from tests.unit.test_console_desk import run
from tests.unit.test_serve import started

AGENT, PASSWORD = "agent.alex", "correct horse battery"
CHAT = "socketio:0123456789abcdef0123456789abcdef"


def test_the_console_shows_the_thumbs_next_to_the_rated_answers(tmp_path, tmp_path_factory):
    from tests.conftest import seeded_sqlite

    trackers = write_tracker_store(
        tmp_path / "trackers.db",
        {
            CHAT: [
                *session_start(T0),
                user("do you ship abroad", "ask_shipping", T0 + 1),
                action("utter_shipping_policy", T0 + 2),
                bot("We ship to 30 countries.", T0 + 2.5),
                user("and returns?", "ask_returns", T0 + 10),
                action("utter_return_policy", T0 + 11),
                bot("Returns are free within 30 days.", T0 + 11.25),
                bot("Anything else?", T0 + 11.5),
            ]
        },
    )
    shop_db = seeded_sqlite(tmp_path_factory)
    with session_scope(shop_db) as session:
        accounts.set_password(session, AGENT, PASSWORD)
        cookie = accounts.log_in(session, AGENT, PASSWORD, "127.0.0.1", timedelta(hours=1))
        feedback.record(session, CHAT, message_key(T0 + 2.5), "utter_shipping_policy", "up")
        feedback.record(session, CHAT, message_key(T0 + 11.25), "utter_return_policy", "down")

    async def scenario():
        Sanic.test_mode = True
        settings = replace(Settings.from_env(), tracker_db_url=trackers)
        Sanic._app_registry.pop("shopassist-console", None)
        server, url = await started(create_app(settings, shop_db))
        try:
            async with aiohttp.ClientSession(cookies={COOKIE: cookie}) as http:
                async with http.get(f"{url}/console/conversations/socketio%3A{CHAT[9:]}") as r:
                    assert r.status == 200
                    page = await r.text()
                async with http.get(f"{url}/console/api/analytics") as r:
                    figures = await r.json()
                async with http.get(f"{url}/console/analytics") as r:
                    analytics_page = await r.text()
        finally:
            server.close()
            await server.wait_closed()
        return page, figures, analytics_page

    page, figures, analytics_page = run(scenario())
    turn = r'<li class="turn bot[^"]*" data-testid="turn-bot">(.*?)</li>'
    bot_turns = re.findall(turn, page, re.S)
    assert len(bot_turns) == 3
    shipping, returns, anything = bot_turns
    assert "We ship to 30 countries." in shipping and 'data-value="up"' in shipping
    assert "thumb-up.svg" in shipping and "helpful" in shipping
    assert "Returns are free" in returns and 'data-value="down"' in returns
    assert "not helpful" in returns
    assert "turn-feedback" not in anything  # not rated: no thumb

    assert figures["answer_feedback"] == {
        "helpful": 1,
        "not_helpful": 1,
        "helpful_share": 0.5,
        "least_helpful": [{"answer": "utter_return_policy", "not_helpful": 1, "helpful": 0}],
    }
    assert re.search(r'data-testid="figure-helpful">1<', analytics_page)
    assert re.search(r'data-testid="figure-not-helpful">1<', analytics_page)
    assert re.search(r'data-testid="figure-helpful-share">50%<', analytics_page)
    least = analytics_page.split('data-testid="least-helpful"')[1].split("</table>")[0]
    assert "<code>utter_return_policy</code></td><td>1</td><td>0</td>" in least
