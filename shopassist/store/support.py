"""Handoff tickets and conversation ratings: what the support team reads and reports on.

A ticket is keyed by conversation: while one is open, a second request for a person updates
its transcript and reason instead of queueing the customer twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, NamedTuple, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.language.conversation import served
from shopassist.store import audit
from shopassist.store.models import ConversationRating, HandoffTicket

REASONS = ("asked", "misunderstood", "upset")
RATINGS = range(1, 6)


class WrittenSummary(NamedTuple):
    """A ticket's summary (shopassist.dialogue.handoff_summary) and what wrote it."""

    text: str
    by: str  # "template" or the model's name (shopassist.generation.provenance)
    check: str  # the check's verdict on a model's summary: "passed", "failed" or "none"


@dataclass(frozen=True)
class TicketView:
    id: int
    reference: str
    reason: str
    new: bool  # False when an open ticket of this conversation was updated


def reference(ticket_id: int) -> str:
    """The number the customer quotes: H-000042."""
    return f"H-{ticket_id:06d}"


def _now() -> datetime:
    return clock.now()


def open_ticket(
    session: Session,
    conversation: str,
    reason: str,
    transcript: List[Dict[str, str]],
    customer_email: Optional[str] = None,
    order_number: Optional[str] = None,
    language: Optional[str] = None,
    summary: Optional[WrittenSummary] = None,
) -> TicketView:
    """Open (or refresh) the conversation's handoff ticket with the transcript so far, in
    the conversation's `language` (a served language code; anything else is unknown), and
    the `summary` of that transcript for the colleague, with what wrote it."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}; one of {REASONS}")
    language = served(language)
    conversation = str(conversation)[:80]
    now = _now()
    ticket = session.execute(
        select(HandoffTicket)
        .where(HandoffTicket.conversation == conversation, HandoffTicket.status == "open")
        .order_by(HandoffTicket.id.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()
    new = ticket is None
    if new:
        ticket = HandoffTicket(conversation=conversation, status="open", created_at=now)
        session.add(ticket)
    ticket.reason = reason
    ticket.transcript = json.dumps(transcript, ensure_ascii=False)
    if summary is not None:  # written for this transcript: a refreshed ticket gets a new one
        ticket.summary, ticket.summary_by, ticket.summary_check = summary
    ticket.updated_at = now
    # What was proven in the chat stays; a later turn without proof does not erase it.
    ticket.customer_email = customer_email or ticket.customer_email
    ticket.order_number = order_number or ticket.order_number
    # The language the customer is in now: they may have switched since the ticket opened.
    ticket.language = language or ticket.language
    session.flush()
    audit.record(
        session,
        f"assistant:{conversation}",
        "handoff.open" if new else "handoff.update",
        "handoff_ticket",
        ticket.id,
        {
            "reason": reason,
            "turns": len(transcript),
            "language": ticket.language,
            "summary_by": ticket.summary_by,
        },
    )
    return TicketView(ticket.id, reference(ticket.id), reason, new)


def record_rating(session: Session, conversation: str, score: int) -> None:
    if score not in RATINGS:
        raise ValueError(f"a rating is 1 to 5, not {score!r}")
    session.add(
        ConversationRating(conversation=str(conversation)[:80], score=score, created_at=_now())
    )


def queue(session: Session, language: Optional[str] = None) -> List[HandoffTicket]:
    """Tickets waiting for or with a person, oldest first (the order customers wait in);
    only those in `language` if given ("unknown": those without a recorded language)."""
    query = select(HandoffTicket).where(HandoffTicket.status.in_(("open", "taken")))
    if language == "unknown":
        query = query.where(HandoffTicket.language.is_(None))
    elif language:
        query = query.where(HandoffTicket.language == language)
    order = (HandoffTicket.created_at, HandoffTicket.id)
    return session.execute(query.order_by(*order)).scalars().all()


def get_ticket(session: Session, ticket_id: int) -> Optional[HandoffTicket]:
    return session.get(HandoffTicket, ticket_id)


def take(session: Session, ticket: HandoffTicket, agent: str) -> None:
    """An agent takes the conversation over (or takes it from a colleague)."""
    if ticket.status == "closed":
        raise ValueError(f"ticket {reference(ticket.id)} is closed")
    ticket.status, ticket.agent, ticket.updated_at = "taken", agent, _now()
    audit.record(session, f"console:{agent}", "handoff.take", "handoff_ticket", ticket.id, {})


def close(session: Session, ticket: HandoffTicket, agent: str) -> None:
    """The conversation goes back to the assistant."""
    ticket.status, ticket.updated_at = "closed", _now()
    ticket.agent = ticket.agent or agent
    audit.record(session, f"console:{agent}", "handoff.close", "handoff_ticket", ticket.id, {})


def latest_ratings(session: Session) -> Dict[str, int]:
    """Each conversation's latest rating."""
    rows = session.execute(
        select(ConversationRating.conversation, ConversationRating.score).order_by(
            ConversationRating.created_at, ConversationRating.id
        )
    ).all()
    return {conversation: score for conversation, score in rows}
