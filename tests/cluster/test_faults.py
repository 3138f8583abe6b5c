"""Faults in the cluster: a dependency fails, the customer gets a useful answer, nothing is
lost or half-written, and service resumes when it comes back.

The Rasa server kill runs last: it restarts the server afterwards for the tests that follow.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from shopassist.channels.guard import UNAVAILABLE
from tests.cluster.conftest import send, user_texts
from tests.conftest import PG_ADMIN_URL
from tests.fake_llm import FakeLLM

pytestmark = pytest.mark.integration


def texts(replies) -> list:
    return [r.get("text", "") for r in replies]


def new_sender(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:10]}"


def test_action_servers_down_then_back_and_a_hung_llm(cluster):
    for process in cluster.actions:
        process.stop()
    sender = new_sender("actions-down")
    replies = texts(send(cluster, sender, "where is my order #100234?"))
    replies += texts(send(cluster, sender, "anna.becker@example.com"))
    assert UNAVAILABLE in replies
    assert not any("USPS" in r or "9413647693830205" in r for r in replies)

    # Back, now generating knowledge answers with an LLM endpoint that never answers.
    with FakeLLM(lambda messages: "unused") as llm:
        llm.mode = "hang"
        for process in cluster.actions:
            process.env = {
                **process.env,
                "SHOPASSIST_GENERATOR": "openai",
                "SHOPASSIST_LLM_URL": llm.url,
                "SHOPASSIST_LLM_MODEL": "any",
                "SHOPASSIST_LLM_TIMEOUT": "1.5",
            }
            process.start()
        for process in cluster.actions:
            process.wait()
        time.sleep(5)  # HAProxy's checks see them up (rise 2, every 2 s)

        sender = new_sender("actions-back")
        send(cluster, sender, "where is my order #100234?")
        answer = " ".join(texts(send(cluster, sender, "anna.becker@example.com")))
        assert "USPS" in answer and "9413647693830205" in answer

        started = time.monotonic()
        question = "how long do I have to send something back?"
        replies = texts(send(cluster, new_sender("llm-hung"), question))
        seconds = time.monotonic() - started
        print(f"knowledge answer with a hung LLM in {seconds:.1f} s")
        assert llm.requests, "the LLM endpoint was never asked"
        assert any("30 days" in r for r in replies)  # the template's answer, after the timeout


def _allow_connections(database: str, allowed: bool) -> None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text(
                f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}'
            ))  # fmt: skip
            if not allowed:  # and close the open ones, as a stopped server would
                connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = :name AND pid <> pg_backend_pid()"),
                    {"name": database},
                )  # fmt: skip
    finally:
        engine.dispose()


def test_the_order_database_down_apologises_offers_a_person_and_changes_nothing(cluster):
    from shopassist.store.db import get_engine, session_scope
    from shopassist.store.models import AuditLog, Order

    database = cluster.shop_db.rsplit("/", 1)[1]
    sender = new_sender("db-down")
    send(cluster, sender, "I want to cancel order 100312")
    (offer,) = texts(send(cluster, sender, "ben.carter@example.com"))
    assert "Shall I cancel it?" in offer
    _allow_connections(database, False)
    try:
        replies = texts(send(cluster, sender, "yes"))
        assert any("can't reach our order system" in r and "talk to a person" in r for r in replies)
        handoff = texts(send(cluster, sender, "let me talk to a person"))
        assert handoff and UNAVAILABLE not in handoff  # the team's contacts, without a ticket
    finally:
        _allow_connections(database, True)
    get_engine(cluster.shop_db).dispose()  # this process's pool held terminated connections
    with session_scope(cluster.shop_db) as session:
        assert session.get(Order, 100312).status == "packed"
        assert session.query(AuditLog).filter(AuditLog.entity_id == "100312").count() == 0


def test_a_rasa_server_killed_mid_run_loses_nothing(cluster, customers):
    script = [
        "hi", "where is my order #{order}?", "{email}", "thanks", "what is your return policy?",
        "are you a bot?", "is my order #{order} shipped yet?", "how long does shipping take?",
        "thanks a lot", "that's all, thanks",
    ]  # fmt: skip
    done = threading.Semaphore(0)

    def conversation(customer):
        sender = new_sender("kill")
        sent = [line.format(**customer) for line in script]
        answered = []
        with requests.Session() as session:
            for line in sent:
                answered.append(bool(send(cluster, sender, line, session)))
                done.release()
        return sender, sent, answered

    victim = cluster.rasa[0]
    try:
        with ThreadPoolExecutor(20) as pool:
            futures = [pool.submit(conversation, c) for c in customers[:20]]
            for _ in range(60):  # a third of the turns, then the crash
                done.acquire(timeout=120)
            victim.kill()
            results = [f.result() for f in futures]
        for sender, sent, answered in results:
            assert all(answered), f"{sender}: turns without a reply"
            assert user_texts(cluster, sender) == sent, f"{sender}: messages lost or doubled"
    finally:  # the tests after this one need both servers, whatever happened here
        if victim.popen.poll() is not None:
            victim.start()
            victim.wait()
            time.sleep(5)  # HAProxy's checks see it up
