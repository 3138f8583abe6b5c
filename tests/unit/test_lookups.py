"""data/nlu/lookups.yml is generated from the catalog and must stay in step with it."""

from __future__ import annotations

import pytest
import yaml

from shopassist.dialogue.choices import parse_address
from shopassist.nlu import lookups
from shopassist.store.policy import SHIPPING_COUNTRIES, country_code, country_spellings
from shopassist.store.seed import CATALOG, CLOTHING_SIZES, COLOURS, PLACES, SHOE_SIZES


def _committed() -> str:
    return lookups.OUTPUT.read_text(encoding="utf-8")


def _items(kind: str) -> dict:
    """{name: [entries]} for the `lookup` or `synonym` items of the committed file."""
    items = {}
    for item in yaml.safe_load(_committed())["nlu"]:
        if kind in item:
            lines = item["examples"].splitlines()
            assert all(line.startswith("- ") for line in lines), lines
            items[str(item[kind])] = [line[2:] for line in lines]
    return items


def test_the_committed_file_is_what_the_generator_writes_now():
    # A catalog change without regenerating fails here: run `.venv/bin/python -m
    # shopassist.nlu.lookups` and commit data/nlu/lookups.yml.
    assert _committed() == lookups.render()


def test_the_file_says_it_is_generated_and_how():
    head = "\n".join(_committed().splitlines()[:4])
    assert "GENERATED" in head and lookups.COMMAND in head
    assert "python -m shopassist.nlu.lookups" in lookups.COMMAND


def test_every_lookup_is_there_and_non_empty():
    tables = _items("lookup")
    assert list(tables) == list(lookups.LOOKUP_NAMES)
    assert all(tables.values())


def test_no_lookup_or_synonym_entry_is_empty_padded_or_duplicated():
    for items in (_items("lookup"), _items("synonym")):
        for name, entries in items.items():
            assert all(e and e == e.strip() for e in entries), name
            assert len(entries) == len(set(entries)), name
            assert entries == lookups._sorted(entries), name


def test_products_have_names_with_and_without_brand_and_kind_words():
    product = set(_items("lookup")["product"])
    assert {"Zip Hoodie", "Northline Zip Hoodie", "Urbanthread Zip Hoodie", "hoodie"} <= product
    assert {"Sonora Kids Headphones", "headphones", "blender", "t-shirt", "kettles"} <= product
    for _, _, names, brands, *_ in CATALOG:
        for name in names:
            assert name in product
            assert {f"{brand} {name}" for brand in brands} <= product


def test_every_catalog_product_has_its_kind_words():
    names = {name for _, _, names, *_ in CATALOG for name in names}
    assert set(lookups.KINDS) == names


def test_categories_colours_sizes_countries_and_cities_come_from_the_catalog():
    tables = {name: set(entries) for name, entries in _items("lookup").items()}
    for category, subcategory, *_ in CATALOG:
        assert {category, subcategory} <= tables["category"]
    assert {"speaker", "speakers", "shoe", "shoes", "jeans", "kitchen"} <= tables["category"]
    assert set(COLOURS) | {"gray"} <= tables["colour"]
    assert set(CLOTHING_SIZES) | set(SHOE_SIZES) <= tables["size"]
    assert {"small", "medium", "large", "extra large"} <= tables["size"]
    assert set(SHIPPING_COUNTRIES) | set(SHIPPING_COUNTRIES.values()) <= tables["country"]
    assert {"USA", "UK"} <= tables["country"]
    assert {city for city, _, _ in PLACES} <= tables["city"]
    for code in SHIPPING_COUNTRIES:
        assert len(lookups.LARGEST_CITIES[code]) == 30, code
        assert set(lookups.LARGEST_CITIES[code]) <= tables["city"]


def test_synonyms_normalise_colours_sizes_and_countries():
    mapping = {
        alias.casefold(): value for value, aliases in _items("synonym").items() for alias in aliases
    }
    assert mapping["gray"] == "grey"
    assert mapping["medium"] == "M" and mapping["large"] == "L" and mapping["small"] == "S"
    assert mapping["extra large"] == "XL" and mapping["size 42"] == "42"
    assert mapping["usa"] == "US" and mapping["uk"] == "GB" and mapping["germany"] == "DE"
    assert {mapping[c.casefold()] for c in SHIPPING_COUNTRIES.values()} == set(SHIPPING_COUNTRIES)


def test_no_synonym_is_defined_twice_or_maps_to_itself():
    # Rasa's EntitySynonymMapper matches case-insensitively: one target per lower-cased alias.
    seen = {}
    for value, aliases in _items("synonym").items():
        for alias in aliases:
            assert alias.casefold() != value.casefold(), alias
            assert alias.casefold() not in seen, (alias, value, seen.get(alias.casefold()))
            seen[alias.casefold()] = value


def test_sizes_colours_and_countries_normalise_to_catalog_values():
    values = lookups.synonyms()
    for size in set(CLOTHING_SIZES) | set(SHOE_SIZES):
        assert size in values, size
    assert {"grey", "navy"} <= set(values) and {"grey", "navy"} <= set(COLOURS)
    assert set(SHIPPING_COUNTRIES) <= set(values)


def test_a_catalog_change_makes_the_committed_file_stale(monkeypatch):
    monkeypatch.setattr(lookups, "COLOURS", [*COLOURS, "teal"])
    assert "    - teal\n" in lookups.render()
    assert _committed() != lookups.render()


def test_main_writes_the_file_and_check_reports_a_stale_one(tmp_path, capsys):
    target = tmp_path / "lookups.yml"
    assert lookups.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == lookups.render()
    assert lookups.main(["--check", "--output", str(target)]) == 0
    target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    assert lookups.main(["--check", "--output", str(target)]) == 1
    assert lookups.COMMAND in capsys.readouterr().err


def _country_of_each_spelling() -> dict:
    """{spelling: ISO code} as the committed file's country lookup and synonyms read it."""
    synonym_of = {alias: value for value, aliases in _items("synonym").items() for alias in aliases}
    return {
        spelling: synonym_of.get(spelling, spelling) for spelling in _items("lookup")["country"]
    }


@pytest.mark.parametrize("spelling, code", sorted(_country_of_each_spelling().items()))
def test_the_address_form_takes_every_country_the_nlu_knows(spelling, code):
    """Both read one list (shopassist.store.policy): no "Britain" the NLU knows and the form
    refuses."""
    assert code in SHIPPING_COUNTRIES
    address = parse_address(f"12 High Street, London, SW1A 1AA, {spelling}")
    assert address is not None and address.country == code


def test_the_nlu_knows_every_country_the_address_form_takes():
    known = _country_of_each_spelling()
    for code in SHIPPING_COUNTRIES:
        for spelling in country_spellings(code):
            assert known.get(spelling) == code, spelling
            assert country_code(spelling) == code, spelling
    assert {known[s] for s in ("Britain", "UK", "England", "Great Britain")} == {"GB"}
    assert (known["Deutschland"], known["Holland"], known["Oesterreich"]) == ("DE", "NL", "AT")
