"""Every reply the order actions can send, against every order state: no reply suggests
what shopassist.store.policy forbids for an order in that state.

The actions answer from synthetic orders (no database): each state the store knows
(STATUS_LABELS), with the dates that change the rules (a parcel on time, late, lost; a
return window open or closed). What each reply suggests is read from its English words:
"you can / I can / ask me to / shall I ..." followed by cancel, remove, change, return or
refund. Whether that is allowed is asked of the policy module's own functions, now, or at
the time the sentence names ("once it has arrived ...", "if it hasn't arrived ... after").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Dict, List, Optional

import pytest
from rasa_sdk.executor import CollectingDispatcher

import shopassist.dialogue.replies as replies_module
import shopassist.language.messages as messages_module
from actions.cancellations import ActionOfferCancellation, ActionOfferItemCancellation
from actions.changes import ActionOfferAddressChange, ActionOfferItemChange
from actions.order_lines import OrderView
from actions.orders import ActionOrderStatus
from actions.returns import ActionOfferReturn
from shopassist import clock
from shopassist.dialogue.next_steps import STATE_REASONS, with_next_step
from shopassist.dialogue.replies import refusal
from shopassist.language.messages import SOURCE, catalog
from shopassist.store import policy
from shopassist.store.changes import Outcome
from shopassist.store.models import Order, Shipment
from shopassist.store.orders import STATUS_LABELS, LineView, OrderFacts
from tests.actions_kit import make_tracker

LANGUAGES = ("en", "de", "fr", "es", "zh")
ORDER_ID = "100777"


@dataclass(frozen=True)
class Case:
    """An order in one state, with the dates that matter for it."""

    status: str
    variant: str
    estimated_delivery: Optional[date] = None
    delivered_on: Optional[date] = None

    @property
    def name(self) -> str:
        return f"{self.status}/{self.variant}"


def cases(today: date) -> List[Case]:
    out = []
    for status in STATUS_LABELS:
        if status in policy.IN_TRANSIT_STATES:
            grace = policy.LOST_PARCEL_GRACE_DAYS
            out += [
                Case(status, "on time", estimated_delivery=today + timedelta(days=2)),
                Case(status, "late", estimated_delivery=today - timedelta(days=1)),
                Case(status, "lost", estimated_delivery=today - timedelta(days=grace + 2)),
            ]
        elif status in policy.CARRIER_DELIVERED_STATES:
            window = policy.RETURN_WINDOW_DAYS
            out += [
                Case(status, "window open", delivered_on=today - timedelta(days=3)),
                Case(status, "window closed", delivered_on=today - timedelta(days=window + 5)),
            ]
        elif status == "refunded":  # delivered, then returned in full
            out.append(Case(status, "returned", delivered_on=today - timedelta(days=10)))
        else:
            out.append(Case(status, "-"))
    return out


def facts_of(case: Case) -> OrderFacts:
    shipped = case.estimated_delivery or case.delivered_on
    return OrderFacts(
        order_id=ORDER_ID,
        status=case.status,
        placed_on=date(2026, 11, 1),
        total="$98.00",
        items=["2 x Northline Zip Hoodie (navy, M)"],
        carrier="UPS" if shipped else None,
        tracking_number="1Z999" if shipped else None,
        estimated_delivery=case.estimated_delivery or case.delivered_on,
        delivered_on=case.delivered_on,
        total_cents=9800,
    )


def line(returnable: bool = True) -> LineView:
    return LineView(
        item_id=1,
        name="Northline Zip Hoodie",
        quantity=2,
        unit_price="$49.00",
        colour="navy",
        size="M",
        colours=["navy", "grey"],
        sizes=["S", "M", "L"],
        returnable=returnable,
        returnable_quantity=2,
        label="2 x Northline Zip Hoodie (navy, M)",
    )


def order_row(case: Case) -> Order:
    """The order as the address change reads it (a row, not yet in any session)."""
    order = Order(
        id=int(ORDER_ID),
        status=case.status,
        placed_at=datetime(2026, 11, 1, 10),
        total_cents=9800,
        currency="USD",
        ship_line1="1 Main Street",
        ship_city="Austin",
        ship_postcode="73301",
        ship_country="US",
    )
    order.items = []
    if case.estimated_delivery or case.delivered_on:
        delivered = case.delivered_on
        order.shipment = Shipment(
            carrier="UPS",
            tracking_number="1Z999",
            shipped_at=datetime(2026, 11, 2),
            estimated_delivery=case.estimated_delivery or delivered,
            delivered_at=datetime.combine(delivered, datetime.min.time()) if delivered else None,
        )
    return order


def return_preview(case: Case, today: date, returnable: bool, quantity: int, reason: str):
    """What check_return finds for one line, by the policy (store/changes.evaluate_return)."""
    decision = policy.return_eligibility(
        case.status, case.delivered_on, today, returnable, 2, 0, quantity, reason
    )
    refund = 4900 * quantity - decision.fee_cents if decision.allowed else 0
    return Outcome(decision.allowed, decision.reason, decision.fee_cents, refund)


def answered(action, data, language: str, upset: bool = False, **slots) -> List[str]:
    """The texts `action` sends for `data` (after the identity check, which it passed)."""
    tracker = make_tracker(
        {"order_id": ORDER_ID, "verified_order": ORDER_ID, **slots},
        intent="order_status",
        text="This is ridiculous, my order is late" if upset else "where is my order?",
        sentiment=("negative", -0.8) if upset else ("neutral", 0.0),
        language=None if language == SOURCE else language,
    )
    dispatcher = CollectingDispatcher()
    action.answer(dispatcher, ORDER_ID, data, tracker)
    return [m.get("text") or "" for m in dispatcher.messages]


def replies(case: Case, today: date, language: str) -> Dict[str, List[str]]:
    """Every reply the order actions send for an order in `case`, by the request."""
    facts = facts_of(case)
    view = OrderView(facts, [line()])
    out: Dict[str, List[str]] = {
        "cancel order": answered(ActionOfferCancellation(), facts, language),
        "cancel item": answered(ActionOfferItemCancellation(), view, language, item_choice="1"),
        "address change": answered(
            ActionOfferAddressChange(),
            order_row(case),
            language,
            new_address={"line1": "12 High Street", "city": "London", "postcode": "SW1A 1AA"},
        ),
        "status": answered(ActionOrderStatus(), facts, language),
        "status, upset": answered(ActionOrderStatus(), facts, language, upset=True),
        "refund, never arrived": answered(
            ActionOfferReturn(), (facts, None, None), language, return_reason="never_arrived"
        ),
    }
    for change in ({"size": "L"}, {"quantity": 0}, {"quantity": 5}):
        out[f"change item {change}"] = answered(
            ActionOfferItemChange(),
            view,
            language,
            item_choice="1",
            item_change=change,
        )
    for reason in sorted(policy.RETURN_REASONS - {"never_arrived"}):  # that one: above
        for returnable in (True, False):
            for quantity in (2, 3):
                preview = return_preview(case, today, returnable, quantity, reason)
                data = (facts, {1: quantity}, (preview, [line(returnable)]))
                key = f"return {reason}, {'hygiene ' if not returnable else ''}x{quantity}"
                out[key] = answered(ActionOfferReturn(), data, language, return_reason=reason)
    # A change refused at the customer's "yes" (the order moved on): actions/confirm.py
    # sends the refusal of the service, which is the policy's, with the state's next step.
    for reason in refusals_by_policy(case, today):
        said = refusal(reason, language, order_id=ORDER_ID)
        out[f"refused at yes: {reason}"] = [with_next_step(said, reason, facts, today, language)]
    return out


def refusals_by_policy(case: Case, today: date) -> set:
    """Every reason the policy gives for refusing a request about this order."""
    decisions = [
        policy.cancellation(case.status),
        policy.item_change(case.status),
        policy.address_change(case.status),
        policy.lost_parcel_refund(case.status, case.estimated_delivery, today),
    ]
    for reason in policy.RETURN_REASONS:
        for returnable in (True, False):
            decisions.append(
                policy.return_eligibility(
                    case.status, case.delivered_on, today, returnable, 2, 0, 1, reason
                )
            )
    return {d.reason for d in decisions if not d.allowed}


# --- What a reply suggests, read from its English words ---------------------------------

# An offer or an invitation: "you can", "I can still", "ask me to", "shall I", ... but not
# "can't", "cannot", "can no longer".
_CUE = re.compile(
    r"\b(?:(?:you|I)\s+(?:can|could|will)(?:\s+still)?(?!['’]t|\s*not\b|\s+no longer)|"
    r"I['’]ll|ask me to|tell me|shall I|you get|you'd get|let me)\b",
    re.I,
)
_ACTIONS = {
    "cancel": re.compile(r"\b(?:cancel\w*|remov\w*)\b", re.I),
    "change": re.compile(r"\bchang\w*\b(?!\s+(?:your|my)\s+mind)", re.I),
    "return": re.compile(r"\breturn(?:s|ed|ing)?\b(?!\s+(?:window|shipping|label|number))", re.I),
    "refund": re.compile(r"\brefund\w*\b", re.I),
}
# The time a suggestion is for, when not now.
_ONCE_ARRIVED = re.compile(r"\bonce it (?:has )?arrive[sd]?\b|\bonce it'?s delivered\b", re.I)
_IF_STILL_NOT_ARRIVED = re.compile(r"\bif it (?:still )?hasn['’]t arrived\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def suggestions(text: str) -> List[tuple]:
    """(action, when, sentence) for each action a reply invites the customer to ask for."""
    found = []
    for sentence in _SENTENCE.split(text):
        cue = _CUE.search(sentence)
        if not cue:
            continue
        rest = sentence[cue.start() :]
        when = (
            "once arrived"
            if _ONCE_ARRIVED.search(sentence)
            else "if still not arrived"
            if _IF_STILL_NOT_ARRIVED.search(sentence)
            else "now"
        )
        found += [(name, when, sentence) for name, word in _ACTIONS.items() if word.search(rest)]
    return found


# --- What the policy allows ----------------------------------------------------------------


def some_return_allowed(status: str, delivered_on: Optional[date], today: date) -> bool:
    return any(
        policy.return_eligibility(status, delivered_on, today, True, 1, 0, 1, reason).allowed
        for reason in policy.RETURN_REASONS
    )


def allowed(action: str, when: str, case: Case, request: str, today: date) -> bool:
    status = case.status
    if when == "once arrived":
        # Only an order still to arrive (not shipped yet, or with the carrier) arrives, and
        # then it is in a state the carrier delivered.
        on_its_way = policy.lost_parcel_refund(status, today + timedelta(days=1), today).reason
        return on_its_way in {"in_transit", "not_shipped"} and any(
            some_return_allowed(arrived, today, today)
            if action == "return"
            else allowed(action, "now", replace(case, status=arrived), request, today)
            for arrived in policy.CARRIER_DELIVERED_STATES
        )
    if when == "if still not arrived":
        if action != "refund" or case.estimated_delivery is None:
            return False
        later = case.estimated_delivery + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS + 1)
        return policy.lost_parcel_refund(status, case.estimated_delivery, later).allowed
    if action == "cancel":
        return policy.cancellation(status).allowed
    if action == "change":
        rule = policy.address_change if request == "address change" else policy.item_change
        return rule(status).allowed
    if action == "return":
        return some_return_allowed(status, case.delivered_on, today)
    if action == "refund":
        return policy.lost_parcel_refund(status, case.estimated_delivery, today).allowed
    raise AssertionError(action)


# --- The tests -------------------------------------------------------------------------------


def test_the_reader_of_suggestions_catches_the_old_advice_to_a_shipped_order():
    old = (
        "Order #100234 hasn't been delivered yet, so it can't be returned yet. If you don't "
        "want it any more, ask me to cancel it while it hasn't shipped."
    )
    case = Case("shipped", "on time", estimated_delivery=date(2026, 11, 25))
    found = suggestions(old)
    assert [(a, w) for a, w, _ in found] == [("cancel", "now")]
    assert not allowed("cancel", "now", case, "return", date(2026, 11, 23))
    # ... and reads a refusal as no suggestion, a condition as the time it names.
    assert suggestions("Order #1 has already shipped, so it can't be cancelled any more.") == []
    assert [(a, w) for a, w, _ in suggestions("Once it has arrived, you can return it.")] == [
        ("return", "once arrived")
    ]


def test_no_reply_suggests_what_the_policy_forbids_in_the_orders_state(monkeypatch):
    today = clock.today()
    used = defaultdict(set)  # message key -> the states it was sent in
    current: List[str] = []

    def recording(original):
        def template(key, language=SOURCE):
            if current:
                used[key].add(current[0])
            return original(key, language)

        return template

    for module in (messages_module, replies_module):
        monkeypatch.setattr(module, "message_template", recording(module.message_template))

    problems, table = [], Counter()
    for case in cases(today):
        for language in LANGUAGES:  # every language renders (no missing placeholder) ...
            current[:] = [case.name] if language == SOURCE else []
            sent = replies(case, today, language)
            if language != SOURCE:
                assert all(all(texts) for texts in sent.values()), (case.name, language)
                continue
            for request, texts in sent.items():  # ... and the English words are read
                table[case.name] += len(texts)
                for text in texts:
                    for action, when, sentence in suggestions(text):
                        if not allowed(action, when, case, request, today):
                            problems.append(f"{case.name}, {request}: {action} {when}: {sentence}")
    assert not problems, "\n".join(problems)

    # Every refusal the policy gives and every next step was sent in some state.
    reasons = set().union(*(refusals_by_policy(c, today) for c in cases(today)))
    assert STATE_REASONS <= reasons
    expected = {f"refusal.{r}" for r in reasons} | {
        key for key in catalog(SOURCE) if key.startswith(("next.", "late."))
    }
    assert expected <= set(used), sorted(expected - set(used))
    assert len(table) == len(cases(today))


@pytest.mark.parametrize("status", sorted(STATUS_LABELS))
def test_a_refusal_about_the_state_ends_with_a_step_the_state_allows(status):
    today = clock.today()
    checked = 0
    for case in (c for c in cases(today) if c.status == status):
        for reason in refusals_by_policy(case, today) & STATE_REASONS:
            said = refusal(reason, order_id=ORDER_ID)
            text = with_next_step(said, reason, facts_of(case), today, SOURCE)
            checked += 1
            if status == "cancelled":  # nothing is left to do: no step is offered
                assert text == said, (case.name, reason, text)
            else:
                assert text != said, (case.name, reason)
    assert checked, f"no {status} order is refused anything for its state: nothing checked"
