"""Order answers: database facts, rephrased only if every fact survives and nothing is added."""

from datetime import date, timedelta

import pytest

from shopassist.generation import get_generator, phrase
from shopassist.generation.order_answers import order_status_reply, order_status_request
from shopassist.store.orders import OrderFacts

FACTS = OrderFacts(
    order_id="100234",
    status="shipped",
    placed_on=date(2026, 11, 20),
    total="$129.98",
    items=["1 x Sonora Wireless Over-Ear Headphones (black)"],
    carrier="UPS",
    tracking_number="1Z50376802762517",
    estimated_delivery=date(2026, 11, 25),
)


@pytest.fixture(autouse=True)
def before_the_estimate(monkeypatch):
    """The rephrasing tests look at a parcel on its way, not a late one."""
    monkeypatch.setenv("SHOPASSIST_TODAY", "2026-11-22")


class FakeGenerator:
    """Stands in for an LLM backend: returns a fixed text, or raises."""

    name = "fake"

    def __init__(self, text=None, error=None):
        self.text, self.error = text, error

    def generate(self, request):
        if self.error:
            raise self.error
        return self.text


def test_template_reply_states_every_fact():
    reply = order_status_reply(FACTS, get_generator("template"))
    assert reply.source == "template" and reply.check == "none"
    for fact in ("100234", "shipped", "UPS", "1Z50376802762517", "25 Nov 2026", "$129.98"):
        assert fact in reply.text


def test_a_faithful_rephrasing_is_used():
    text = (
        "Good news: order 100234 has shipped! UPS is bringing it, tracking number "
        "1Z50376802762517, expected 25 Nov 2026."
    )
    reply = order_status_reply(FACTS, FakeGenerator(text))
    assert reply == type(reply)(text, "fake", "passed", "fake")


def test_a_rephrasing_that_changes_a_fact_falls_back_to_the_template():
    wrong_tracking = (
        "Order 100234 has shipped with UPS, tracking 1Z99999999999999, due 25 Nov 2026."
    )
    reply = order_status_reply(FACTS, FakeGenerator(wrong_tracking))
    assert reply.source == "template"
    assert reply.text == order_status_request(FACTS).template
    assert (reply.check, reply.model) == ("failed", "fake")  # the model whose text was refused


FAITHFUL = (
    "Your order #100234 from 20 Nov 2026 is shipped with UPS (tracking number "
    "1Z50376802762517) and should arrive by 25 Nov 2026."
)


@pytest.mark.parametrize(
    "added",
    [
        " We have refunded the shipping cost.",  # an action nobody took
        " It will arrive tomorrow.",  # a promise the database does not make
        " Estimated delivery: 27 Nov 2026.",  # a second date, not the order's
        " Express delivery is free.",  # a claim about something else
    ],
)
def test_a_rephrasing_that_keeps_every_fact_but_adds_one_falls_back(added):
    """Keeping the facts is not enough: the checker reads the rest against the database's
    facts (the template), as it reads a knowledge answer against the help pages."""
    assert order_status_reply(FACTS, FakeGenerator(FAITHFUL)).text == FAITHFUL
    reply = order_status_reply(FACTS, FakeGenerator(FAITHFUL + added))
    assert reply.source == "template" and reply.text == order_status_request(FACTS).template


def test_a_failing_or_empty_generator_falls_back_to_the_template():
    template = order_status_request(FACTS).template
    for generator in (FakeGenerator(error=TimeoutError()), FakeGenerator("   "), FakeGenerator()):
        reply = phrase(order_status_request(FACTS), generator)
        assert reply.text == template and reply.check == "none"  # no text: nothing checked


def test_an_overlong_rephrasing_is_rejected():
    text = order_status_request(FACTS).template + " blah" * 400
    assert order_status_reply(FACTS, FakeGenerator(text)).source == "template"


def test_unknown_backend_names_are_refused_clearly():
    import pytest

    with pytest.raises(ValueError, match="SHOPASSIST_GENERATOR"):
        get_generator("gpt-17")


@pytest.mark.parametrize(
    "today,expected",
    [
        ("2026-11-25", "Estimated delivery: 25 Nov 2026."),  # due today: not late yet
        ("2026-11-27", "It is late: it was due on 25 Nov 2026."),
        ("2026-11-27", "if it still hasn't arrived after 30 Nov 2026, it counts as lost"),
        ("2026-12-01", "now counts as lost, so you can have a full refund"),
    ],
)
def test_a_late_parcel_is_called_late_with_what_happens_now(monkeypatch, today, expected):
    monkeypatch.setenv("SHOPASSIST_TODAY", today)
    reply = order_status_reply(FACTS, get_generator("template"))
    assert expected in reply.text


def test_the_lost_parcel_date_follows_the_policy_grace_period():
    from shopassist.store import policy

    template = order_status_request(FACTS, date(2026, 11, 26)).template
    last_wait = date(2026, 11, 25) + timedelta(days=policy.LOST_PARCEL_GRACE_DAYS)
    assert f"after {last_wait.day} Nov 2026" in template or f"after {last_wait.day} Dec" in template
    assert not policy.lost_parcel_refund("shipped", date(2026, 11, 25), last_wait).allowed
    next_day = last_wait + timedelta(days=1)
    assert policy.lost_parcel_refund("shipped", date(2026, 11, 25), next_day).allowed


def test_a_delivered_order_is_never_late():
    delivered = FACTS.__class__(
        **{**FACTS.__dict__, "status": "delivered", "delivered_on": date(2026, 11, 28)}
    )
    text = order_status_request(delivered, date(2026, 12, 20)).template
    assert "late" not in text and "delivered on 28 Nov 2026" in text
