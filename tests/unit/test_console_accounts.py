"""Console accounts on both engines: hashing, sessions that expire, locked guessing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from shopassist.console import accounts
from shopassist.store.db import session_scope
from shopassist.store.models import ConsoleSession

HOUR = timedelta(hours=1)


@pytest.fixture()
def user(db_url):
    name = "agent-" + uuid.uuid4().hex[:8]
    with session_scope(db_url) as session:
        accounts.set_password(session, name, "correct horse battery")
    return name


def test_passwords_are_salted_scrypt_hashes():
    first, second = (accounts.hash_password("s3cret-password") for _ in range(2))
    assert first.startswith("scrypt$") and first != second  # salted
    assert "s3cret-password" not in first
    assert accounts.verify_password("s3cret-password", first)
    assert not accounts.verify_password("s3cret-passwore", first)
    assert not accounts.verify_password("anything", "not-a-hash")


def test_short_passwords_and_names_are_refused(db_url):
    with session_scope(db_url) as session:
        with pytest.raises(accounts.AccountError):
            accounts.set_password(session, "bob", "short")
        with pytest.raises(accounts.AccountError):
            accounts.set_password(session, "  ", "long enough password")


def test_login_gives_a_session_and_logout_ends_it(db_url, user):
    with session_scope(db_url) as session:
        token = accounts.log_in(session, user, "correct horse battery", "10.0.0.1", HOUR)
    assert token
    with session_scope(db_url) as session:
        assert accounts.current_user(session, token).username == user
        assert accounts.current_user(session, token + "x") is None
        accounts.log_out(session, token)
    with session_scope(db_url) as session:
        assert accounts.current_user(session, token) is None


def test_a_session_expires(db_url, user):
    with session_scope(db_url) as session:
        token = accounts.log_in(session, user, "correct horse battery", "10.0.0.2", HOUR)
        session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.token_hash == accounts._digest(token))
            .values(expires_at=accounts._now() - timedelta(seconds=1))
        )
    with session_scope(db_url) as session:
        assert accounts.current_user(session, token) is None


def test_wrong_passwords_slow_down_their_client_not_the_account(db_url, user):
    attacker = "10.0.1." + str(uuid.uuid4().int % 200)
    owner = "10.0.2." + str(uuid.uuid4().int % 200)
    for _ in range(accounts.FREE_FAILURES_PER_ADDRESS):
        with session_scope(db_url) as session:
            assert accounts.log_in(session, user, "wrong guess!", attacker, HOUR) is None
    with session_scope(db_url) as session:  # the owner, elsewhere, is not locked out
        assert accounts.log_in(session, user, "correct horse battery", owner, HOUR)
    with session_scope(db_url) as session:  # the guessing client waits, right password or not
        with pytest.raises(accounts.TooManyAttempts) as slowed:
            accounts.log_in(session, user, "correct horse battery", attacker, HOUR)
    assert timedelta(0) < slowed.value.retry_after <= timedelta(seconds=2)
    with session_scope(db_url) as session:  # and the admin sees the attempts
        failures = {(u, a): n for u, a, n, _ in accounts.recent_failures(session)}
    assert failures[(user, attacker)] == accounts.FREE_FAILURES_PER_ADDRESS


def test_each_further_failure_doubles_the_wait():
    waits = [accounts.slowdown(n).total_seconds() for n in range(4, 9)]
    assert waits == [0, 2, 4, 8, 16]
    assert accounts.slowdown(100) == accounts.MAX_DELAY


def test_unknown_users_fail_like_wrong_passwords(db_url):
    with session_scope(db_url) as session:
        assert accounts.log_in(session, "nobody-" + uuid.uuid4().hex, "x" * 12, "h", HOUR) is None
