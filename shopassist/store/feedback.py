"""Customers' thumbs up or down on the assistant's answers (the web chat's "Helpful" and
"Not helpful"), besides the 1-5 rating of a whole conversation (shopassist.store.support).

Each row is one answer, keyed by its conversation and its bot event's timestamp as the
tracker store has it (`message_key`); a later click on the same answer changes the row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Dict, List

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.models import AnswerFeedback

VALUES = ("up", "down")
LEAST_HELPFUL = 10  # answers listed on the analytics page


def record(session: Session, conversation: str, message_at: str, answer: str, value: str) -> None:
    """The customer's choice on one answer: stored, or the earlier one changed."""
    if value not in VALUES:
        raise ValueError(f"feedback is one of {VALUES}, not {value!r}")
    if len(conversation) > 80 or len(message_at) > 40:
        raise ValueError("conversation or message key too long")
    now = clock.now()
    where = (AnswerFeedback.conversation == conversation, AnswerFeedback.message_at == message_at)
    row = session.execute(select(AnswerFeedback).where(*where)).scalar_one_or_none()
    if row is None:
        row = AnswerFeedback(
            conversation=conversation, message_at=message_at, answer=answer[:80],
            value=value, created_at=now, updated_at=now,
        )  # fmt: skip
        try:
            with session.begin_nested():  # two clicks at once: the second updates the first
                session.add(row)
            return
        except IntegrityError:
            row = session.execute(select(AnswerFeedback).where(*where)).scalar_one()
    row.value, row.updated_at = value, now


def of_conversation(session: Session, conversation: str) -> Dict[str, str]:
    """{message_at: "up" | "down"} for the answers of one conversation."""
    rows = session.execute(
        select(AnswerFeedback.message_at, AnswerFeedback.value).where(
            AnswerFeedback.conversation == conversation
        )
    )
    return {message_at: value for message_at, value in rows}


def figures(session: Session, limit: int = LEAST_HELPFUL) -> Dict[str, Any]:
    """Counts of helpful and not helpful answers, the helpful share, and the answers most
    often marked not helpful (by what wrote them), for the analytics page."""
    rows = session.execute(
        select(AnswerFeedback.answer, AnswerFeedback.value, func.count()).group_by(
            AnswerFeedback.answer, AnswerFeedback.value
        )
    ).all()
    per_answer: Dict[str, Counter] = defaultdict(Counter)
    for answer, value, count in rows:
        per_answer[answer][value] += count
    helpful = sum(c["up"] for c in per_answer.values())
    not_helpful = sum(c["down"] for c in per_answer.values())
    least: List[Dict[str, Any]] = [
        {"answer": answer, "not_helpful": c["down"], "helpful": c["up"]}
        for answer, c in per_answer.items()
        if c["down"]
    ]
    # Most "not helpful" first; then the worse share; ties by name, stable between loads.
    least.sort(key=lambda a: (-a["not_helpful"], a["helpful"], a["answer"]))
    total = helpful + not_helpful
    return {
        "helpful": helpful,
        "not_helpful": not_helpful,
        "helpful_share": helpful / total if total else None,
        "least_helpful": least[:limit],
    }
