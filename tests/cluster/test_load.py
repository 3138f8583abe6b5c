"""Load through the load balancer: 50 conversations of 20 turns at once.

Every message must get a reply, be stored exactly once in its own conversation and in
order, so nothing is lost, doubled or mixed. Half the conversations keep HAProxy's cookie
(one server, like a browser); the other half don't, so their turns go round robin over both
servers, which share the conversation through PostgreSQL. Then messages of one conversation
sent at the same moment to both servers: the Redis lock store lets one turn run at a time.
Durations are printed, never asserted.
"""

from __future__ import annotations

import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.serving.plan import SHOPASSIST_SCRIPT
from tests.cluster.conftest import queued_events, send, user_texts

pytestmark = pytest.mark.integration

CONVERSATIONS = 50
SCRIPT = SHOPASSIST_SCRIPT  # the benchmark's conversation: one script for both


def conversation(cluster, customer, sticky: bool):
    sender = f"load-{uuid.uuid4().hex[:10]}"
    texts = [line.format(**customer) for line in SCRIPT]
    answered = []
    with requests.Session() as session:
        for text in texts:
            if not sticky:
                session.cookies.clear()  # no HAProxy cookie: any server takes the turn
            answered.append(bool(send(cluster, sender, text, session)))
    return sender, texts, answered


def test_fifty_conversations_at_once_lose_nothing_and_mix_nothing(cluster, customers):
    assert len(SCRIPT) == 20 and len(customers) >= CONVERSATIONS
    before = queued_events(cluster.event_queue)
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(
            pool.map(
                lambda i: conversation(cluster, customers[i], sticky=i % 2 == 0),
                range(CONVERSATIONS),
            )
        )
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


# SHOPASSIST_SOAK=20 repeats the burst below 20 times on the same cluster (the soak run
# asked of a fix for lost events: run it with the cores busy); `make test` runs it once.
SOAK = max(1, int(os.environ.get("SHOPASSIST_SOAK") or 1))


@pytest.mark.parametrize("repeat", range(SOAK))
def test_messages_sent_at_once_to_both_servers_are_each_handled_once(cluster, repeat):
    senders = [f"burst-{uuid.uuid4().hex[:10]}" for _ in range(10)]
    sent = {sender: [] for sender in senders}

    def burst(sender: str, round_: int):
        texts = [f"hello {round_}", f"what is your return policy? ({round_})"]
        sent[sender] += texts
        with ThreadPoolExecutor(2) as pair:  # no cookies: round robin, one to each server
            return list(pair.map(lambda text: send(cluster, sender, text), texts))

    with ThreadPoolExecutor(10) as pool:
        for round_ in range(3):
            replies = list(pool.map(burst, senders, [round_] * len(senders)))
            assert all(r for pair in replies for r in pair), "a message without a reply"
    for sender in senders:
        stored = user_texts(cluster, sender)
        assert sorted(stored) == sorted(sent[sender]), sender  # each once, none lost
