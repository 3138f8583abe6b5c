"""Reviewers' flags on customer messages (shop database): what goes to the inbox, and what
became of it, so that an annotated or dismissed message leaves the inbox for good."""

from __future__ import annotations

from typing import Dict, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.models import ReviewFlag

STATUSES = ("flagged", "annotated", "dismissed")


def all_flags(session: Session) -> Dict[Tuple[str, str], str]:
    rows = session.execute(
        select(ReviewFlag.conversation, ReviewFlag.message_at, ReviewFlag.status)
    )
    return {(conversation, at): status for conversation, at, status in rows}


def mark(
    session: Session, conversation: str, message_at: str, text: str, status: str, reviewer: str
) -> None:
    """Flags a message, or records that it was annotated or dismissed."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    flag = session.execute(
        select(ReviewFlag).where(
            ReviewFlag.conversation == conversation, ReviewFlag.message_at == message_at
        )
    ).scalar_one_or_none()
    if flag is None:
        flag = ReviewFlag(
            conversation=conversation[:80],
            message_at=message_at[:40],
            created_at=clock.now(),
        )
        session.add(flag)
    flag.text, flag.status, flag.reviewer = text, status, reviewer
    session.flush()
