"""Hostile and malformed input (tests/hostile_inputs.py) against the real servers.

Every message text goes over REST and over socket.io, each in a conversation of its own;
raw bodies go to the REST webhook. Nothing may crash (no 5xx, no "temporarily unavailable"
apology, which the channels send when a turn failed or said nothing), every message gets a
reply, and no reply shows seed data that the sender has not proven to own: nobody here
proves anything, so no customer's e-mail, address, phone, tracking number or order details.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Set

import aiohttp
import pytest
import requests
import socketio
import yaml

from actions.identity import BUSY as DATABASE_BUSY
from actions.identity import LOCKED, MISMATCH, NOT_VERIFIED
from actions.identity import UNAVAILABLE as DATABASE_UNAVAILABLE
from shopassist.channels.guard import UNAVAILABLE as TURN_FAILED
from shopassist.channels.inbound import MAX_BODY_BYTES
from shopassist.language.messages import message
from shopassist.store.db import session_scope
from tests.hostile_inputs import HostileInput, ShopSample, raw_cases, shop_sample, text_cases

pytestmark = pytest.mark.integration

TESTS = Path(__file__).resolve().parents[1]
RESPONSES = yaml.safe_load((TESTS.parent / "domain.yml").read_text())["responses"]
# What the assistant may say to an order question before the owner is proven: ask for the
# e-mail, say that the address doesn't match (or that checks are paused), or, when it is
# not sure what was asked, "Did you mean ...?" (whose buttons start the check).
IDENTITY_ANSWERS = {
    RESPONSES["utter_ask_email"][0]["text"],
    RESPONSES["utter_did_you_mean"][0]["text"],
    MISMATCH,
    NOT_VERIFIED,
    LOCKED,
}
REST_WORKERS = 4
SOCKET_CONNECTIONS = 4
REPLY_TIMEOUT = 30.0  # seconds for the first reply to one message
# Replies that mean the turn failed, not that the assistant answered.
FAILURE_REPLIES = {TURN_FAILED, DATABASE_UNAVAILABLE, DATABASE_BUSY}

# Known product bugs, by case name, with what happens: strict xfails, so that they fail
# loudly once fixed. (Found and fixed so far: lone surrogates crashed the tokenizer,
# "/restart" and "/session_start" were answered "temporarily unavailable", socket.io
# dropped messages over 1 MB, and Rasa's REST channel answered 500 to JSON that is not an
# object.)
KNOWN_BUGS: Dict[str, str] = {}
# Case names and kinds never depend on the seed data: the tests are listed before the
# seeded database exists, and the `corpus` fixture fills in the real texts.
TEXTS = text_cases(ShopSample.placeholder())
RAWS = raw_cases(ShopSample.placeholder())

# The web chat introduces the assistant itself, so a "hi" there gets the short greeting
# (shopassist/nlg.py); REST and the shell get the introduction naming ShopAssist.
WEB_CHAT_HELLO = message("greet.welcomed", "en")


def oversized(case: HostileInput) -> bool:
    """Whether the case's request is over the channels' body limit (64 KB): REST refuses it
    with 413 and socket.io closes the connection that sent it (the web chat never sends
    more than 1,000 characters); both stay up for everyone else."""
    body = json.dumps({"sender": "hostile-" + "x" * 40, "message": case.text})
    return len(body.encode()) > MAX_BODY_BYTES


OVERSIZED = {case.name for case in TEXTS if oversized(case)}
KNOWN_SOCKETIO_BUGS: Dict[str, str] = {**KNOWN_BUGS}


def params(cases: List[HostileInput], bugs: Dict[str, str]) -> List[Any]:
    """Case names for parametrize; known product bugs are strict xfails, so that they fail
    loudly once fixed."""
    return [
        pytest.param(
            case.name,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=bugs[case.name])]
            if case.name in bugs
            else [],
        )
        for case in cases
    ]


# ---------------------------------------------------------------------------- the corpus


def orders_other_tests_use() -> Set[str]:
    """Order numbers named anywhere in the tests: failed identity checks lock an order for
    an hour, so the corpus must never fail checks on orders other tests verify."""
    found: Set[str] = set()
    for path in TESTS.rglob("*"):
        if path.suffix in {".py", ".yml"} and path.is_file():
            found |= set(re.findall(r"\b1\d{5}\b", path.read_text(errors="replace")))
    return found


@pytest.fixture(scope="module")
def corpus(db_url) -> Dict[str, HostileInput]:
    with session_scope(db_url) as session:
        sample = shop_sample(session, avoid=orders_other_tests_use())
    cases = text_cases(sample) + raw_cases(sample)
    assert [c.name for c in cases] == [c.name for c in TEXTS + RAWS]
    return {case.name: case for case in cases}


# --------------------------------------------------------------------- what must not leak


@dataclass(repr=False)
class Secrets:
    """Seed data nobody in these conversations has proven to own."""

    never: Dict[str, str] = field(default_factory=dict)  # needle -> what it is
    orders: Dict[str, Dict[str, str]] = field(default_factory=dict)  # order -> needles
    order_words: Dict[str, List[str]] = field(default_factory=dict)  # shown with the number

    def __repr__(self) -> str:
        return f"Secrets({len(self.never)} never shown, {len(self.orders)} orders)"

    def leaks(self, reply: Dict[str, Any], orders: tuple) -> List[str]:
        """What of the secrets the reply shows; `orders` are the orders the input named.

        Details of those orders count anywhere in the reply; the status and date of any
        order count when the reply names that order's number too."""
        shown = {key: value for key, value in reply.items() if key != "recipient_id"}
        blob = json.dumps(shown, ensure_ascii=False).lower()
        found = [what for needle, what in self.never.items() if needle in blob]
        named = set(re.findall(r"(?<!\d)\d{6}(?!\d)", blob)) & self.orders.keys()
        for order in set(orders) | named:
            found += [what for needle, what in self.orders[order].items() if needle in blob]
            if order in named:
                found += [
                    f"order {order}: {word}"
                    for word in self.order_words[order]
                    if re.search(rf"\b{re.escape(word)}\b", blob)
                ]
        return found


