"""When the assistant hands a conversation to a person without being asked.

One place for both triggers, so the actions and the console agree on them:
- misunderstandings: the assistant gave up understanding the customer (the two-stage
  fallback failed) this many times in one session;
- an upset complaint: the complaint is negative and so was one of the customer's messages
  just before it (the feeling stays; one angry word in a calm chat does not escalate).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

MISUNDERSTANDINGS_BEFORE_HANDOFF = 2
NEGATIVE = "negative"
EARLIER_MESSAGES_CONSIDERED = 2


def too_many_misunderstandings(count: float) -> bool:
    return count >= MISUNDERSTANDINGS_BEFORE_HANDOFF


def sentiment_labels(events: Iterable[Dict[str, Any]]) -> List[str]:
    """The sentiment label of each customer message in `events` (tracker events), in order."""
    labels = []
    for event in events:
        if event.get("event") == "user":
            sentiment = (event.get("parse_data") or {}).get("sentiment") or {}
            labels.append(sentiment.get("label") or "neutral")
    return labels


def complaint_is_upset(labels: List[str]) -> bool:
    """`labels` ends with the complaint: it and an earlier message nearby are negative."""
    if not labels or labels[-1] != NEGATIVE:
        return False
    return NEGATIVE in labels[-1 - EARLIER_MESSAGES_CONSIDERED : -1]
