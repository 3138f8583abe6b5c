"""Replies about an order, built from database facts only. A model may reword them; its
text is sent only if it keeps every fact and passes the checker (base.phrase)."""

from __future__ import annotations

from datetime import date, timedelta

from shopassist import clock
from shopassist.formats import day
from shopassist.generation.base import GenerationRequest, Generator, Reply, phrase
from shopassist.store import policy
from shopassist.store.orders import STATUS_LABELS, OrderFacts
from shopassist.store.policy import REFUND_DAYS_AFTER_RECEIPT
from shopassist.store.returns import RETURN_STATES, OrderRefunds, RefundView


def late_delivery(facts: OrderFacts, today: date) -> tuple[str, dict]:
    """What a late parcel's owner needs to hear, and its facts: that it is late, and what
    happens now (wait until the grace period ends, or a full refund as a lost parcel), by
    the rule in shopassist.store.policy. ("", {}) when the parcel is not late."""
    estimate = facts.estimated_delivery
    if facts.status not in policy.IN_TRANSIT_STATES or estimate is None or today <= estimate:
        return "", {}
    last_wait = estimate + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS)
    if policy.lost_parcel_refund(facts.status, estimate, today).allowed:
        return (
            f"It is late: it was due on {day(estimate)} and now counts as lost, so you can "
            "have a full refund. Tell me it never arrived and I'll start the refund, or a "
            "colleague can look into it.",
            {"due": day(estimate)},
        )
    return (
        f"It is late: it was due on {day(estimate)}. Parcels are sometimes a few days late; "
        f"if it still hasn't arrived after {day(last_wait)}, it counts as lost and you get "
        "a full refund.",
        {"due": day(estimate), "last_wait": day(last_wait)},
    )


def order_status_request(facts: OrderFacts, today: date | None = None) -> GenerationRequest:
    """The template reply and the facts any rephrasing must keep."""
    label = STATUS_LABELS.get(facts.status, facts.status.replace("_", " "))
    must_keep = {"order_id": facts.order_id, "status": label}
    lines = [f"Order #{facts.order_id}, placed on {day(facts.placed_on)}, is {label}."]
    if facts.carrier and facts.tracking_number:
        must_keep.update(carrier=facts.carrier, tracking_number=facts.tracking_number)
        lines.append(f"Carrier: {facts.carrier}, tracking number {facts.tracking_number}.")
    if facts.delivered_on:
        must_keep["delivered_on"] = day(facts.delivered_on)
        lines.append(f"It was delivered on {day(facts.delivered_on)}.")
    elif facts.estimated_delivery and facts.status in {"shipped", "out_for_delivery"}:
        late, late_facts = late_delivery(facts, today or clock.today())
        if late:
            must_keep.update(late_facts)
            lines.append(late)
        else:
            must_keep["estimated_delivery"] = day(facts.estimated_delivery)
            lines.append(f"Estimated delivery: {day(facts.estimated_delivery)}.")
    if facts.items:
        lines.append("Items: " + "; ".join(facts.items) + f" (total {facts.total}).")
    return GenerationRequest(task="order_status", template=" ".join(lines), facts=must_keep)


def order_status_reply(facts: OrderFacts, generator: Generator, today: date | None = None) -> Reply:
    return phrase(order_status_request(facts, today), generator)


def order_card(facts: OrderFacts) -> dict:
    """The same facts as a card for channels that draw one (the web chat): never phrased."""
    rows = [["Placed", day(facts.placed_on)], ["Total", facts.total]]
    if facts.carrier and facts.tracking_number:
        rows += [["Carrier", facts.carrier], ["Tracking", facts.tracking_number]]
    if facts.delivered_on:
        rows.append(["Delivered", day(facts.delivered_on)])
    elif facts.estimated_delivery and facts.status in {"shipped", "out_for_delivery"}:
        rows.append(["Estimated delivery", day(facts.estimated_delivery)])
    label = STATUS_LABELS.get(facts.status, facts.status.replace("_", " "))
    return {
        "title": f"Order #{facts.order_id}",
        "status": label[:1].upper() + label[1:],
        "rows": rows,
        "items": list(facts.items),
    }


def return_status_request(order_id: str, refunds: OrderRefunds) -> GenerationRequest:
    """Returns and refunds of one order, from the database, as a template and its facts."""
    must_keep = {"order_id": order_id}
    if not refunds.returns and not refunds.other_refunds:
        return GenerationRequest(
            task="return_status",
            template=f"There is no return or refund on order #{order_id} so far.",
            facts=must_keep,
        )
    lines = []
    for index, ret in enumerate(refunds.returns):
        must_keep[f"rma_{index}"] = ret.rma_number
        state = RETURN_STATES.get(ret.state, ret.state)
        lines.append(f"Return {ret.rma_number} ({'; '.join(ret.items)}) is {state}.")
        if ret.refund:
            lines.append(_refund_sentence(ret.refund, must_keep, f"refund_{index}", True))
    for index, refund in enumerate(refunds.other_refunds):
        lines.append(_refund_sentence(refund, must_keep, f"other_{index}", False))
    return GenerationRequest(
        task="return_status", template=f"Order #{order_id}: " + " ".join(lines), facts=must_keep
    )


def _refund_sentence(refund: RefundView, must_keep: dict, key: str, after_return: bool) -> str:
    must_keep[key] = refund.amount
    if refund.state == "issued" and refund.issued_on:
        must_keep[key + "_date"] = day(refund.issued_on)
        return (
            f"A refund of {refund.amount} was issued to your {refund.method} on "
            f"{day(refund.issued_on)}; banks can take 3-5 business days to show it."
        )
    if refund.due_by:
        must_keep[key + "_date"] = day(refund.due_by)
        return (
            f"A refund of {refund.amount} to your {refund.method} is due by {day(refund.due_by)}."
        )
    if after_return:
        return (
            f"A refund of {refund.amount} to your {refund.method} will be issued within "
            f"{REFUND_DAYS_AFTER_RECEIPT} business days of the return reaching us."
        )
    return (
        f"A refund of {refund.amount} to your {refund.method} is being processed, "
        f"usually within {REFUND_DAYS_AFTER_RECEIPT} business days."
    )
