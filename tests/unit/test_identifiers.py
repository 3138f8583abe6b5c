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
