import pytest

from shopassist.store.identifiers import normalise_email, normalise_order_id


@pytest.mark.parametrize(
    "text",
    [
        "100234",
        "#100234",
        "# 100234",
        "ORD-100234",
        "ord 100234",
        "ord100234",
        "order 100234",
        "Order #100234",
        "order no. 100234",
        "order number 100234",
        " 100234 ",
    ],
)
def test_common_order_number_forms_become_one_id(text):
    assert normalise_order_id(text) == "100234"


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "10023", "1002345", "abc", "100234abc", "#", "100 234", "💥", "x" * 20000],
)
def test_anything_else_is_not_an_order_number(text):
    assert normalise_order_id(text) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Anna.Becker@Example.com", "anna.becker@example.com"),
        (" j_smith+shop@mail.example.co.uk. ", "j_smith+shop@mail.example.co.uk"),
        ("<ben.carter@example.com>", "ben.carter@example.com"),
    ],
)
def test_email_addresses_are_normalised(text, expected):
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "anna",
        "anna@",
        "@example.com",
        "anna@example",
        "a b@example.com",
        "x" * 250 + "@example.com",
        "anna@example.com' OR '1'='1",
    ],
)
def test_non_addresses_are_rejected(text):
    assert normalise_email(text) is None


def test_new_orders_get_random_unused_numbers_not_the_next_in_line(db_url):
    """Knowing one's own order number must tell nothing about anybody else's."""
    from datetime import datetime

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from shopassist.store.db import get_engine
    from shopassist.store.models import Customer, Order

    with Session(get_engine(db_url)) as session:  # rolled back: the seeded data stays
        before = set(session.execute(select(Order.id)).scalars())
        customer = session.execute(select(Customer).order_by(Customer.id)).scalars().first()
        orders = [
            Order(
                customer=customer, status="paid", placed_at=datetime(2026, 11, 23), total_cents=100
            )
            for _ in range(30)
        ]
        session.add_all(orders)
        session.flush()
        numbers = [order.id for order in orders]
        assert session.execute(select(func.count(Order.id))).scalar() == len(before) + 30
        session.rollback()
    assert all(normalise_order_id(str(n)) == str(n) for n in numbers)  # six digits, as ever
    assert len(set(numbers)) == 30 and not set(numbers) & before
    steps = {b - a for a, b in zip(numbers, numbers[1:])}
    assert steps != {1} and max(numbers) - min(numbers) > 10_000  # spread, not a sequence
