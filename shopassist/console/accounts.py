"""Console users: hashed passwords, expiring sessions, and a limit on wrong passwords.

Passwords are hashed with scrypt from Python's standard library (memory-hard, salted, no
extra dependency); only a SHA-256 of each session token is stored.

Wrong passwords slow down the client that sends them, not the account: after five from one
address within 15 minutes, each further attempt from there waits twice as long as the one
before (2 s, 4 s, 8 s, ... up to 15 minutes). Locking the user name instead let anyone lock
its owner out. Every failure is recorded; `failures` lists them for the admin.

    python -m shopassist.console.accounts add alice    # asks for the password
    python -m shopassist.console.accounts first-user   # `make run`: an admin, if none yet
    python -m shopassist.console.accounts failures     # recent wrong passwords
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.formats import moment
from shopassist.store.models import ConsoleLoginFailure, ConsoleSession, ConsoleUser

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
FAILURE_WINDOW = timedelta(minutes=15)
FREE_FAILURES_PER_ADDRESS = 5
MAX_DELAY = timedelta(minutes=15)


class AccountError(ValueError):
    pass


class TooManyAttempts(Exception):
    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("too many failed logins")
        self.retry_after = retry_after


@dataclass(frozen=True)
class LoggedIn:
    username: str
    expires_at: datetime


def _now() -> datetime:
    return clock.now()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    parts = (
        str(SCRYPT_N),
        str(SCRYPT_R),
        str(SCRYPT_P),
        *(base64.b64encode(b).decode() for b in (salt, digest)),
    )
    return "$".join(("scrypt", *parts))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def set_password(session: Session, username: str, password: str) -> None:
    """Creates the user, or changes their password."""
    username = username.strip()
    if not username or len(username) > 60:
        raise AccountError("a user name is 1 to 60 characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    user = session.execute(
        select(ConsoleUser).where(ConsoleUser.username == username)
    ).scalar_one_or_none()
    if user is None:
        user = ConsoleUser(username=username, created_at=_now())
        session.add(user)
    user.password_hash = hash_password(password)
    session.flush()


def has_users(session: Session) -> bool:
    return bool(session.execute(select(func.count(ConsoleUser.id))).scalar_one())


def slowdown(failures: int) -> timedelta:
    """How long a client waits after its last failure, having failed `failures` times."""
    if failures < FREE_FAILURES_PER_ADDRESS:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES_PER_ADDRESS + 1, 20)
    return min(timedelta(seconds=2**doublings), MAX_DELAY)


def _check_attempts(session: Session, address: str, now: datetime) -> None:
    times = (
        session.execute(
            select(ConsoleLoginFailure.at)
            .where(ConsoleLoginFailure.address == address)
            .where(ConsoleLoginFailure.at >= now - FAILURE_WINDOW)
            .order_by(ConsoleLoginFailure.at)
        )
        .scalars()
        .all()
    )
    if times:
        wait = times[-1] + slowdown(len(times)) - now
        if wait > timedelta(0):
            raise TooManyAttempts(wait)


def recent_failures(session: Session, since: timedelta = timedelta(days=1)) -> list:
    """Wrong passwords of the last `since`, per user name and address, most recent first."""
    rows = session.execute(
        select(
            ConsoleLoginFailure.username,
            ConsoleLoginFailure.address,
            func.count(ConsoleLoginFailure.id),
            func.max(ConsoleLoginFailure.at),
        )
        .where(ConsoleLoginFailure.at >= _now() - since)
        .group_by(ConsoleLoginFailure.username, ConsoleLoginFailure.address)
        .order_by(func.max(ConsoleLoginFailure.at).desc())
    ).all()
    return [tuple(row) for row in rows]


def log_in(
    session: Session, username: str, password: str, address: str, ttl: timedelta
) -> Optional[str]:
    """A new session token, or None for a wrong name or password (the same answer for both).

    Raises TooManyAttempts while this address must wait, even for the right password, so
    that guessing faster gains nothing; other addresses, the owner's, are not slowed."""
    now = _now()
    username = (username or "").strip()[:60]
    address = (address or "unknown")[:64]
    _check_attempts(session, address, now)
    user = session.execute(
        select(ConsoleUser).where(ConsoleUser.username == username)
    ).scalar_one_or_none()
    # Hash even for an unknown name, so the answer takes as long either way.
    stored = user.password_hash if user else hash_password("not-a-user-" + secrets.token_hex(8))
    if user is None or not verify_password(password or "", stored):
        session.add(ConsoleLoginFailure(at=now, username=username, address=address))
        session.flush()
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=_digest(token), user_id=user.id, created_at=now, expires_at=now + ttl
        )
    )
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    session.flush()
    return token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_user(session: Session, token: Optional[str]) -> Optional[LoggedIn]:
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(ConsoleUser.username, ConsoleSession.expires_at)
        .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
        .where(ConsoleSession.token_hash == _digest(token))
    ).one_or_none()
    if row is None or row.expires_at <= _now():
        return None
    return LoggedIn(row.username, row.expires_at)


def log_out(session: Session, token: Optional[str]) -> None:
    if token:
        session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def first_user(password_file: Path) -> int:
    """The demo's first login: user `admin` with a random password kept in a private file."""
    from shopassist.store.db import session_scope

    with session_scope() as session:
        if has_users(session):
            print(f"console: log in with your console user (the first one: admin, {password_file})")
            return 0
        password = secrets.token_urlsafe(12)
        set_password(session, "admin", password)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.touch(mode=0o600)
    password_file.write_text(password + "\n", encoding="utf-8")
    print(f"console: created user admin; its password is in {password_file}")
    return 0


def main(argv=None) -> int:
    from shopassist.store.db import session_scope

    parser = argparse.ArgumentParser(prog="python -m shopassist.console.accounts")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create a console user, or set a new password")
    add.add_argument("username")
    first = sub.add_parser("first-user", help="if there are no users: create admin, save password")
    first.add_argument("password_file")
    sub.add_parser("failures", help="wrong passwords of the last 24 hours")
    args = parser.parse_args(argv)
    if args.command == "failures":
        with session_scope() as session:
            for username, address, count, last in recent_failures(session):
                print(f"{moment(last)}  {count:4d} wrong  user {username!r}  from {address}")
        return 0
    if args.command == "first-user":
        return first_user(Path(args.password_file))
    password = getpass.getpass(f"password for {args.username}: ")
    try:
        with session_scope() as session:
            set_password(session, args.username, password)
    except AccountError as error:
        print(f"accounts: {error}", file=sys.stderr)
        return 2
    print(f"accounts: {args.username} can log in to the console")
    return 0


if __name__ == "__main__":
    sys.exit(main())
