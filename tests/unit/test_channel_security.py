"""The channels as a client meets them: server-issued sessions, limits, stripped tokens.

Each test serves the real REST and socket.io channels on a free port (a Sanic app like
Rasa's, with a stand-in for Rasa that records what it would store and echoes it back).
"""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace
from typing import Any, Dict, List

import aiohttp
import jwt
import pytest
import socketio
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from shopassist import proxies
from shopassist.auth import customer_token
from shopassist.channels import inbound, sessions
from shopassist.channels.rest import GuardedRestInput
from shopassist.channels.socketio import SessionSocketIOInput
from shopassist.cluster import free_port

TIMEOUT = 10
SHOP = "http://localhost:5002"


@contextlib.asynccontextmanager
async def serve(**limits: Any):
    """Base URL of the two channels, and the list of messages Rasa would be given."""
    Sanic.test_mode = True
    received: List[UserMessage] = []

    async def rasa(message: UserMessage) -> None:
        received.append(message)
        await message.output_channel.send_response(
            message.sender_id, {"text": f"{message.sender_id}|{message.text[:20]}"}
        )

    rest = GuardedRestInput()
    sio = SessionSocketIOInput(session_persistence=True, jwt_key=limits.get("jwt_key"))
    for channel in (rest, sio):
        if "per_minute" in limits:
            channel.new_conversations = inbound.NewConversationLimit(limits["per_minute"])
    app = Sanic(f"channels{free_port()}")
    app.ctx.agent = SimpleNamespace(handle_message=rasa)  # what register() hands messages to
    register([rest, sio], app, "/webhooks/")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()  # as Rasa's app.run does: the channels' start listeners
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        server.close()
        await server.wait_closed()


class Chat:
    """A socket.io client of the web chat's protocol."""

    def __init__(self, url: str, origin: str = SHOP, headers=None, events=(), auth=None) -> None:
        self.url, self.origin, self.headers, self.auth = url, origin, headers or {}, auth
        self.client = socketio.AsyncClient(reconnection=False)
        self.confirmed: List[str] = []
        self.bot: List[Dict[str, Any]] = []
        self.client.on("session_confirm", lambda data: self.confirmed.append(data))
        self.client.on("bot_uttered", lambda data: self.bot.append(data))
        # Other events the test listens to (e.g. agent_typing), each received payload kept.
        self.heard: Dict[str, List[Any]] = {event: [] for event in events}
        for event in events:
            self.client.on(event, self.heard[event].append)

    async def __aenter__(self) -> Chat:
        await self.client.connect(
            self.url, transports=["polling"], socketio_path="/socket.io",
            headers={"Origin": self.origin, **self.headers}, wait_timeout=TIMEOUT, auth=self.auth,
        )  # fmt: skip
        return self

    async def __aexit__(self, *exc: Any) -> None:
        # The polling client's goodbye can wait for the pending long poll: don't.
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(self.client.disconnect(), 2)

    async def until(self, check) -> None:
        for _ in range(TIMEOUT * 20):
            if check():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("no answer")

    async def session(self, session_id: Any = None) -> str:
        count = len(self.confirmed)
        await self.client.emit("session_request", {"session_id": session_id})
        await self.until(lambda: len(self.confirmed) > count)
        return self.confirmed[-1]

    async def say(self, text: str, session_id: str, metadata=None) -> Dict[str, Any]:
        count = len(self.bot)
        payload = {"message": text, "session_id": session_id, "metadata": metadata or {}}
        await self.client.emit("user_uttered", payload)
        await self.until(lambda: len(self.bot) > count)
        return self.bot[-1]


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


# --- sessions ------------------------------------------------------------------------


def test_a_named_session_id_is_replaced_by_one_the_server_signs():
    async def scenario():
        async with serve() as (url, received), Chat(url) as chat:
            issued = await chat.session("victim-session-id")
            assert issued != "victim-session-id"
            assert sessions.verify("socketio", issued)
            await chat.say("hi", issued)
            assert received[-1].sender_id == sessions.verify("socketio", issued)
            assert received[-1].sender_id.startswith("socketio:")
            # an altered signature is not accepted either
            forged = issued[:-1] + ("0" if issued[-1] != "0" else "1")
            assert await chat.session(forged) not in (forged, issued)

    run(scenario())


def test_the_chat_rejoins_its_conversation_after_a_reload():
    async def scenario():
        async with serve() as (url, received):
            async with Chat(url) as first:
                issued = await first.session()
                await first.say("where is my order", issued)
            async with Chat(url) as reloaded:  # the page sends its stored id again
                assert await reloaded.session(issued) == issued
                await reloaded.say("thanks", issued)
            assert received[0].sender_id == received[1].sender_id

    run(scenario())


