"""Handoff tickets and conversation ratings: what the support team reads and reports on.

A ticket is keyed by conversation: while one is open, a second request for a person updates
its transcript and reason instead of queueing the customer twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist.store import audit
from shopassist.store.models import ConversationRating, HandoffTicket

REASONS = ("asked", "misunderstood", "upset")
RATINGS = range(1, 6)


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
    return datetime.now(timezone.utc).replace(tzinfo=None)


def open_ticket(
    session: Session,
    conversation: str,
    reason: str,
    transcript: List[Dict[str, str]],
    customer_email: Optional[str] = None,
    order_number: Optional[str] = None,
) -> TicketView:
    """Open (or refresh) the conversation's handoff ticket with the transcript so far."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}; one of {REASONS}")
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
    ticket.updated_at = now
    # What was proven in the chat stays; a later turn without proof does not erase it.
    ticket.customer_email = customer_email or ticket.customer_email
    ticket.order_number = order_number or ticket.order_number
    session.flush()
    audit.record(
        session,
        f"assistant:{conversation}",
        "handoff.open" if new else "handoff.update",
        "handoff_ticket",
        ticket.id,
        {"reason": reason, "turns": len(transcript)},
    )
    return TicketView(ticket.id, reference(ticket.id), reason, new)


def record_rating(session: Session, conversation: str, score: int) -> None:
    if score not in RATINGS:
        raise ValueError(f"a rating is 1 to 5, not {score!r}")
    session.add(
        ConversationRating(conversation=str(conversation)[:80], score=score, created_at=_now())
    )
