"""Load through the load balancer: 50 conversations of 20 turns at once.

Every message must get a reply, be stored exactly once in its own conversation and in
order: two Rasa servers handle the turns of one conversation in turn (the Redis lock store's
job), so nothing is lost, doubled or mixed. Durations are printed, never asserted.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.cluster.conftest import queued_events, send, user_texts

pytestmark = pytest.mark.integration

CONVERSATIONS = 50
SCRIPT = [
    "hi",
    "where is my order #{order}?",
    "{email}",
    "thanks",
    "what is your return policy?",
    "how long does shipping take?",
    "are you a bot?",
    "what payment methods do you accept?",
    "where is my order #{order}?",
    "great, thank you",
    "how do returns work?",
    "do you ship abroad?",
    "who are you?",
    "hello again",
    "is my order #{order} shipped yet?",
    "thanks a lot",
    "can I pay with paypal?",
    "what are your opening hours?",
    "ok",
    "that's all, thanks",
]


def conversation(cluster, customer):
    sender = f"load-{uuid.uuid4().hex[:10]}"
    texts = [line.format(**customer) for line in SCRIPT]
    answered = []
    with requests.Session() as session:  # keeps HAProxy's cookie, like a browser
        for text in texts:
            answered.append(bool(send(cluster, sender, text, session)))
    return sender, texts, answered


def test_fifty_conversations_at_once_lose_nothing_and_mix_nothing(cluster, customers):
    assert len(SCRIPT) == 20 and len(customers) >= CONVERSATIONS
    before = queued_events(cluster.event_queue)
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda c: conversation(cluster, c), customers[:CONVERSATIONS]))
    seconds = time.monotonic() - started
    print(f"{CONVERSATIONS * len(SCRIPT)} turns in {seconds:.1f} s")

    for sender, texts, answered in results:
        assert all(answered), f"{sender}: turns without a reply: {answered}"
        assert user_texts(cluster, sender) == texts, f"{sender}: stored messages differ"
    # Both Rasa servers took turns (HAProxy's log names the server of each request).
    proxy_log = cluster.proxy.log.read_text()
    served = {name: proxy_log.count(f" rasa/{name} ") for name in ("rasa1", "rasa2")}
    print("turns per server:", served)
    assert min(served.values()) >= CONVERSATIONS * len(SCRIPT) // 4
    # Every event also went to the broker: at least one per message and reply.
    assert queued_events(cluster.event_queue) - before >= 2 * CONVERSATIONS * len(SCRIPT)