@pytest.fixture(scope="module")
def secrets(db_url) -> Secrets:
    from sqlalchemy import select

    from shopassist.formats import day as _day
    from shopassist.store.models import Address, Customer, Invoice, Order, Return, Shipment
    from shopassist.store.orders import STATUS_LABELS, order_facts

    found = Secrets()
    with session_scope(db_url) as session:
        for customer in session.execute(select(Customer)).scalars():
            found.never[customer.email.lower()] = f"e-mail of customer {customer.id}"
            if customer.phone:
                found.never[customer.phone.lower()] = f"phone of customer {customer.id}"
        for address in session.execute(select(Address)).scalars():
            found.never[address.line1.lower()] = f"address of customer {address.customer_id}"
        for shipment in session.execute(select(Shipment)).scalars():
            found.never[shipment.tracking_number.lower()] = "a tracking number"
        for number in session.execute(select(Invoice.number)).scalars():
            found.never[number.lower()] = "an invoice number"
        for number in session.execute(select(Return.rma_number)).scalars():
            found.never[number.lower()] = "a return number"
        for order_id in session.execute(select(Order.id)).scalars():
            facts = order_facts(session, order_id)
            order = session.get(Order, order_id)
            # Order lines ("1 x Sonora Smart Speaker (black)") are never shown unproven,
            # whichever order they are on.
            for item in facts.items:
                found.never[item.lower()] = f"a line of order {order_id}"
            needles = {facts.total.lower(): "total"}
            needles.update({i.product.name.lower(): "a product" for i in order.items})
            found.orders[str(order_id)] = {
                needle: f"order {order_id}: {what}" for needle, what in needles.items()
            }
            found.order_words[str(order_id)] = [
                STATUS_LABELS[facts.status].lower(),
                _day(facts.placed_on).lower(),
            ]
    return found


def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [str(r.get("text", "")) for r in replies]


def assert_answered_without_leaks(case: HostileInput, replies: List[Dict[str, Any]], secrets):
    assert replies, f"{case.name}: no reply at all"
    failed = [t for t in texts(replies) if t in FAILURE_REPLIES]
    assert not failed, f"{case.name}: the turn failed: {failed}"
    leaks = {leak for reply in replies for leak in secrets.leaks(reply, case.orders)}
    assert not leaks, f"{case.name} leaked {sorted(leaks)}: {texts(replies)}"
    if case.kind == "other_customer_order" and len(case.orders) == 1:
        # The identity rule: one order named by someone unproven starts the check.
        assert IDENTITY_ANSWERS & set(texts(replies)), f"{case.name}: {texts(replies)}"


