"""The structured slots read back: the dict written now, the JSON string conversations stored
before the slots were typed, and anything else as None without raising."""

import json

import pytest

from shopassist.dialogue import slot_values
from shopassist.dialogue.choices import Address, parse_address
from shopassist.store.change_requests import ChangeRequest

REQUEST = ChangeRequest("change_item", "100234", "key-1", {"item_id": 7, "size": "M"})
ADDRESS = Address("12 High Street", "London", "SW1A 1AA", "GB")

# (reader, what the action writes, what the reader returns)
WRITTEN = [
    (slot_values.item_change, {"size": "L", "colour": "navy"}, {"size": "L", "colour": "navy"}),
    (slot_values.item_change, {"quantity": 0}, {"quantity": 0}),
    (slot_values.return_items, slot_values.return_items_value({41: 2, 42: 1}), {41: 2, 42: 1}),
    (slot_values.return_items, slot_values.return_items_value({}), {}),
    (slot_values.new_address, slot_values.new_address_value(ADDRESS), ADDRESS),
    (slot_values.pending_change, REQUEST.as_dict(), REQUEST),
]


@pytest.mark.parametrize("reader,value,expected", WRITTEN)
def test_what_is_written_now_reads_back(reader, value, expected):
    assert reader(value) == expected


@pytest.mark.parametrize("reader,value,expected", WRITTEN)
def test_the_json_string_of_an_older_conversation_reads_the_same(reader, value, expected):
    assert reader(json.dumps(value, sort_keys=True)) == expected


def test_the_strings_stored_before_read_as_they_did():
    """Exactly as the validators of the text slots wrote them."""
    assert slot_values.return_items('{"41": 2, "42": 1}') == {41: 2, 42: 1}
    assert slot_values.item_change('{"size": "L"}') == {"size": "L"}
    stored = json.dumps(parse_address("12 High Street, London, SW1A 1AA").__dict__, sort_keys=True)
    assert slot_values.new_address(stored) == Address("12 High Street", "London", "SW1A 1AA", None)
    stored = '{"kind": "cancel_order", "order_id": "100234", "params": {}, "request_key": "k"}'
    assert slot_values.pending_change(stored) == ChangeRequest("cancel_order", "100234", "k")


def test_a_value_is_a_copy_not_the_slot_itself():
    written = {"quantity": 2}
    slot_values.item_change(written)["quantity"] = 5
    assert written == {"quantity": 2}


GARBAGE = [
    None,
    "",
    "size M please",  # a customer's words, before the validator read them
    "{",
    "{not json",
    "[1, 2]",
    "null",
    '"text"',
    '{"a": ' * 100_000,  # nesting deep enough to stop the JSON parser
    42,
    4.2,
    True,
    [],
    ["a"],
    {"a": 1},
    object(),
]


@pytest.mark.parametrize(
    "reader",
    [
        slot_values.item_change,
        slot_values.return_items,
        slot_values.new_address,
        slot_values.pending_change,
    ],
)
@pytest.mark.parametrize("value", GARBAGE, ids=lambda v: repr(v)[:20])
def test_garbage_reads_as_none(reader, value):
    assert reader(value) is None


@pytest.mark.parametrize(
    "value",
    [
        {"quantity": -1},
        {"quantity": "two"},
        {"quantity": True},
        {"quantity": None},
        {"size": 40},
        {"colour": ["navy"]},
        {"size": "M", "item_id": 3},  # only what changes on the line
    ],
)
def test_an_impossible_item_change_is_none(value):
    assert slot_values.item_change(value) is None
    assert slot_values.item_change(json.dumps(value)) is None


@pytest.mark.parametrize(
    "value", [{"x": 1}, {"1": -1}, {"1": "one"}, {"1": None}, {"1": 1.5}, {"1": [1]}]
)
def test_impossible_return_items_are_none(value):
    assert slot_values.return_items(value) is None


@pytest.mark.parametrize(
    "value",
    [
        {"line1": "12 High Street", "city": "London"},
        {"line1": "12 High Street", "city": "London", "postcode": 12345},
        {"line1": " ", "city": "London", "postcode": "SW1A 1AA"},
        {"line1": "1 A St", "city": "X", "postcode": "1", "country": 3},
        {"line1": "1 A St", "city": "X", "postcode": "1", "floor": "2"},
    ],
)
def test_an_incomplete_address_is_none(value):
    assert slot_values.new_address(value) is None


def test_an_address_without_a_country_leaves_it_to_the_order():
    value = {"line1": "1 A St", "city": "X", "postcode": "1", "country": None}
    assert slot_values.new_address(value).country is None


@pytest.mark.parametrize(
    "value",
    [
        {"kind": "delete_everything", "order_id": "1", "request_key": "k"},
        {"kind": "cancel_order", "order_id": "1"},
        {"kind": "cancel_order", "order_id": "1", "request_key": "k", "params": [1]},
    ],
)
def test_a_change_that_is_not_a_request_is_none(value):
    assert slot_values.pending_change(value) is None
