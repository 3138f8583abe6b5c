"""The shop's rules at their boundaries."""

from datetime import date

import pytest

from shopassist.store import policy
from shopassist.store.policy import RefundLine

DELIVERED = date(2026, 10, 1)


def eligibility(
    today,
    status="delivered",
    returnable=True,
    ordered=2,
    returned=0,
    requested=1,
    reason="changed_mind",
):
    return policy.return_eligibility(
        status, DELIVERED, today, returnable, ordered, returned, requested, reason
    )


def test_return_window_day_30_yes_day_31_no():
    assert policy.last_return_day(DELIVERED) == date(2026, 10, 31)
    assert eligibility(date(2026, 10, 31)).allowed  # day 30
    late = eligibility(date(2026, 11, 1))  # day 31
    assert not late.allowed and late.reason == "window_closed"


def test_defects_after_the_window_go_to_warranty():
    assert eligibility(date(2026, 11, 1), reason="defective").reason == "warranty"


def test_who_pays_return_shipping():
    assert eligibility(date(2026, 10, 5)).fee_cents == policy.RETURN_SHIPPING_FEE_CENTS
    assert eligibility(date(2026, 10, 5), reason="damaged").fee_cents == 0
    assert eligibility(date(2026, 10, 5), reason="wrong_item").fee_cents == 0


def test_hygiene_items_only_when_faulty():
    assert eligibility(date(2026, 10, 5), returnable=False).reason == "not_returnable"
    assert eligibility(date(2026, 10, 5), returnable=False, reason="damaged").allowed


def test_partial_returns_count_what_was_already_returned():
    assert eligibility(date(2026, 10, 5), status="partially_returned", returned=1).allowed
    over = eligibility(date(2026, 10, 5), status="partially_returned", returned=1, requested=2)
    assert over.reason == "quantity"
    assert eligibility(date(2026, 10, 5), requested=0).reason == "quantity"


@pytest.mark.parametrize(
    "status", ["pending", "paid", "packed", "shipped", "out_for_delivery", "cancelled", "refunded"]
)
def test_only_delivered_orders_are_returned(status):
    assert eligibility(date(2026, 10, 5), status=status).reason == "not_delivered"


def test_unknown_reasons_are_refused():
    assert eligibility(date(2026, 10, 5), reason="bored").reason == "unknown_reason"


def test_cancellation_shipped_vs_packed():
    assert policy.cancellation("paid") == policy.Decision(True, "ok", 0)
    packed = policy.cancellation("packed")
    assert packed.allowed and packed.fee_cents == policy.CANCELLATION_FEE_PACKED_CENTS
    assert policy.cancellation("shipped") == policy.Decision(False, "already_shipped")
    assert policy.cancellation("delivered").reason == "already_shipped"
    assert policy.cancellation("cancelled").reason == "already_cancelled"


def test_address_change_cutoff_is_packing():
    assert policy.address_change("paid").allowed
    assert policy.address_change("packed").reason == "past_cutoff"
    assert policy.address_change("cancelled").reason == "cancelled"


def test_refund_amounts():
    lines = [RefundLine(4999, 1), RefundLine(1000, 2)]
    assert policy.refund_amount_cents(lines, "changed_mind", 695) == 6999 - 695
    assert (
        policy.refund_amount_cents(lines, "damaged", 0, shipping_paid_cents=500, whole_order=True)
        == 7499
    )
    assert policy.refund_amount_cents(lines, "damaged", 0, shipping_paid_cents=500) == 6999
    assert policy.refund_amount_cents([RefundLine(300, 1)], "changed_mind", 695) == 0


def test_refunds_are_due_five_business_days_after_receipt():
    assert policy.refund_due_by(date(2026, 11, 20)) == date(2026, 11, 27)  # Fri -> next Fri
    assert policy.refund_due_by(date(2026, 11, 23)) == date(2026, 11, 30)  # Mon -> next Mon


@pytest.mark.parametrize(
    "status,reason",
    [
        ("pending", "ok"),
        ("paid", "ok"),
        ("packed", "past_cutoff"),  # the box is filled
        ("shipped", "past_cutoff"),
        ("out_for_delivery", "past_cutoff"),
        ("delivered", "past_cutoff"),
        ("partially_returned", "past_cutoff"),
        ("refunded", "past_cutoff"),
        ("cancelled", "cancelled"),
    ],
)
def test_items_change_until_packing(status, reason):
    decision = policy.item_change(status)
    assert decision == policy.Decision(reason == "ok", reason)


def test_removing_an_item_follows_the_cancellation_rule():
    # Removing a line is a cancellation of that line: free before packing, a fee once
    # packed (when quantity, colour and size can no longer change), refused once shipped.
    assert policy.cancellation("paid").fee_cents == 0 and policy.item_change("paid").allowed
    assert policy.cancellation("packed").allowed and not policy.item_change("packed").allowed
    assert not policy.cancellation("shipped").allowed


ETA = date(2026, 11, 10)


@pytest.mark.parametrize("status", ["shipped", "out_for_delivery"])
def test_lost_parcels_are_refunded_only_after_the_grace_period(status):
    grace = policy.LOST_PARCEL_GRACE_DAYS
    assert grace == 5
    last_wait = date(2026, 11, 15)  # estimated delivery + 5 days: still in transit
    assert policy.lost_parcel_refund(status, ETA, last_wait) == policy.Decision(False, "in_transit")
    assert policy.lost_parcel_refund(status, ETA, ETA).reason == "in_transit"
    assert policy.lost_parcel_refund(status, ETA, date(2026, 11, 16)) == policy.Decision(True, "ok")


@pytest.mark.parametrize(
    "status,reason",
    [
        ("pending", "not_shipped"),
        ("paid", "not_shipped"),
        ("packed", "not_shipped"),
        ("delivered", "delivered"),
        ("partially_returned", "delivered"),
        ("refunded", "already_refunded"),
        ("cancelled", "cancelled"),
    ],
)
def test_lost_parcel_refusals(status, reason):
    decision = policy.lost_parcel_refund(status, ETA, date(2027, 1, 1))  # long overdue
    assert decision == policy.Decision(False, reason)


def test_we_ship_to_every_seeded_country_and_the_listed_ones():
    from shopassist.store.seed import PLACES

    assert {country for _, _, country in PLACES} <= set(policy.SHIPPING_COUNTRIES)
    listed = {"US", "CA", "GB", "IE", "DE", "FR", "IT", "ES", "NL", "BE", "AT"}
    assert listed <= set(policy.SHIPPING_COUNTRIES)
    assert policy.SHIPPING_COUNTRIES["GB"] == "United Kingdom"
    assert "JP" not in policy.SHIPPING_COUNTRIES


def test_tax_is_included_in_prices_and_holds_drop_within_business_days():
    assert policy.included_tax_cents(10800) == 800
    assert policy.included_tax_cents(0) == 0
    assert policy.PAYMENT_HOLD_RELEASE_BUSINESS_DAYS == 5


@pytest.mark.parametrize(
    "written, code",
    [("GB", "GB"), ("United Kingdom", "GB"), ("Britain", "GB"), ("great britain", "GB"),
     ("the Netherlands", "NL"), ("Holland", "NL"), ("österreich", "AT"), ("usa.", "US"),
     ("Switzerland", None), ("", None)],
)  # fmt: skip
def test_a_shipping_country_is_known_by_its_code_name_or_alias(written, code):
    """One list of countries and their other names, for the address form and the NLU alike."""
    assert policy.country_code(written) == code
