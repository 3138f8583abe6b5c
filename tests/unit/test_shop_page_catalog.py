"""The demo shop page shows the catalog the assistant answers from (shopassist/store/seed.py):
its products are the catalog's, at prices the catalog gives them, in the catalog's sizes.
A customer who picks a size the page offers must not be told the shop has no such size."""

import html
import re
from pathlib import Path

import pytest

from shopassist.nlu.lookups import KINDS
from shopassist.store.policy import RETURN_WINDOW_DAYS
from shopassist.store.seed import CATALOG, CLOTHING_SIZES, FREE_SHIPPING_FROM_CENTS, SHOE_SIZES

PAGE = Path(__file__).resolve().parents[2] / "shopassist/console/static/shop/index.html"
CARD = re.compile(
    r'<li class="product">.*?<h3>(?P<name>[^<]+)</h3>\s*'
    r'<p class="product-meta">(?P<meta>[^<]+)</p>\s*<p class="price">\$(?P<price>[\d.]+)</p>',
    re.S,
)


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _cards():
    return [
        {key: html.unescape(value) for key, value in card.groupdict().items()}
        for card in CARD.finditer(PAGE.read_text(encoding="utf-8"))
    ]


def _catalog_entry(shown: str):
    """The catalog row of the product the page names, by its name or a kind of it."""
    for category, _, names, _, prices, *_ in CATALOG:
        for name in names:
            if _fold(shown) in {_fold(name), *map(_fold, KINDS.get(name, ()))}:
                return category, prices
    return None


def test_the_page_shows_products():
    assert len(_cards()) >= 6


@pytest.mark.parametrize("card", _cards(), ids=lambda card: card["name"])
def test_each_product_on_the_page_is_in_the_catalog_at_a_price_it_can_have(card):
    entry = _catalog_entry(card["name"])
    assert entry is not None, f"{card['name']} is not in the catalog"
    category, (low, high) = entry
    # Prices are whole dollars in the catalog's range, less a cent (seed.build_products).
    assert low * 100 - 1 <= round(float(card["price"]) * 100) <= high * 100 - 1
    assert card["price"].endswith(".99")
    assert category in _fold(card["meta"].split("·")[0])  # "Home & Kitchen" is home


@pytest.mark.parametrize("card", _cards(), ids=lambda card: card["name"])
def test_the_sizes_on_the_page_are_the_catalogs(card):
    sizes = re.search(r"(?:sizes )?(\w+)–(\w+)", card["meta"])
    if sizes is None:
        return
    shown = (sizes.group(1), sizes.group(2))
    offered = SHOE_SIZES if shown[0].isdigit() else CLOTHING_SIZES
    assert shown == (offered[0], offered[-1])


def test_the_page_promises_the_shops_shipping_and_returns():
    text = PAGE.read_text(encoding="utf-8")
    (free_from, days) = re.findall(r"Free shipping from \$(\d+) · (\d+)-day returns", text)[0]
    assert int(free_from) * 100 == FREE_SHIPPING_FROM_CENTS
    assert int(days) == RETURN_WINDOW_DAYS
