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


@pytest.mark.parametrize(
    "text",
    ["alle", "Beide bitte", "tous les articles", "les deux", "todos", "ambos", "全部", "两个都退"],
)
def test_all_in_each_served_language(text):
    assert pick_lines(text, LINES, many=True) == [0, 1, 2]


@pytest.mark.parametrize(
    "text",
    [
        "den Hoodie und die Socks",
        "le hoodie et les socks",
        "el hoodie y los socks",
        "hoodie和socks",
    ],
)
def test_two_picks_joined_in_each_served_language(text):
    assert pick_lines(text, LINES, many=True) == [0, 1]


@pytest.mark.parametrize(
    "text,reason",
    [
        ("Es kam beschädigt an", "damaged"),
        ("der Bildschirm ist kaputt", "damaged"),
        ("funktioniert nicht mehr", "defective"),
        ("falscher Artikel geliefert", "wrong_item"),
        ("zu klein", "does_not_fit"),
        ("falsche Größe", "does_not_fit"),
        ("Ich habe es mir anders überlegt", "changed_mind"),
        ("nie angekommen", "never_arrived"),
        ("arrivé cassé", "damaged"),
        ("il ne fonctionne plus", "defective"),
        ("ce n'est pas ce que j'ai commandé", "wrong_item"),
        ("trop petit", "does_not_fit"),
        ("j'ai changé d'avis", "changed_mind"),
        ("jamais reçu", "never_arrived"),
        ("llegó roto", "damaged"),
        ("no funciona", "defective"),
        ("no es lo que pedí", "wrong_item"),
        ("me queda pequeño, no me va", "does_not_fit"),
        ("cambié de opinión", "changed_mind"),
        ("nunca llegó", "never_arrived"),
        ("收到就坏了", "damaged"),
        ("开不了机", "defective"),
        ("发错了", "wrong_item"),
        ("尺码不对，太小", "does_not_fit"),
        ("不想要了", "changed_mind"),
        ("一直没收到", "never_arrived"),
        ("Andere", "other"),
        ("autre", "other"),
        ("otro", "other"),
        ("其他", "other"),
    ],
)
def test_reasons_in_each_served_language(text, reason):
    assert parse_reason(text) == reason


@pytest.mark.parametrize(
    "text,condition",
    [
        ("noch originalverpackt", "unopened"),
        ("ungeöffnet", "unopened"),
        ("einmal getragen", "opened"),
        ("jamais ouvert", "unopened"),
        ("je l'ai porté une fois", "opened"),
        ("comme neuf mais déballé", "opened"),  # "like new" is used
        ("sin abrir", "unopened"),
        ("lo he usado", "opened"),
        ("未拆封", "unopened"),
        ("拆开试过", "opened"),
        ("beschädigt", "damaged"),
        ("abîmé", "damaged"),
    ],
)
def test_conditions_in_each_served_language(text, condition):
    assert parse_condition(text) == condition


@pytest.mark.parametrize(
    "text", ["bitte entfernen", "supprimez-le", "quítalo", "删除这个", "ya no lo quiero"]
)
def test_remove_it_in_each_served_language(text):
    assert parse_item_change(text, COLOURS, SIZES) == {"quantity": 0}


def test_english_words_that_look_like_other_languages_are_not_misread():
    assert parse_item_change("quite large", COLOURS, SIZES) == {"size": "L"}  # not "quita"
    assert parse_reason("hmm, tout") is None
