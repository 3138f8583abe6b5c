"""Replies about an order, built from database facts only. A model may reword them; its
text is sent only if it keeps every fact and passes the checker (base.phrase)."""

from __future__ import annotations

from datetime import date, timedelta

from shopassist import clock
from shopassist.formats import day, money
from shopassist.generation.base import GenerationRequest, Generator, Reply, phrase
from shopassist.language.messages import label, message, sentences
from shopassist.store import policy
from shopassist.store.carriers import tracking_url
from shopassist.store.orders import STATUS_LABELS, OrderFacts, OrderSummary
from shopassist.store.policy import REFUND_DAYS_AFTER_RECEIPT
from shopassist.store.returns import RETURN_STATES, OrderRefunds, RefundView


def status_label(status: str, language: str = "en", default: str = "") -> str:
    return label("status", status, language, default or STATUS_LABELS.get(status, ""))


def total_of(facts: OrderFacts | OrderSummary, language: str = "en") -> str:
    """An order's total in the customer's locale (the database's text when no amount)."""
    if language == "en" or facts.total_cents is None:
        return facts.total
    return money(facts.total_cents, facts.currency, language)


def refund_amount(refund: RefundView, language: str = "en") -> str:
    """A refund's amount in the customer's locale (the database's text when no amount)."""
    if language == "en" or refund.amount_cents is None:
        return refund.amount
    return money(refund.amount_cents, language=language)


def late_delivery(facts: OrderFacts, today: date, language: str = "en") -> tuple[str, dict]:
    """What a late parcel's owner needs to hear, and its facts: that it is late, and what
    happens now (wait until the grace period ends, or a full refund as a lost parcel), by
    the rule in shopassist.store.policy. ("", {}) when the parcel is not late."""
    estimate = facts.estimated_delivery
    if facts.status not in policy.IN_TRANSIT_STATES or estimate is None or today <= estimate:
        return "", {}
    due = day(estimate, language)
    if policy.lost_parcel_refund(facts.status, estimate, today).allowed:
        return message("order.late_lost", language, due=due), {"due": due}
    last_wait = day(estimate + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS), language)
    return (
        message("order.late", language, due=due, last_wait=last_wait),
        {"due": due, "last_wait": last_wait},
    )


def order_status_request(
    facts: OrderFacts, today: date | None = None, language: str = "en"
) -> GenerationRequest:
    """The template reply in `language` and the facts any rephrasing must keep, written as
    the reply writes them (days and money in the customer's locale)."""
    status = status_label(facts.status, language)
    must_keep = {"order_id": facts.order_id, "status": status}
    placed_on = day(facts.placed_on, language)
    lines = [
        message(
            "order.placed", language, order_id=facts.order_id, placed_on=placed_on, status=status
        )
    ]
    if facts.carrier and facts.tracking_number:
        must_keep.update(carrier=facts.carrier, tracking_number=facts.tracking_number)
        lines.append(
            message(
                "order.carrier",
                language,
                carrier=facts.carrier,
                tracking_number=facts.tracking_number,
            )
        )
    if facts.delivered_on:
        must_keep["delivered_on"] = day(facts.delivered_on, language)
        lines.append(message("order.delivered", language, delivered_on=must_keep["delivered_on"]))
    elif facts.estimated_delivery and facts.status in {"shipped", "out_for_delivery"}:
        late, late_facts = late_delivery(facts, today or clock.today(), language)
        if late:
            must_keep.update(late_facts)
            lines.append(late)
        else:
            must_keep["estimated_delivery"] = day(facts.estimated_delivery, language)
            lines.append(
                message(
                    "order.estimated", language, estimated_delivery=must_keep["estimated_delivery"]
                )
            )
    if facts.items:
        items = "; ".join(facts.items)
        lines.append(message("order.items", language, items=items, total=total_of(facts, language)))
    return GenerationRequest(
        task="order_status",
        template=sentences(lines, language),
        facts=must_keep,
        language=language,
    )


def order_status_reply(
    facts: OrderFacts, generator: Generator, today: date | None = None, language: str = "en"
) -> Reply:
    return phrase(order_status_request(facts, today, language), generator)


def order_card(facts: OrderFacts, language: str = "en", note: str = "") -> dict:
    """The same facts as a card for channels that draw one (the web chat): never phrased.
    A row may have a third value, a link the server built (the carrier's tracking page).
    `note`: what the reply says beyond the facts (an acknowledgement, what happens now)."""

    def row(key: str, value: str) -> list:
        return [message(key, language), value]

    rows = [
        row("card.placed", day(facts.placed_on, language)),
        row("card.total", total_of(facts, language)),
    ]
    if facts.carrier and facts.tracking_number:
        tracking = row("card.tracking", facts.tracking_number)
        url = tracking_url(facts.carrier, facts.tracking_number)
        rows += [row("card.carrier", facts.carrier), tracking + ([url] if url else [])]
    if facts.delivered_on:
        rows.append(row("card.delivered", day(facts.delivered_on, language)))
    elif facts.estimated_delivery and facts.status in {"shipped", "out_for_delivery"}:
        rows.append(row("card.estimated", day(facts.estimated_delivery, language)))
    status = status_label(facts.status, language)
    card = {
        "title": message("card.title", language, order_id=facts.order_id),
        "status": status[:1].upper() + status[1:],
        "rows": rows,
        "items": list(facts.items),
    }
    if note:
        card["note"] = note
    return card


def return_status_request(
    order_id: str, refunds: OrderRefunds, language: str = "en"
) -> GenerationRequest:
    """Returns and refunds of one order, from the database, as a template and its facts."""
    must_keep = {"order_id": order_id}
    if not refunds.returns and not refunds.other_refunds:
        return GenerationRequest(
            task="return_status",
            template=message("returns.none", language, order_id=order_id),
            facts=must_keep,
            language=language,
        )
    lines = [message("returns.order", language, order_id=order_id)]
    for index, ret in enumerate(refunds.returns):
        must_keep[f"rma_{index}"] = ret.rma_number
        state = label("return_state", ret.state, language, RETURN_STATES.get(ret.state, ""))
        lines.append(
            message(
                "returns.line",
                language,
                rma_number=ret.rma_number,
                items="; ".join(ret.items),
                state=state,
            )
        )
        if ret.refund:
            lines.append(_refund_sentence(ret.refund, must_keep, f"refund_{index}", True, language))
    for index, refund in enumerate(refunds.other_refunds):
        lines.append(_refund_sentence(refund, must_keep, f"other_{index}", False, language))
    return GenerationRequest(
        task="return_status",
        template=sentences(lines, language),
        facts=must_keep,
        language=language,
    )


def _refund_sentence(
    refund: RefundView, must_keep: dict, key: str, after_return: bool, language: str = "en"
) -> str:
    amount = refund_amount(refund, language)
    must_keep[key] = amount
    said = {
        "amount": amount,
        "method": label("method", refund.method.replace(" ", "_"), language, refund.method),
    }
    if refund.state == "issued" and refund.issued_on:
        must_keep[key + "_date"] = day(refund.issued_on, language)
        return message("refund.issued", language, issued_on=must_keep[key + "_date"], **said)
    if refund.due_by:
        must_keep[key + "_date"] = day(refund.due_by, language)
        return message("refund.due", language, due_by=must_keep[key + "_date"], **said)
    which = "refund.after_return" if after_return else "refund.processing"
    return message(which, language, days=REFUND_DAYS_AFTER_RECEIPT, **said)
