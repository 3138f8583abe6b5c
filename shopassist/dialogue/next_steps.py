"""What a customer can still do with an order, by its state: the one next step a refusal
ends with ("it has shipped, so it can't be cancelled" -> "once it has arrived, you can
return it"), and what an upset customer with a late order hears about what happens now.

Every step is read from shopassist.store.policy, so a refusal never suggests what the
policy forbids in the order's state (tests/unit/test_order_replies_by_state.py runs every
reply against every state).
"""

from __future__ import annotations

from datetime import date, timedelta

from shopassist.formats import day, money
from shopassist.language.messages import message, sentences
from shopassist.store import policy
from shopassist.store.orders import OrderFacts

# Refusals that are about where the order is in its life (too late, too early): they end
# with the state's next step. Other refusals (a closed window, a hygiene item, ...) say
# all there is themselves.
STATE_REASONS = frozenset({"already_shipped", "past_cutoff", "not_delivered", "not_shipped"})


def next_step(facts: OrderFacts, today: date, language: str = "en") -> str:
    """The one thing the customer can still have done with the order, in `language`; ""
    when nothing is left (a cancelled order)."""
    status = facts.status
    cancel = policy.cancellation(status)
    if cancel.allowed:
        if cancel.fee_cents:
            fee = money(cancel.fee_cents, language=language)
            return message("next.cancel_fee", language, fee=fee)
        return message("next.cancel_free", language)
    days = policy.RETURN_WINDOW_DAYS
    if status in policy.IN_TRANSIT_STATES:
        if policy.lost_parcel_refund(status, facts.estimated_delivery, today).allowed:
            grace = policy.LOST_PARCEL_GRACE_DAYS
            return message("next.lost_refund", language, grace_days=grace)
        return message("next.return_after_delivery", language, return_days=days)
    if status in policy.RETURNABLE_STATES and facts.delivered_on is not None:
        last = policy.last_return_day(facts.delivered_on)
        said = {"last_day": day(last, language), "return_days": days}
        if today <= last:
            return message("next.return_until", language, **said)
        return message("next.window_closed", language, **said)
    if status == "refunded":
        return message("next.refunded", language)
    return ""


def with_next_step(text: str, reason: str, facts: OrderFacts, today: date, language: str) -> str:
    """A refusal `text` for `reason`, ended with the order's next step when the reason is
    about the order's state."""
    if reason not in STATE_REASONS:
        return text
    return sentences([text, next_step(facts, today, language)], language)


def where_it_stands(facts: OrderFacts, today: date, language: str = "en") -> str:
    """For a customer upset that their order is late, what happens now, beyond the status
    reply (which already gives the status and the carrier's estimate): an on-time parcel's
    due day and when it would count as lost; an order not shipped yet, its next step; a
    delivered one, where to look and who investigates. "" when the status reply says it
    all (an overdue parcel: order_answers.late_delivery; a cancelled or refunded order)."""
    estimate = facts.estimated_delivery
    if facts.status in policy.IN_TRANSIT_STATES:
        if estimate is None or today > estimate:
            return ""
        last_wait = day(estimate + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS), language)
        return message(
            "late.on_time",
            language,
            estimated_delivery=day(estimate, language),
            last_wait=last_wait,
        )
    if facts.status in policy.CARRIER_DELIVERED_STATES:
        return message("late.delivered", language)
    if policy.cancellation(facts.status).allowed:  # not shipped yet
        step = next_step(facts, today, language)
        return sentences([message("late.not_shipped", language), step], language)
    return ""
