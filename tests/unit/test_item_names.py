"""Which item a German, French, Spanish or Chinese customer means by their own words for it
("die Schuhe", "les écouteurs", "la licuadora", "那双鞋") in the return and item forms."""

import pytest

from shopassist.dialogue.choices import pick_lines
from shopassist.dialogue.item_names import stem, words
from shopassist.store.product_names import LANGUAGES, NAMES, names_in, product_type
from shopassist.store.seed import CATALOG

ORDER = [
    "1 x Stride Running Shoes (black, 42)",
    "1 x Sonora Studio Headphones (black)",
    "1 x Hearth High-Speed Blender (white)",
    "2 x Linenhouse Bath Towel Set (grey)",
]
# Two lines of headphones and two of shoes: the everyday word names two lines.
TWINS = [
    "1 x Sonora Studio Headphones (black)",
    "1 x Auralis Kids Headphones (red)",
    "1 x Stride Running Shoes (white, 40)",
    "1 x Trailhead Hiking Boots (green, 44)",
]


def test_every_catalog_product_has_names_in_every_other_served_language():
    types = [name for _, _, names, *_ in CATALOG for name in names]
    assert sorted(NAMES) == sorted(types)
    for kind, names in NAMES.items():
        for language in LANGUAGES:
            assert names.get(language), (kind, language)
            assert all(name and name == name.strip() for name in names[language]), kind


def test_an_order_line_is_of_its_catalog_type():
    assert product_type("1 x Stride Running Shoes (black, 42)") == "Running Shoes"
    assert product_type("1 x Voltix 65W USB-C Charger") == "65W USB-C Charger"
    assert product_type("Voltix Car Charger") == "Car Charger"  # not the longer "Charger"
    assert product_type("1 x Kettle Pro Ceramic Mug (white)") is None
    assert names_in("1 x Stride Running Shoes", "en") == ()
    assert "Schuhe" in names_in("1 x Stride Running Shoes", "de")


@pytest.mark.parametrize(
    "language,pairs",
    [
        ("de", [("Schuhe", "schuh"), ("Schuhen", "schuh"), ("Socken", "socke")]),
        ("fr", [("écouteurs", "écouteur"), ("couteaux", "couteau")]),
        ("es", [("cables", "cable"), ("cargadores", "cargador"), ("altavoces", "altavoz"),
                ("zapatos", "zapato"), ("auriculares", "auricular")]),
    ],
)  # fmt: skip
def test_a_word_and_its_plural_share_a_stem(language, pairs):
    for plural, singular in pairs:
        (plural_word,), (singular_word,) = words(plural), words(singular)
        assert stem(plural_word, language) == stem(singular_word, language), plural


@pytest.mark.parametrize(
    "language,text,expected",
    [
        ("de", "die Schuhe", [0]),
        ("de", "den Schuh", [0]),
        ("de", "die Laufschuhe bitte", [0]),
        ("de", "die Kopfhörer", [1]),
        ("de", "Kopfhoerer", [1]),
        ("de", "den Mixer", [2]),
        ("de", "die Handtücher", [3]),
        ("de", "das Badetuch", [3]),
        ("fr", "les chaussures", [0]),
        ("fr", "la chaussure", [0]),
        ("fr", "les écouteurs", [1]),
        ("fr", "l'écouteur", [1]),
        ("fr", "le casque", [1]),
        ("fr", "le mixeur", [2]),
        ("fr", "les serviettes", [3]),
        ("es", "los zapatos", [0]),
        ("es", "las zapatillas", [0]),
        ("es", "los auriculares", [1]),
        ("es", "el auricular", [1]),
        ("es", "la licuadora", [2]),
        ("es", "las toallas", [3]),
        ("zh", "那双鞋", [0]),
        ("zh", "鞋子", [0]),
        ("zh", "这个耳机", [1]),
        ("zh", "搅拌机", [2]),
        ("zh", "浴巾", [3]),
    ],
)
def test_an_item_is_picked_by_its_name_in_the_customers_language(language, text, expected):
    assert pick_lines(text, ORDER, language=language) == expected
    assert pick_lines(text, ORDER, many=True, language=language) == expected


@pytest.mark.parametrize(
    "language,text",
    [
        ("de", "die Lampe"),  # not in the order
        ("de", "den Wasserkocher"),
        ("fr", "la bouilloire"),
        ("fr", "les chaussettes"),
        ("es", "la lámpara"),
        ("es", "el reloj"),
        ("zh", "那个台灯"),
        ("zh", "手表"),
    ],
)
def test_a_product_not_in_the_order_is_no_pick(language, text):
    assert pick_lines(text, ORDER, language=language) is None
    assert pick_lines(text, ORDER, many=True, language=language) is None


@pytest.mark.parametrize(
    "language,text",
    [
        ("de", "die Kopfhörer"),
        ("de", "die Schuhe"),
        ("fr", "le casque"),
        ("fr", "les chaussures"),
        ("es", "los auriculares"),
        ("es", "los zapatos"),
        ("zh", "那副耳机"),
        ("zh", "那双鞋"),
    ],
)
def test_a_word_that_names_two_lines_is_asked_again(language, text):
    assert pick_lines(text, TWINS, language=language) is None


@pytest.mark.parametrize(
    "language,text,expected",
    [
        ("de", "die Kinderkopfhörer", [1]),
        ("de", "die Wanderschuhe", [3]),
        ("fr", "les chaussures de randonnée", [3]),
        ("fr", "le casque pour enfants", [1]),
        ("es", "las botas", [3]),
        ("es", "los auriculares para niños", [1]),
        ("zh", "跑鞋", [2]),
        ("zh", "儿童耳机", [1]),
    ],
)
def test_the_specific_name_tells_the_twins_apart(language, text, expected):
    assert pick_lines(text, TWINS, language=language) == expected


@pytest.mark.parametrize(
    "language,text",
    [
        ("de", "die Schuhe und die Kopfhörer"),
        ("fr", "les chaussures et le casque"),
        ("es", "los zapatos y los auriculares"),
        ("zh", "鞋子和耳机"),
    ],
)
def test_two_items_in_the_customers_language(language, text):
    assert pick_lines(text, ORDER, many=True, language=language) == [0, 1]


def test_the_names_are_those_of_the_conversations_language():
    # A German word in an English conversation is no pick (the form asks again); English
    # names and positions still count in every language.
    assert pick_lines("die Schuhe", ORDER) is None
    assert pick_lines("los zapatos", ORDER, language="de") is None
    assert pick_lines("the shoes", ORDER, language="de") == [0]
    assert pick_lines("2", ORDER, language="zh") == [1]


def test_stand_mixer_and_blender_in_german():
    # "Mixer" is German for a blender and the English name of the stand mixer: both lines.
    lines = ["1 x Kitchara Stand Mixer (red)", "1 x Hearth High-Speed Blender (white)"]
    assert pick_lines("den Mixer", lines, language="de") is None
    assert pick_lines("die Küchenmaschine", lines, language="de") == [0]
    assert pick_lines("den Standmixer", lines, language="de") == [1]