# -------------------------------------------------------------------------------- REST


@dataclass
class Posted:
    status: int
    body: Any  # the JSON answer, or the text when it is not JSON
    seconds: float


def post(url: str, case: HostileInput) -> Posted:
    started = time.monotonic()
    if case.is_raw:
        response = requests.post(
            url, data=case.body, headers={"Content-Type": case.content_type}, timeout=120
        )
    else:
        sender = f"hostile-rest-{uuid.uuid4().hex[:12]}"
        response = requests.post(url, json={"sender": sender, "message": case.text}, timeout=120)
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return Posted(response.status_code, body, time.monotonic() - started)


def post_all(assistant: str, cases: List[HostileInput]) -> Dict[str, Posted]:
    url = f"{assistant}/webhooks/rest/webhook"
    with ThreadPoolExecutor(REST_WORKERS) as pool:
        return dict(zip([c.name for c in cases], pool.map(lambda c: post(url, c), cases)))


@pytest.fixture(scope="module")
def rest_text(assistant, corpus) -> Dict[str, Posted]:
    return post_all(assistant, [c for c in corpus.values() if not c.is_raw])


@pytest.mark.parametrize("name", params(TEXTS, KNOWN_BUGS))
def test_rest_message(name, corpus, rest_text, secrets):
    case, posted = corpus[name], rest_text[name]
    if name in OVERSIZED:
        assert posted.status == 413, f"{name}: {posted.status} {str(posted.body)[:500]}"
        return
    assert posted.status == 200, f"{name}: {posted.status} {str(posted.body)[:500]}"
    assert isinstance(posted.body, list), posted.body
    assert_answered_without_leaks(case, posted.body, secrets)


# --------------------------------------------------------------------------- socket.io


def emitted(bot_event: Dict[str, Any]) -> int:
    """How many bot_uttered one bot message makes (Rasa's SocketIOOutput): one per paragraph
    of its text, one per element, and one for a custom payload, an image, an attachment."""
    data = bot_event.get("data") or {}
    text = bot_event.get("text") or ""
    count = len(text.strip().split("\n\n")) if text else 0
    count += len(data.get("elements") or [])
    return count + sum(1 for key in ("custom", "image", "attachment") if data.get(key))


