"""The limits on failed identity checks (order number + e-mail address), across conversations.

Lock the one who guesses, slow down guessing at a victim, never lock the victim:
- per client (an address or browser key the channels pass, across its conversations) and per
  conversation: after too many mismatches within the hour, that client's or conversation's
  checks are refused ("locked") until the failures age out;
- per order number and per e-mail address, which anyone can try from many clients: after a
  few mismatches each further one doubles the wait before that number or address is checked
  again ("slow_down"), so guessing crawls while its owner waits minutes, not an hour;
- a customer whose e-mail address is already proven (a signed customer token, or an earlier
  match in this conversation) is checked without limits: they can only learn which orders
  are theirs.
Every mismatch is stored, also for unknown numbers and addresses (the limits reveal nothing
about what exists); addresses only as hashes, so this table holds nobody's e-mail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.settings import default_of, get_settings
from shopassist.store.identifiers import normalise_email, normalise_order_id
from shopassist.store.models import IdentityFailure
from shopassist.store.orders import verify_owner

WINDOW = timedelta(hours=1)  # a failure counts for an hour, then ages out
# Who guesses: one chat trying number after number, and one client across its chats.
MAX_FAILURES_PER_CONVERSATION = 3
# Raised only where every client shares one address (tests and benchmarks on loopback):
# SHOPASSIST_IDENTITY_FAILURES_PER_CLIENT and ..._FREE_FAILURES_PER_TARGET (shopassist.settings).
MAX_FAILURES_PER_CLIENT = default_of("identity_failures_per_client")
# What is guessed at: an order number or an e-mail address, from any client. Enough free
# tries for an owner who mistypes; then 1, 2, 4 ... minutes between checks, at most WINDOW.
FREE_FAILURES_PER_TARGET = default_of("identity_free_failures_per_target")
FIRST_WAIT = timedelta(minutes=1)

VERIFIED, MISMATCH, LOCKED, SLOW_DOWN = "verified", "mismatch", "locked", "slow_down"


@dataclass(frozen=True)
class Refusal:
    verdict: str  # LOCKED (this client or conversation) or SLOW_DOWN (this number or address)
    until: datetime  # when checks open again, if nothing else fails meanwhile


def _order_key(order_id: object) -> str:
    """The number as counted: "#100234" and "100234" are one; anything else as typed, so
    that unknown and malformed numbers count (and lock) exactly like real ones."""
    return normalise_order_id(order_id) or " ".join(str(order_id or "").split())[:20]


def _email_key(email: object) -> str:
    address = normalise_email(email) or " ".join(str(email or "").lower().split())
    return hashlib.sha256(address.encode()).hexdigest()


def _key(value: object) -> str:
    return str(value or "")[:80]


def _recent(session: Session, column, value: str, now: datetime) -> List[datetime]:
    """Times of the failures for `value` within the window before `now`, oldest first."""
    return list(
        session.execute(
            select(IdentityFailure.at)
            .where(column == value, IdentityFailure.at > now - WINDOW, IdentityFailure.at <= now)
            .order_by(IdentityFailure.at)
        ).scalars()
    )


def _target_wait(failures: int) -> Optional[timedelta]:
    """How long after its latest failure a guessed-at number or address waits."""
    if failures < free_failures_per_target():
        return None
    return min(FIRST_WAIT * 2 ** (failures - free_failures_per_target()), WINDOW)


def free_failures_per_target() -> int:
    return get_settings().identity_free_failures_per_target


def max_failures_per_client() -> int:
    return get_settings().identity_failures_per_client


def _refusals(session, order_id, email, conversation, client, now) -> List[Refusal]:
    refusals = []
    for column, value, limit in (
        (IdentityFailure.conversation, _key(conversation), MAX_FAILURES_PER_CONVERSATION),
        (IdentityFailure.client, _key(client or conversation), max_failures_per_client()),
    ):
        failures = _recent(session, column, value, now)
        if len(failures) >= limit:  # open once enough have aged out
            refusals.append(Refusal(LOCKED, failures[len(failures) - limit] + WINDOW))
    targets = [(IdentityFailure.order_number, _order_key(order_id))]
    if email:
        targets.append((IdentityFailure.email_key, _email_key(email)))
    for column, value in targets:
        failures = _recent(session, column, value, now)
        wait = _target_wait(len(failures))
        if wait is not None and failures[-1] + wait > now:
            refusals.append(Refusal(SLOW_DOWN, failures[-1] + wait))
    return refusals


def current_refusal(
    session: Session,
    order_id: object,
    conversation: object,
    now: Optional[datetime] = None,
    *,
    email: object = None,
    client: object = None,
) -> Optional[Refusal]:
    """Why a check now would be refused, and until when; None if it would be made.

    A lock of the client or conversation wins over a slow-down: it is about who asks.
    """
    now = now or clock.now()
    found = _refusals(session, order_id, email, conversation, client, now)
    if not found:
        return None
    locks = [r for r in found if r.verdict == LOCKED] or found
    return Refusal(locks[0].verdict, max(r.until for r in locks))


def locked_until(
    session: Session,
    order_id: object,
    conversation: object,
    now: Optional[datetime] = None,
    *,
    email: object = None,
    client: object = None,
) -> Optional[datetime]:
    """When checks of this order number (and address) from here open again; None if open."""
    now = now or clock.now()
    found = _refusals(session, order_id, email, conversation, client, now)
    return max((r.until for r in found), default=None)


def failures_remaining(
    session: Session,
    order_id: object,
    conversation: object,
    now: Optional[datetime] = None,
    *,
    email: object = None,
    client: object = None,
) -> int:
    """How many more mismatches before checks from here are refused (0: the next is)."""
    now = now or clock.now()
    counts = [
        MAX_FAILURES_PER_CONVERSATION
        - len(_recent(session, IdentityFailure.conversation, _key(conversation), now)),
        max_failures_per_client()
        - len(_recent(session, IdentityFailure.client, _key(client or conversation), now)),
        free_failures_per_target()
        - len(_recent(session, IdentityFailure.order_number, _order_key(order_id), now)),
    ]
    if email:
        counts.append(
            free_failures_per_target()
            - len(_recent(session, IdentityFailure.email_key, _email_key(email), now))
        )
    return max(0, min(counts))


def check_identity(
    session: Session,
    order_id: object,
    email: object,
    conversation: object,
    now: Optional[datetime] = None,
    *,
    client: object = None,
    email_proven: bool = False,
) -> str:
    """ "verified", "mismatch" (stored as a failure), "locked" or "slow_down" (not checked).

    `client` names where the attempt comes from across conversations (the conversation
    stands in without one); `email_proven` says the address is already proven, and then no
    limit applies. Run it in a session scope of its own, so that the failure is kept
    whatever the caller does next. Two checks in the same instant may each add a failure
    past a limit; the refusal only starts a moment later, which is harmless.
    """
    if email_proven:
        return VERIFIED if verify_owner(session, order_id, email) else MISMATCH
    now = now or clock.now()
    refused = current_refusal(session, order_id, conversation, now, email=email, client=client)
    if refused is not None:
        return refused.verdict  # even a correct pair proves nothing after so many guesses
    if verify_owner(session, order_id, email):
        return VERIFIED
    session.add(
        IdentityFailure(
            at=now,
            order_number=_order_key(order_id),
            conversation=_key(conversation),
            client=_key(client or conversation),
            email_key=_email_key(email),
        )
    )
    return MISMATCH