def test_a_second_socket_cannot_join_a_live_session_nor_speak_in_it():
    async def scenario():
        async with serve() as (url, received), Chat(url) as victim, Chat(url) as other:
            issued = await victim.session()
            conversation = sessions.verify("socketio", issued)
            assert await other.session(issued) != issued  # a session of its own
            before = len(victim.bot)
            reply = await other.say("cancel my order", issued)  # names the victim's id
            assert received[-1].sender_id != conversation
            assert not reply["text"].startswith(conversation)
            await asyncio.sleep(0.3)
            assert len(victim.bot) == before  # nothing of it reached the victim

    run(scenario())


def test_a_message_before_any_session_is_not_handled():
    async def scenario():
        async with serve() as (url, received), Chat(url) as chat:
            reply = await chat.say("hi", "a" * 32)
            assert "no session" in reply["text"] and not received

    run(scenario())


def test_rest_and_socketio_conversations_never_mix():
    async def scenario():
        async with serve() as (url, received), Chat(url) as chat:
            issued = await chat.session()
            conversation = sessions.verify("socketio", issued)
            async with aiohttp.ClientSession() as http:
                for sender in (conversation, issued, conversation.split(":", 1)[1]):
                    body = {"sender": sender, "message": "hi"}
                    async with http.post(f"{url}/webhooks/rest/webhook", json=body) as r:
                        assert r.status == 200
                    assert received[-1].sender_id == "rest:" + sender

    run(scenario())


def test_a_socket_from_another_website_is_refused():
    async def scenario():
        async with serve() as (url, _):
            with pytest.raises(socketio.exceptions.ConnectionError):
                async with Chat(url, origin="https://evil.example"):
                    pass

    run(scenario())


def test_with_a_jwt_key_only_a_socket_with_a_valid_token_connects_as_in_rasa():
    key = "a-test-jwt-key-of-32-characters!!"
    good = jwt.encode({"user": {"username": "web"}}, key, algorithm="HS256")
    bad = jwt.encode({"user": {"username": "web"}}, "another-key-of-32-characters!!!!", "HS256")

    async def scenario():
        async with serve(jwt_key=key) as (url, _), aiohttp.ClientSession() as http:
            async with http.get(f"{url}/webhooks/socketio/") as health:
                assert await health.json() == {"status": "ok"}
            async with Chat(url, auth={"token": good}) as chat:
                assert len(await chat.session()) == 65
        # refused ones, asked directly (a refused polling client waits out its long poll)
        channel = SessionSocketIOInput(session_persistence=True, jwt_key=key)
        channel.blueprint(lambda message: None)
        connect = channel.sio.handlers["/"]["connect"]
        for auth in (None, {"token": bad}, {"nothing": 1}, "not an object"):
            assert await connect("sid", {}, auth) is False
        assert await connect("sid", {}, {"token": good}) is True

    run(scenario())


# --- limits --------------------------------------------------------------------------


def test_a_20_mb_request_is_refused_and_long_messages_are_stored_cut(monkeypatch):
    async def scenario():
        async with serve() as (url, received), aiohttp.ClientSession() as http:
            over = {"sender": "u1", "message": "x " * 40_000}  # 80 KB
            async with http.post(f"{url}/webhooks/rest/webhook", json=over) as r:
                assert r.status == 413
            huge = {"sender": "u1", "message": "x " * 5_000_000, "metadata": {"k": "y" * 10**7}}
            try:  # refused as it arrives: the server may close before the client is done
                async with http.post(f"{url}/webhooks/rest/webhook", json=huge) as r:
                    status = r.status
            except (aiohttp.ClientError, ConnectionError):
                status = 413
            assert status == 413
            assert not received
            body = {"sender": "u1", "message": "word " * 6_000, "metadata": {"big": "z" * 20_000}}
            async with http.post(f"{url}/webhooks/rest/webhook", json=body) as r:
                assert r.status == 200
            assert len(received[-1].text) <= 1000
            # keys ShopAssist doesn't use are dropped; only the server's client key is added
            assert set(received[-1].metadata) == {"client"}

    run(scenario())


def test_socketio_has_the_same_limits():
    async def scenario():
        async with serve() as (url, received), Chat(url) as chat:
            assert len(await chat.session("s" * 60_000)) == 65  # a new, signed id instead
            issued = chat.confirmed[-1]
            await chat.say("word " * 10_000, issued)
            assert len(received[-1].text) <= 1000
            count = len(received)
            with pytest.raises(AssertionError, match="no answer"):  # over 64 KB: dropped
                await chat.say("x" * 100_000, issued)
            assert len(received) == count

    run(scenario())


def test_the_rest_sender_is_still_limited_to_what_the_store_keeps():
    async def scenario():
        async with serve() as (url, _), aiohttp.ClientSession() as http:
            body = {"sender": "s" * 250, "message": "hi"}
            async with http.post(f"{url}/webhooks/rest/webhook", json=body) as r:
                assert r.status == 400

    run(scenario())


