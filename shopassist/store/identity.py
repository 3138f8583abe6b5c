"""The persistent limit on failed identity checks (order number + e-mail address).

A conversation's own counter stops one chat after a few misses; this limit also holds
across conversations, so nobody can guess addresses (or probe order numbers) by starting
new chats. Every mismatch is stored; while too many are recent, for the order number or for
the conversation, checks are refused as "locked" without looking at the order at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.identifiers import normalise_order_id
from shopassist.store.models import IdentityFailure
from shopassist.store.orders import verify_owner

WINDOW = timedelta(hours=1)  # a failure counts for an hour, then ages out
# Per order number, across all conversations: enough for an owner who mistypes, too few to
# try one address after another from new conversations.
MAX_FAILURES_PER_ORDER = 5
# Per conversation, across order numbers: one person trying number after number.
MAX_FAILURES_PER_CONVERSATION = 3

VERIFIED, MISMATCH, LOCKED = "verified", "mismatch", "locked"


def _utc_now() -> datetime:
    return clock.now()


def _order_key(order_id: object) -> str:
    """The number as counted: "#100234" and "100234" are one; anything else as typed, so
    that unknown and malformed numbers count (and lock) exactly like real ones."""
    return normalise_order_id(order_id) or " ".join(str(order_id or "").split())[:20]


def _conversation_key(conversation: object) -> str:
    return str(conversation or "")[:80]


def _recent(session: Session, column, value: str, now: datetime) -> List[datetime]:
    """Times of the failures for `value` within the window before `now`, oldest first."""
    return list(
        session.execute(
            select(IdentityFailure.at)
            .where(column == value, IdentityFailure.at > now - WINDOW, IdentityFailure.at <= now)
            .order_by(IdentityFailure.at)
        ).scalars()
    )


def _windows(session: Session, order_id: object, conversation: object, now: datetime):
    return (
        (
            _recent(session, IdentityFailure.order_number, _order_key(order_id), now),
            MAX_FAILURES_PER_ORDER,
        ),
        (
            _recent(session, IdentityFailure.conversation, _conversation_key(conversation), now),
            MAX_FAILURES_PER_CONVERSATION,
        ),
    )


def locked_until(
    session: Session, order_id: object, conversation: object, now: Optional[datetime] = None
) -> Optional[datetime]:
    """When checks of this order number in this conversation open again; None if open now.

    That is when enough failures have aged out to be below both limits again.
    """
    now = now or _utc_now()
    reopen = [
        failures[len(failures) - limit] + WINDOW
        for failures, limit in _windows(session, order_id, conversation, now)
        if len(failures) >= limit
    ]
    return max(reopen) if reopen else None


def failures_remaining(
    session: Session, order_id: object, conversation: object, now: Optional[datetime] = None
) -> int:
    """How many more mismatches are allowed before checks lock (0: the next is refused)."""
    now = now or _utc_now()
    return max(
        0,
        min(
            limit - len(failures)
            for failures, limit in _windows(session, order_id, conversation, now)
        ),
    )


def check_identity(
    session: Session,
    order_id: object,
    email: object,
    conversation: object,
    now: Optional[datetime] = None,
) -> str:
    """ "verified", "mismatch" (stored as a failure) or "locked" (not checked at all).

    Run it in a session scope of its own, so that the failure is kept whatever the caller
    does next. Two conversations checking in the same instant may each add a failure past
    the limit; the lock only starts a moment later, which is harmless.
    """
    now = now or _utc_now()
    if locked_until(session, order_id, conversation, now) is not None:
        return LOCKED  # even a correct pair proves nothing after so many guesses
    if verify_owner(session, order_id, email):
        return VERIFIED
    session.add(
        IdentityFailure(
            at=now,
            order_number=_order_key(order_id),
            conversation=_conversation_key(conversation),
        )
    )
    return MISMATCH