class SocketChat:
    """One socket.io connection that holds many conversations, one after the other.

    bot_uttered carries no session id and a turn's replies arrive one by one, so a turn
    counts as complete when the conversation's tracker (Rasa's HTTP API) holds the message
    and all its bot messages have arrived.
    """

    def __init__(self, url: str, http: aiohttp.ClientSession) -> None:
        self.url = url
        self.http = http
        self.client: Optional[socketio.AsyncClient] = None
        self.inbox: List[Dict[str, Any]] = []
        self.confirmed: Optional[str] = None
        self.changed = asyncio.Event()

    def _note(self) -> None:
        self.changed.set()

    async def connect(self) -> None:
        client = socketio.AsyncClient(reconnection=False)

        @client.on("bot_uttered")
        async def bot_uttered(data):
            self.inbox.append(data if isinstance(data, dict) else {"data": data})
            self._note()

        @client.on("session_confirm")
        async def session_confirm(data):
            self.confirmed = data if isinstance(data, str) else (data or {}).get("session_id")
            self._note()

        @client.on("disconnect")
        async def disconnect(*_):
            self._note()

        # Polling: python-engineio's websocket client needs aiohttp >= 3.10 (ClientWSTimeout),
        # and Rasa 3.6 pins aiohttp 3.9. The channel is the same on either transport.
        await client.connect(
            self.url, transports=["polling"], socketio_path="/socket.io", wait_timeout=30
        )
        self.client = client

    @property
    def connected(self) -> bool:
        return bool(self.client and self.client.connected)

    async def until(self, condition, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.connected:
                return condition()
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.25))
            except asyncio.TimeoutError:
                pass
        return True

    async def start_session(self, session_id: str) -> str:
        """A new session; the server names it (the id asked for is not given): returns the
        signed id the client sends, whose conversation is `socketio:<part before the ->`."""
        if not self.connected:
            await self.connect()
        self.confirmed = None
        await self.client.emit("session_request", {"session_id": session_id})
        assert await self.until(lambda: self.confirmed, REPLY_TIMEOUT)
        return self.confirmed

    async def bot_messages(self, session_id: str) -> Optional[int]:
        """How many bot_uttered the finished turn sent; None while it is still running."""
        url = f"{self.url}/conversations/{session_id}/tracker?include_events=ALL"
        async with self.http.get(url) as response:
            events = (await response.json()).get("events") or []
        users = [i for i, e in enumerate(events) if e.get("event") == "user"]
        if not users:
            return None
        return sum(emitted(e) for e in events[users[-1] :] if e.get("event") == "bot")

    async def say(self, session_id: str, text: str) -> List[Dict[str, Any]]:
        """Sends one message in a fresh conversation and returns all its replies."""
        signed = await self.start_session(session_id)
        session_id = "socketio:" + signed.split("-")[0]  # the conversation Rasa stores
        self.inbox = []
        await self.client.emit("user_uttered", {"message": text, "session_id": signed})
        if not await self.until(lambda: self.inbox, REPLY_TIMEOUT):
            return []
        # A turn that failed before Rasa stored it is never in the tracker: its only reply
        # is the guard's apology, already here.
        expected = None
        deadline = time.monotonic() + 5
        while expected is None and time.monotonic() < deadline and self.connected:
            expected = await self.bot_messages(session_id)
            if expected is None:
                await asyncio.sleep(0.1)
        if expected is not None:
            # The guard's apology comes after a turn that sent nothing: at least one reply.
            wanted = max(expected, 1)
            await self.until(lambda: len(self.inbox) >= wanted, REPLY_TIMEOUT)
        return list(self.inbox)

    async def close(self) -> None:
        if self.connected:
            # Without waiting for the open long poll, which the server only ends at its next
            # ping (25 s); the server drops the socket itself once its pings go unanswered.
            await self.client.eio.disconnect(abort=True)


async def converse(assistant: str, cases: List[HostileInput]) -> Dict[str, List[dict]]:
    """Every case over SOCKET_CONNECTIONS connections, a fresh session id per case."""
    queue: asyncio.Queue = asyncio.Queue()
    for case in cases:
        queue.put_nowait(case)
    results: Dict[str, List[dict]] = {}

    async def worker(http: aiohttp.ClientSession) -> None:
        chat = SocketChat(assistant, http)
        try:
            while not queue.empty():
                case = queue.get_nowait()
                session_id = f"hostile-sio-{uuid.uuid4().hex}"
                results[case.name] = await chat.say(session_id, case.text)
        finally:
            await chat.close()

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(worker(http) for _ in range(SOCKET_CONNECTIONS)))
    return results


@pytest.fixture(scope="module")
def socketio_text(assistant, corpus) -> Dict[str, List[dict]]:
    cases = [c for c in corpus.values() if not c.is_raw and c.name not in OVERSIZED]
    return asyncio.run(converse(assistant, cases))


@pytest.mark.parametrize(
    "name", params([c for c in TEXTS if c.name not in OVERSIZED], KNOWN_SOCKETIO_BUGS)
)
def test_socketio_message(name, corpus, socketio_text, secrets):
    assert_answered_without_leaks(corpus[name], socketio_text[name], secrets)


@dataclass
class AfterGarbage:
    connected: bool  # the connection survived the payloads
    replies: List[Dict[str, Any]]  # what came back in the session the payloads named
    hello: List[Dict[str, Any]]  # the replies to "hi" in a new session on that connection


async def garbage_then_hello(assistant: str, garbage) -> AfterGarbage:
    """Sends each payload as it is (the function gets the session id they may name), then
    "hi" in a new session on the same connection."""
    async with aiohttp.ClientSession() as http:
        chat = SocketChat(assistant, http)
        await chat.connect()
        try:
            session_id = f"hostile-sio-garbage-{uuid.uuid4().hex}"
            await chat.start_session(session_id)
            chat.inbox = []
            for payload in garbage(session_id):
                await chat.client.emit("user_uttered", payload)
                # One packet per request: engine.io refuses a request of more than 16.
                await asyncio.sleep(0.2)
            await asyncio.sleep(2)  # the server handles (or refuses) the last ones
            if not chat.connected:
                return AfterGarbage(False, list(chat.inbox), [])
            replies = list(chat.inbox)
            hello = await chat.say(f"hostile-sio-after-{uuid.uuid4().hex}", "hi")
            return AfterGarbage(True, replies, hello)
        finally:
            await chat.close()


