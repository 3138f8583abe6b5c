"""Presence at the handoff queue, and what a handoff may promise, on both engines."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from shopassist import clock
from shopassist.console import accounts
from shopassist.store import presence
from shopassist.store.db import session_scope


@pytest.fixture()
def agent(db_url):
    name = "agent-" + uuid.uuid4().hex[:8]
    with session_scope(db_url) as session:
        accounts.set_password(session, name, "correct horse battery")
    yield name
    with session_scope(db_url) as session:  # nobody stays "available" for other tests
        presence.mark_away(session, name)


def available(db_url, now=None) -> int:
    with session_scope(db_url) as session:
        return presence.agents_available(session, now)


def test_an_agent_is_available_while_the_queue_beats_and_not_after(db_url, agent):
    before = available(db_url)
    now = clock.now()
    with session_scope(db_url) as session:
        until = presence.mark_available(session, agent, now)
    assert until == now + presence.AVAILABLE_FOR
    assert available(db_url, now) == before + 1
    assert available(db_url, now + presence.AVAILABLE_FOR - timedelta(seconds=1)) >= 1
    # No heartbeat for AVAILABLE_FOR: the page was closed, hidden or left idle.
    assert available(db_url, now + presence.AVAILABLE_FOR) == 0


def test_leaving_the_queue_ends_it_at_once(db_url, agent):
    with session_scope(db_url) as session:
        presence.mark_available(session, agent)
    with session_scope(db_url) as session:
        presence.mark_away(session, agent)
    assert available(db_url) == 0


def test_a_handoff_promises_a_colleague_only_while_one_is_at_the_queue(db_url, agent):
    assert presence.colleague_can_join("socketio", db_url) is False
    with session_scope(db_url) as session:
        presence.mark_available(session, agent)
    assert presence.colleague_can_join("socketio", db_url) is True
    # A REST caller can't be reached by an agent's replies: no promise there.
    for channel in ("rest", "cmdline", None):
        assert presence.colleague_can_join(channel, db_url) is False
    with session_scope(db_url) as session:
        presence.mark_available(session, agent, clock.now() - presence.AVAILABLE_FOR)
    assert presence.colleague_can_join("socketio", db_url) is False


def test_an_unreachable_store_never_promises_a_colleague():
    assert presence.colleague_can_join("socketio", "postgresql://nobody@127.0.0.1:1/none") is False
    assert presence.colleague_can_join("socketio", "not a database url") is False