def test_new_conversations_per_address_are_limited():
    async def scenario():
        async with serve(per_minute=5) as (url, _), aiohttp.ClientSession() as http:
            statuses = []
            for n in range(8):
                body = {"sender": f"c{n}", "message": "hi"}
                async with http.post(f"{url}/webhooks/rest/webhook", json=body) as r:
                    statuses.append(r.status)
            assert statuses == [200] * 5 + [429] * 3
            body = {"sender": "c0", "message": "again"}  # an ongoing one carries on
            async with http.post(f"{url}/webhooks/rest/webhook", json=body) as r:
                assert r.status == 200
            async with Chat(url) as chat:
                for _ in range(5):
                    await chat.session()
                count = len(chat.confirmed)
                await chat.client.emit("session_request", {})
                await chat.until(lambda: chat.bot)
                assert "Too many" in chat.bot[-1]["text"] and len(chat.confirmed) == count

    run(scenario())


def test_the_limit_window_slides():
    now = [0.0]
    limit = inbound.NewConversationLimit(2, clock=lambda: now[0])
    assert limit.allow("a", "1") and limit.allow("a", "2") and not limit.allow("a", "3")
    assert limit.allow("b", "1") and limit.allow("a", "1")
    now[0] = 61
    assert limit.allow("a", "3")


# --- tokens --------------------------------------------------------------------------


def test_customer_tokens_are_not_passed_on_only_the_identity_they_prove(monkeypatch):
    monkeypatch.setenv(customer_token.SECRET_ENV, "k" * 40)
    token = customer_token.issue("ben.carter@example.com")

    async def scenario():
        async with serve() as (url, received), Chat(url) as chat:
            async with aiohttp.ClientSession() as http:
                body = {"sender": "u9", "message": "hi", "metadata": {"customer_token": token}}
                async with http.post(f"{url}/webhooks/rest/webhook", json=body) as r:
                    assert r.status == 200
            issued = await chat.session()
            await chat.say("hi", issued, {"customer_token": token})
            forged = {"verified_customer": {"email": "anna.becker@example.com", "proof": "x"}}
            await chat.say("hi", issued, forged)
        return received

    received = run(scenario())
    for message in received[:2]:
        assert token not in repr(message.metadata)
        assert customer_token.email_from_metadata(message.metadata) == "ben.carter@example.com"
    # a client can't claim an identity without a token
    assert customer_token.email_from_metadata(received[2].metadata) is None
    assert set(received[2].metadata) == {"client"}


def test_a_forged_verified_identity_proves_nothing(monkeypatch):
    monkeypatch.setenv(customer_token.SECRET_ENV, "k" * 40)
    real = customer_token.verified_metadata(
        {"customer_token": customer_token.issue("anna.becker@example.com")}
    )
    assert customer_token.email_from_metadata(real) == "anna.becker@example.com"
    other = {"verified_customer": {**real["verified_customer"], "email": "ben.carter@example.com"}}
    assert customer_token.email_from_metadata(other) is None
    monkeypatch.setenv(customer_token.SECRET_ENV, "j" * 40)
    assert customer_token.email_from_metadata(real) is None


def test_the_client_key_comes_from_the_address_the_server_saw_never_from_the_client():
    from shopassist.auth.client import CLIENT_KEY, client_key
    from shopassist.channels import inbound

    spoofed = inbound.stored_metadata({CLIENT_KEY: "someone-else"}, None)
    assert CLIENT_KEY not in spoofed  # without an address there is no client key at all
    first = inbound.stored_metadata({CLIENT_KEY: "someone-else"}, "203.0.113.7")
    again = inbound.stored_metadata({}, "203.0.113.7")
    other = inbound.stored_metadata({}, "198.51.100.1")
    assert first[CLIENT_KEY] == again[CLIENT_KEY] != other[CLIENT_KEY]
    assert "203.0.113.7" not in first[CLIENT_KEY]
    # Two conversations of one address share the identity check's per-client count.
    assert client_key(first, "rest:a") == client_key(again, "rest:b")


# --- client address behind proxies -------------------------------------------------------


async def post_forwarded(http, url: str, sender: str, *forwarded: str) -> int:
    """A REST message with these X-Forwarded-For headers (one per proxy that sent one)."""
    headers = [("X-Forwarded-For", value) for value in forwarded]
    body = {"sender": sender, "message": "hi"}
    async with http.post(f"{url}/webhooks/rest/webhook", json=body, headers=headers) as r:
        return r.status


