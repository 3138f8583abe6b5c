"""Who is at the takeover desk, and so what a handoff may promise the customer.

An agent is available while the console's handoff queue is open in their browser, visible
and in use: that page sends a heartbeat every 20 seconds (console/static/console/
presence.js), and each beat keeps its agent available for AVAILABLE_FOR. A closed tab, a
hidden one, an idle agent or a logout ends it within that time, or at once (the page says
when it is left; logging out clears it). It is kept with the agent's console account in
the shop's database, which the action servers read as well.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.db import session_scope
from shopassist.store.models import ConsoleUser

logger = logging.getLogger(__name__)

AVAILABLE_FOR = timedelta(seconds=60)  # three missed heartbeats of 20 s
# Channels an agent's replies reach at once (Rasa pushes them to the web chat's socket);
# a REST caller would only find them in a history it can't read.
LIVE_CHANNELS = ("socketio",)


def mark_available(session: Session, username: str, now: Optional[datetime] = None) -> datetime:
    """A heartbeat from `username`'s open handoff queue; returns until when it counts."""
    until = (now or clock.now()) + AVAILABLE_FOR
    session.execute(
        update(ConsoleUser).where(ConsoleUser.username == username).values(available_until=until)
    )
    return until


def mark_away(session: Session, username: str) -> None:
    """`username` left the queue (closed or hid it, went idle, logged out)."""
    session.execute(
        update(ConsoleUser).where(ConsoleUser.username == username).values(available_until=None)
    )


def agents_available(session: Session, now: Optional[datetime] = None) -> int:
    now = now or clock.now()
    return session.execute(
        select(func.count(ConsoleUser.id)).where(ConsoleUser.available_until > now)
    ).scalar_one()


def colleague_can_join(channel: Optional[str], db_url: Optional[str] = None) -> bool:
    """Whether the handoff reply may say a colleague can join the chat in a few minutes.

    True only while an agent is at the handoff queue and the customer writes from a chat
    their replies reach (`channel`, the conversation's latest input channel). When that
    can't be known (the database is unreachable, or anything else goes wrong) the answer
    is False: the customer is then told how the team will get back to them, never promised
    a person who may not come, and the handoff never fails over it."""
    if channel not in LIVE_CHANNELS:
        return False
    try:
        with session_scope(db_url) as session:
            return agents_available(session) > 0
    except Exception:  # whatever it is, the honest wording is a safe answer
        logger.warning("could not tell whether an agent is available", exc_info=True)
        return False
