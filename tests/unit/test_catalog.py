"""Product search and recommendations: constraints parsed, prices and stock from the database."""

import pytest
from sqlalchemy import update

from shopassist.knowledge.catalog import find_product, recommend
from shopassist.knowledge.constraints import parse_query
from shopassist.store.db import session_scope
from shopassist.store.models import Product


@pytest.mark.parametrize(
    "text, words, low, high",
    [
        ("wireless headphones under 100 dollars", "wireless headphones", None, 10000),
        ("a hoodie for $40", "a hoodie", None, 4000),
        ("shoes for running", "shoes for running", None, None),
        ("speaker between 50 and 120 dollars", "speaker", 5000, 12000),
        ("jacket $50-$100", "jacket", 5000, 10000),
        ("headphones over $200", "headphones", 20000, None),
        ("kettle below 29.99", "kettle", None, 2999),
        ("something nice", "something nice", None, None),
    ],
)
def test_price_constraints_are_read(text, words, low, high):
    query = parse_query(text)
    assert (query.words, query.min_cents, query.max_cents) == (words, low, high)


def test_recommendations_fit_the_request_and_come_from_the_database(use_db):
    with session_scope() as session:
        query, found = recommend(session, "wireless headphones under 100 dollars")
        assert found, "the demo catalog has wireless headphones under $100"
        for product in found:
            row = session.get(Product, product.id)
            assert row.price_cents <= 10000 and row.stock > 0
            assert product.price == f"${row.price_cents / 100:.2f}"
        assert "Headphones" in found[0].name or "Earbuds" in found[0].name
        assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_out_of_stock_products_are_not_recommended_but_can_be_looked_up(use_db):
    with session_scope() as session:
        _, before = recommend(session, "running shoes")
        best = before[0]
        session.execute(update(Product).where(Product.id == best.id).values(stock=0))
    try:
        with session_scope() as session:
            _, after = recommend(session, "running shoes")
            assert best.id not in {p.id for p in after}
            looked_up = find_product(session, best.name)
            assert looked_up.id == best.id and not looked_up.in_stock
    finally:
        with session_scope() as session:
            session.execute(update(Product).where(Product.id == best.id).values(stock=best.stock))


def test_nonsense_finds_nothing(use_db):
    with session_scope() as session:
        assert recommend(session, "xqzt vbnm")[1] == []
        assert find_product(session, "") is None