def test_a_forwarded_address_is_ignored_when_no_proxy_is_trusted(monkeypatch):
    monkeypatch.delenv(proxies.TRUSTED_PROXIES_ENV, raising=False)
    peer = inbound.client_address_key("127.0.0.1")

    async def scenario():
        async with serve(per_minute=2) as (url, received), aiohttp.ClientSession() as http:
            statuses = [
                await post_forwarded(http, url, f"s{n}", f"203.0.113.{n}") for n in range(3)
            ]
            # a client naming a new address each time is still one client: its peer address
            assert statuses == [200, 200, 429]
            assert [m.metadata["client"] for m in received] == [peer, peer]
            async with Chat(url, headers={"X-Forwarded-For": "198.51.100.4"}) as chat:
                await chat.say("hi", await chat.session())
            assert received[-1].metadata["client"] == peer

    run(scenario())


def test_forwarded_addresses_are_believed_for_exactly_the_trusted_hops(monkeypatch):
    key = inbound.client_address_key

    async def scenario(hops: int, forwarded: tuple, expected: str):
        monkeypatch.setenv(proxies.TRUSTED_PROXIES_ENV, str(hops))
        async with serve(per_minute=1) as (url, received), aiohttp.ClientSession() as http:
            assert await post_forwarded(http, url, "a", *forwarded) == 200
            assert received[-1].metadata["client"] == key(expected)
            # another client behind the same proxies has a limit of its own...
            other = tuple(value.replace("203.0.113.7", "203.0.113.8") for value in forwarded)
            assert await post_forwarded(http, url, "b", *other) == 200
            # ...and the first one's is used up, whatever it puts left of the proxies' entries
            spoofed = ("192.0.2.1, " + forwarded[0], *forwarded[1:])
            assert await post_forwarded(http, url, "c", *spoofed) == 429
            async with Chat(url, headers={"X-Forwarded-For": ", ".join(forwarded)}) as chat:
                await chat.say("hi", await chat.session())
            assert received[-1].metadata["client"] == key(expected)

    # One proxy (HAProxy) appended the address it saw; the client sent the first entry.
    run(scenario(1, ("198.51.100.9, 203.0.113.7",), "203.0.113.7"))
    # Two proxies: the Ingress saw the client, HAProxy saw the Ingress (10.0.0.2).
    run(scenario(2, ("198.51.100.9, 203.0.113.7, 10.0.0.2",), "203.0.113.7"))
    # The same, each proxy's entry in a header of its own.
    run(scenario(2, ("198.51.100.9, 203.0.113.7", "10.0.0.2"), "203.0.113.7"))


def test_fewer_forwarded_entries_than_trusted_hops_give_the_peer(monkeypatch):
    monkeypatch.setenv(proxies.TRUSTED_PROXIES_ENV, "2")

    async def scenario():
        async with serve() as (url, received), aiohttp.ClientSession() as http:
            assert await post_forwarded(http, url, "a", "203.0.113.7") == 200
            assert received[-1].metadata["client"] == inbound.client_address_key("127.0.0.1")

    run(scenario())


@pytest.mark.parametrize("value", ["-1", "one", "11", "1.5"])
def test_a_wrong_trusted_proxy_count_stops_the_server_from_starting(monkeypatch, value):
    monkeypatch.setenv(proxies.TRUSTED_PROXIES_ENV, value)
    with pytest.raises(ValueError, match=proxies.TRUSTED_PROXIES_ENV):
        proxies.trusted_proxies()
    monkeypatch.setenv(proxies.TRUSTED_PROXIES_ENV, "")
    assert proxies.trusted_proxies() == 0


def test_sanic_settings_that_believe_a_header_whole_are_switched_off(monkeypatch):
    monkeypatch.setenv(proxies.TRUSTED_PROXIES_ENV, "1")
    app = SimpleNamespace(
        config=SimpleNamespace(PROXIES_COUNT=None, REAL_IP_HEADER="X-Real-IP", FORWARDED_SECRET="s")
    )
    proxies.trust_proxies(app)
    assert (app.config.PROXIES_COUNT, app.config.REAL_IP_HEADER) == (1, None)
    assert app.config.FORWARDED_SECRET is None


def test_only_a_served_page_language_is_stored_with_the_message():
    assert inbound.stored_metadata({"language": "de-AT"})["language"] == "de"
    assert "language" not in inbound.stored_metadata({"language": "ru"})
    assert "language" not in inbound.stored_metadata({"language": {"x": 1}})
    assert "language" not in inbound.stored_metadata({"language": "<script>" * 100})


def test_a_language_picked_in_the_chat_menu_is_stored_as_a_choice():
    stored = inbound.stored_metadata({"language": "fr", "language_chosen": True})
    assert stored["language"] == "fr" and stored["language_chosen"] is True
    assert "language_chosen" not in inbound.stored_metadata(
        {"language": "fr", "language_chosen": "1"}
    )
    assert "language_chosen" not in inbound.stored_metadata(
        {"language": "ru", "language_chosen": True}
    )
