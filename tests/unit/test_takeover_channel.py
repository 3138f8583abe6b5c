"""An agent in the web chat: who speaks reaches the chat, and typing is shown on request.

Rasa's HTTP API sends an agent's messages through the channel's output channel
(`get_output_channel`); the console's typing signal is a route of the channel, behind the
JWT Rasa's API takes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from types import SimpleNamespace

import aiohttp
from rasa.core.channels.channel import register
from sanic import Sanic

from shopassist.auth import rasa_api
from shopassist.channels import sessions
from shopassist.channels.socketio import SessionSocketIOInput
from shopassist.cluster import free_port
from tests.unit.test_channel_security import Chat, run

TOKEN = "takeover-tests-only-" + "t" * 24
SPEAKER = {
    "role": "agent",
    "name": "Sam Lee",
    "avatar": {"kind": "initials", "initials": "SL", "colour": "#0f766e"},
}


@contextlib.asynccontextmanager
async def rasa_server(monkeypatch, tracker_store=None):
    """The socket.io channel on a server of its own, as Rasa registers it, with Rasa's
    `tracker_store` if given; yields its URL and the channel."""
    monkeypatch.setenv("SHOPASSIST_RASA_TOKEN", TOKEN)
    monkeypatch.delenv("SHOPASSIST_RASA_TOKEN_FILE", raising=False)
    Sanic.test_mode = True
    channel = SessionSocketIOInput(session_persistence=True)
    app = Sanic(f"takeover{free_port()}")
    app.ctx.agent = SimpleNamespace(handle_message=None, tracker_store=tracker_store)
    register([channel], app, "/webhooks/")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    try:
        yield f"http://127.0.0.1:{port}", channel
    finally:
        server.close()
        await server.wait_closed()


def test_an_agent_s_message_carries_their_name_and_avatar_never_their_user_name(monkeypatch):
    async def scenario():
        async with rasa_server(monkeypatch) as (url, channel), Chat(url) as chat:
            conversation = sessions.verify("socketio", await chat.session())
            output = channel.get_output_channel()  # what Rasa's HTTP API sends through
            message = {
                "text": "Hello, I'm looking at it.",
                "speaker": SPEAKER,
                "takeover": "started",
                "agent": "agent.alex",  # the console's record: not for the customer
                "generated_by": "person",
            }
            await output.send_response(conversation, message)
            await chat.until(lambda: chat.bot)
            assert chat.bot[-1] == {
                "text": "Hello, I'm looking at it.",
                "speaker": SPEAKER,
                "takeover": "started",
            }
            # The assistant's messages stay as they were; odd values are not passed on.
            await output.send_response(conversation, {"text": "Hi", "takeover": "whatever"})
            await chat.until(lambda: len(chat.bot) == 2)
            assert chat.bot[-1] == {"text": "Hi"}

    run(scenario())


def test_typing_is_shown_only_in_its_conversation_and_only_for_the_console(monkeypatch):
    async def scenario():
        async with (
            rasa_server(monkeypatch) as (url, _),
            Chat(url, events=["agent_typing"]) as chat,
            Chat(url, events=["agent_typing"]) as other,
            aiohttp.ClientSession() as http,
        ):
            conversation = sessions.verify("socketio", await chat.session())
            await other.session()

            async def post(body, headers) -> int:
                async with http.post(
                    f"{url}/webhooks/socketio/typing", json=body, headers=headers
                ) as response:
                    return response.status

            console = rasa_api.authorization(TOKEN)
            assert await post({"conversation": conversation, "typing": True}, console) == 200
            await chat.until(lambda: chat.heard["agent_typing"])
            assert chat.heard["agent_typing"] == [{"typing": True}]
            assert await post({"conversation": conversation, "typing": False}, console) == 200
            await chat.until(lambda: len(chat.heard["agent_typing"]) == 2)
            assert chat.heard["agent_typing"][-1] == {"typing": False}

            body = {"conversation": conversation, "typing": True}
            assert await post(body, {}) == 401
            assert await post(body, {"Authorization": "Bearer forged"}) == 401
            expired = rasa_api.authorization(TOKEN, now=time.time() - 3600)
            assert await post(body, expired) == 401
            assert await post(body, rasa_api.authorization("another-token-" + "x" * 30)) == 401
            malformed = [{"conversation": conversation}, {"typing": True}, ["x"]]
            malformed.append({"conversation": 5, "typing": True})
            for bad in malformed:
                assert await post(bad, console) == 400
            await asyncio.sleep(0.3)
            assert len(chat.heard["agent_typing"]) == 2 and other.heard["agent_typing"] == []

    run(scenario())
