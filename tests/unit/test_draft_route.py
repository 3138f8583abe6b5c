"""The web chat's draft route: text a model is still writing reaches that conversation's chat
only, only from the holder of the action servers' secret, and the checked reply names the
draft it replaces (`stream_id`)."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from shopassist.auth import draft_token, rasa_api
from shopassist.channels import sessions
from tests.unit.test_channel_security import Chat, run
from tests.unit.test_takeover_channel import TOKEN, rasa_server

SECRET = "draft-tests-only-" + "s" * 32
STREAM = "0123456789abcdef0123456789abcdef"


def test_a_draft_reaches_its_conversation_only_from_the_action_servers(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_ACTION_TOKEN", SECRET)

    async def scenario():
        async with (
            rasa_server(monkeypatch) as (url, _),
            Chat(url, events=["bot_draft"]) as chat,
            Chat(url, events=["bot_draft"]) as other,
            aiohttp.ClientSession() as http,
        ):
            conversation = sessions.verify("socketio", await chat.session())
            elsewhere = sessions.verify("socketio", await other.session())

            async def post(body, headers) -> int:
                async with http.post(
                    f"{url}/webhooks/socketio/draft", json=body, headers=headers
                ) as response:
                    return response.status

            allowed = draft_token.authorization(SECRET, conversation)
            body = {"conversation": conversation, "stream_id": STREAM, "text": "Returns are"}
            assert await post(body, allowed) == 200
            await chat.until(lambda: chat.heard["bot_draft"])
            assert chat.heard["bot_draft"] == [{"stream_id": STREAM, "text": "Returns are"}]
            discard = {"conversation": conversation, "stream_id": STREAM, "discard": True}
            assert await post(discard, allowed) == 200
            await chat.until(lambda: len(chat.heard["bot_draft"]) == 2)
            assert chat.heard["bot_draft"][-1] == {"stream_id": STREAM, "discard": True}

            # No header, a forged or expired one, another secret's, one for another
            # conversation, and the console's (Rasa API) JWT: refused.
            refused = [
                {},
                {"Authorization": "Bearer forged"},
                draft_token.authorization(SECRET, conversation, now=time.time() - 3600),
                draft_token.authorization("another-secret-" + "x" * 30, conversation),
                draft_token.authorization(SECRET, elsewhere),
                rasa_api.authorization(TOKEN),
            ]
            for headers in refused:
                assert await post(body, headers) == 401
            # A header for one conversation can't write to another.
            moved = {**body, "conversation": elsewhere}
            assert await post(moved, allowed) == 401
            malformed = [
                {"conversation": conversation, "text": "x"},
                {"conversation": conversation, "stream_id": "../x", "text": "x"},
                {"conversation": conversation, "stream_id": STREAM},
                {"conversation": conversation, "stream_id": STREAM, "text": "x" * 2001},
                {"conversation": conversation, "stream_id": STREAM, "text": 5},
            ]
            for bad in malformed:
                assert await post(bad, allowed) == 400
            assert await post(["x"], allowed) == 400
            await asyncio.sleep(0.3)
            assert len(chat.heard["bot_draft"]) == 2 and other.heard["bot_draft"] == []

    run(scenario())


def test_without_the_secret_no_draft_is_accepted(monkeypatch):
    monkeypatch.delenv("SHOPASSIST_ACTION_TOKEN", raising=False)

    async def scenario():
        async with rasa_server(monkeypatch) as (url, _), Chat(url, events=["bot_draft"]) as chat:
            conversation = sessions.verify("socketio", await chat.session())
            async with aiohttp.ClientSession() as http:
                async with http.post(
                    f"{url}/webhooks/socketio/draft",
                    json={"conversation": conversation, "stream_id": STREAM, "text": "x"},
                    headers=draft_token.authorization("", conversation),
                ) as response:
                    assert response.status == 401

    run(scenario())


def test_the_checked_reply_names_the_draft_it_replaces(monkeypatch):
    async def scenario():
        async with rasa_server(monkeypatch) as (url, channel), Chat(url) as chat:
            conversation = sessions.verify("socketio", await chat.session())
            output = channel.get_output_channel()
            await output.send_response(conversation, {"text": "Checked.", "stream_id": STREAM})
            await chat.until(lambda: chat.bot)
            assert chat.bot[-1] == {"text": "Checked.", "stream_id": STREAM}
            buttons = [{"title": "Start a return", "payload": "/start_return"}]
            message = {"text": "Checked.", "buttons": buttons, "stream_id": STREAM}
            await output.send_response(conversation, message)
            await chat.until(lambda: len(chat.bot) == 2)
            assert chat.bot[-1]["stream_id"] == STREAM
            assert chat.bot[-1]["quick_replies"][0]["payload"] == "/start_return"
            # Anything else in `stream_id` is not passed on.
            await output.send_response(conversation, {"text": "Hi", "stream_id": "<b>"})
            await chat.until(lambda: len(chat.bot) == 3)
            assert chat.bot[-1] == {"text": "Hi"}

    run(scenario())
