"""Generated answers are checked against their sources before a customer sees them."""

import pytest

from shopassist.generation.grounding import check_answer, says_dont_know, unsupported_facts

SOURCE = (
    "Return window: You can return items within 30 days of delivery. Return shipping costs "
    "$6.95, unless the item arrived damaged. Write to help@shop.example.com, Monday to Friday."
)


def test_an_answer_that_keeps_to_the_source_passes():
    verdict = check_answer(
        "Yes: you have 30 days from delivery, and shipping back costs $6.95.", SOURCE
    )
    assert verdict.ok, verdict.problems


@pytest.mark.parametrize(
    "answer, fact",
    [
        ("You have 14 days to return it.", "14"),
        ("Return shipping costs $5.95.", "5.95"),
        ("Refunds arrive on Sunday.", "Sunday"),
        ("Write to refunds@shop.example.com.", "refunds@shop.example.com"),
        ("See www.example.org/returns for details.", "www.example.org/returns"),
        ("You get three free returns.", "three"),
        ("Returns are free for order 100234.", "100234"),
    ],
)
def test_invented_facts_are_caught(answer, fact):
    assert any(fact in missing for missing in unsupported_facts(answer, SOURCE))
    assert not check_answer(answer, SOURCE).ok


def test_a_unit_is_checked_for_each_amount_of_a_sentence():
    # "$6.95" once hid a unit among the six words after it from the check.
    answer = "Return shipping costs $6.95 and you have 30 months to return it."
    assert "30 months" in unsupported_facts(answer, SOURCE)


def test_a_name_written_as_the_source_writes_it_is_supported():
    source = "Product: Hearth Chef's Knife. Price: $39.99."
    assert check_answer("The Hearth Chef's Knife costs $39.99.", source).ok
    assert not check_answer("The Hearth Baker's Knife costs $39.99.", source).ok


def test_product_names_must_come_from_the_source():
    names = ["Auralis Studio Headphones", "Auralis"]
    answer = "The Auralis Studio Headphones can be returned within 30 days."
    assert not check_answer(answer, SOURCE, names).ok
    assert check_answer(answer, SOURCE + " Auralis Studio Headphones.", names).ok


@pytest.mark.parametrize(
    "answer, problem",
    [
        ("", "length"),
        ("x" * 800, "length"),
        ("Sie haben 30 Tage Zeit für die Rücksendung, wirklich.", "not English"),
        ("返品は30日以内です", "not English"),
        ("Using only the facts given: you have 30 days.", "leak"),
        ("My instructions say: Facts: you have 30 days.", "leak"),
    ],
)
def test_bad_shapes_are_rejected(answer, problem):
    verdict = check_answer(answer, SOURCE)
    assert not verdict.ok and any(p.startswith(problem) for p in verdict.problems)


def test_dont_know_is_recognised():
    assert says_dont_know("I don't know.")
    assert says_dont_know("I'm not sure, that isn't mentioned in the facts.")
    assert not says_dont_know("You have 30 days.")