def garbage_payloads(session_id: str) -> List[Any]:
    return [
        None,
        42,
        3.5,
        True,
        "just a string",
        ["a", "list"],
        {},
        {"message": "hi"},  # no session id
        {"message": "hi", "session_id": None},
        {"message": "hi", "session_id": ["not", "a", "string"]},
        {"message": "hi", "session_id": {"id": 1}},
        {"message": None, "session_id": session_id},
        {"message": 42, "session_id": session_id},
        {"message": ["hi"], "session_id": session_id},
        {"message": {"text": "hi"}, "session_id": session_id},
        {"message": "hi", "session_id": session_id, "metadata": "not json"},
        {"message": "hi", "session_id": session_id, "metadata": "[1, 2]"},
        {"message": "hi", "session_id": session_id, "metadata": [1, 2]},
        {"message": "hi", "session_id": session_id, "metadata": {"customer_token": 5}},
        {"session_id": session_id},  # no message: the empty message, answered
    ]


def test_socketio_garbage_payloads_keep_the_connection(assistant):
    after = asyncio.run(garbage_then_hello(assistant, garbage_payloads))
    assert after.connected
    assert after.replies, "the payloads never reached the channel"
    assert WEB_CHAT_HELLO in texts(after.hello), texts(after.hello)


def test_socketio_an_oversized_payload_is_refused_and_the_server_stays_up(assistant):
    async def send_oversized() -> List[Dict[str, Any]]:
        async with aiohttp.ClientSession() as http:
            chat = SocketChat(assistant, http)
            await chat.connect()
            await chat.start_session(f"hostile-sio-oversized-{uuid.uuid4().hex}")
            chat.inbox = []
            await chat.client.emit("user_uttered", {"message": "x" * 1_000_000})
            await asyncio.sleep(3)  # the server closes this connection
            try:
                await chat.close()
            except Exception:  # already closed by the server: that is the refusal
                pass
            return list(chat.inbox)

    assert asyncio.run(send_oversized()) == []  # nothing of it reached Rasa
    hello = asyncio.run(converse(assistant, [HostileInput(name="hi", kind="normal", text="hi")]))
    assert WEB_CHAT_HELLO in texts(hello["hi"]), hello


# ------------------------------------------------------------------------ still healthy


def assert_healthy(assistant: str) -> None:
    assert requests.get(f"{assistant}/", timeout=10).status_code == 200
    body = {"sender": f"hostile-after-{uuid.uuid4().hex[:8]}", "message": "hi"}
    answer = requests.post(f"{assistant}/webhooks/rest/webhook", json=body, timeout=60)
    assert answer.status_code == 200
    assert any("ShopAssist" in t for t in texts(answer.json())), answer.text
    hello = asyncio.run(converse(assistant, [HostileInput(name="hi", kind="normal", text="hi")]))
    assert WEB_CHAT_HELLO in texts(hello["hi"]), hello


def test_servers_are_healthy_after_the_messages(assistant, rest_text, socketio_text):
    assert_healthy(assistant)


# ---------------------------------------------------------------------- raw REST bodies


@pytest.fixture(scope="module")
def rest_raw(assistant, corpus) -> Dict[str, Posted]:
    return post_all(assistant, [c for c in corpus.values() if c.is_raw])


@pytest.mark.parametrize("name", params(RAWS, {}))
def test_rest_raw_body(name, corpus, rest_raw, secrets):
    case, posted = corpus[name], rest_raw[name]
    assert posted.status < 500, f"{name}: {posted.status} {str(posted.body)[:500]}"
    if isinstance(posted.body, list):
        leaks = {leak for reply in posted.body for leak in secrets.leaks(reply, case.orders)}
        assert not leaks, f"{name} leaked {sorted(leaks)}: {texts(posted.body)}"


def test_servers_are_healthy_after_the_raw_bodies(assistant, rest_raw):
    assert_healthy(assistant)
