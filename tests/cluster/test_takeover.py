"""An agent's reply reaches the customer's chat whichever Rasa server takes the console's
call: the servers share socket.io's rooms through Redis."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
import requests
import socketio

from shopassist.language.messages import message

pytestmark = pytest.mark.integration


async def chat_and_agent_replies(cluster) -> list:
    received: list = []
    confirmed = asyncio.Event()
    # A browser keeps HAProxy's cookie for 127.0.0.1; aiohttp keeps cookies of an IP address
    # only when told to.
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    client = socketio.AsyncClient(reconnection=False, http_session=http)
    client.on("bot_uttered", lambda data: received.append(data.get("text")))
    issued = []
    client.on("session_confirm", lambda data: (issued.append(data), confirmed.set()))
    # Polling, through HAProxy: its cookie keeps the socket on one server.
    await client.connect(cluster.url, transports=["polling"], wait_timeout=30)
    try:
        await client.emit("session_request", {})  # the server issues the session
        await asyncio.wait_for(confirmed.wait(), 30)
        session = "socketio:" + issued[0].split("-")[0]  # the conversation Rasa stores
        await client.emit("user_uttered", {"message": "hi", "session_id": issued[0]})
        for _ in range(300):
            if received:
                break
            await asyncio.sleep(0.1)
        for process in cluster.rasa:  # each server in turn, not through the proxy
            base = process.health.rstrip("/")
            name = process.name
            response = await asyncio.to_thread(
                requests.post,
                f"{base}/conversations/{session}/tracker/events",
                params={"output_channel": "latest", "execute_side_effects": "true",
                        "token": cluster.rasa_token},
                json={"event": "bot", "text": f"Agent here, via {name}."}, timeout=30,
            )  # fmt: skip
            assert response.ok, response.text
        for _ in range(100):
            if sum("Agent here" in (t or "") for t in received) == len(cluster.rasa):
                break
            await asyncio.sleep(0.1)
    finally:
        await client.disconnect()
        await http.close()
    return received


def test_an_agents_reply_reaches_the_chat_from_either_server(cluster):
    received = asyncio.run(chat_and_agent_replies(cluster))
    # The greeting: the web chat's short one (it introduces the assistant itself).
    assert message("greet.welcomed", "en") in received, received
    for process in cluster.rasa:
        assert f"Agent here, via {process.name}." in received, received
