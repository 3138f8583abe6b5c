"""Reading free-text answers in forms: item picks, reasons, conditions, changes, addresses."""

import pytest

from shopassist.dialogue.choices import (
    parse_address,
    parse_condition,
    parse_item_change,
    parse_reason,
    pick_lines,
)

LINES = [
    "1 x Northline Zip Hoodie (navy, M)",
    "2 x Trailhead Wool Socks 3-Pack (grey, L)",
    "1 x Kettle Pro Ceramic Mug (white)",
]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("the hoodie", [0]),
        ("2", [1]),
        ("number 3", [2]),
        ("the second one", [1]),
        ("last", [2]),
        ("the mugs", [2]),
        ("Wool socks please", [1]),
    ],
)
def test_one_line_is_picked_by_name_number_or_position(text, expected):
    assert pick_lines(text, LINES) == expected


@pytest.mark.parametrize("text", ["", "   ", "the blender", "7", "something", None])
def test_unclear_picks_are_none_so_the_form_asks_again(text):
    assert pick_lines(text, LINES) is None


def test_ambiguous_pick_is_none():
    assert pick_lines("the navy one", ["1 x Zip Hoodie (navy)", "1 x Rain Jacket (navy)"]) is None


def test_several_lines_and_all():
    assert pick_lines("the hoodie and the mug", LINES, many=True) == [0, 2]
    assert pick_lines("all of them", LINES, many=True) == [0, 1, 2]
    assert pick_lines("both", LINES[:2], many=True) == [0, 1]
    assert pick_lines("all of them", LINES) is None  # one line wanted: "all" is not one


@pytest.mark.parametrize(
    "text,reason",
    [
        ("it arrived broken", "damaged"),
        ("screen is cracked", "damaged"),
        ("doesn't work anymore", "defective"),
        ("you sent me the wrong item", "wrong_item"),
        ("wrong size, too small", "does_not_fit"),
        ("I changed my mind", "changed_mind"),
        ("never arrived", "never_arrived"),
        ("wrong item", "wrong_item"),
        ("doesn't fit", "does_not_fit"),
        ("not as described", "wrong_item"),
        ("it's not like the pictured one", "wrong_item"),
        ("turns out i don't need them", "changed_mind"),
        ("i changed my mind on them", "changed_mind"),
    ],
)
def test_reasons(text, reason):
    assert parse_reason(text) == reason


def test_unknown_reason_is_none():
    assert parse_reason("hmm") is None and parse_reason(None) is None


@pytest.mark.parametrize(
    "text,condition",
    [
        ("still in the box", "unopened"),
        ("unopened", "unopened"),
        ("used it once", "opened"),
        ("opened but like new", "opened"),
        ("it's damaged", "damaged"),
    ],
)
def test_conditions(text, condition):
    assert parse_condition(text) == condition


SIZES = ["XS", "S", "M", "L", "XL"]
COLOURS = ["navy", "black", "grey"]


@pytest.mark.parametrize(
    "text,change",
    [
        ("size L please", {"size": "L"}),
        ("a medium", {"size": "M"}),
        ("XL", {"size": "XL"}),
        ("navy instead", {"colour": "navy"}),
        ("black in large", {"colour": "black", "size": "L"}),
        ("make it 2", {"quantity": 2}),
        ("just one", {"quantity": 1}),
        ("remove it", {"quantity": 0}),
    ],
)
def test_item_changes(text, change):
    assert parse_item_change(text, COLOURS, SIZES) == change


def test_options_the_product_lacks_are_not_read():
    assert parse_item_change("in red", COLOURS, SIZES) is None
    assert parse_item_change("size L", COLOURS, []) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12 High Street, London, SW1A 1AA, GB", ("12 High Street", "London", "SW1A 1AA", "GB")),
        ("Hauptstrasse 5, 10115 Berlin, Germany", ("Hauptstrasse 5", "Berlin", "10115", "DE")),
        ("45 Oak Avenue, Boston, 02108, USA", ("45 Oak Avenue", "Boston", "02108", "US")),
        ("45 Oak Avenue, Boston, 02108", ("45 Oak Avenue", "Boston", "02108", None)),
    ],
)
def test_addresses(text, expected):
    address = parse_address(text)
    assert (address.line1, address.city, address.postcode, address.country) == expected


@pytest.mark.parametrize(
    "text", ["London", "High Street, London", "12 High Street", "", "x" * 400, None]
)
def test_incomplete_addresses_are_none(text):
    assert parse_address(text) is None


def test_an_unknown_country_is_kept_as_written():
    assert parse_address("1 Rue X, Paris, 75001, Brazil").country == "Brazil"
