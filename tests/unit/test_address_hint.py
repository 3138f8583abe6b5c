"""One way of asking for an address: the form's question, its retries and the help page agree,
and the example they give is one the address form reads."""

from pathlib import Path

import pytest

from shopassist.dialogue.choices import parse_address
from shopassist.dialogue.replies import ADDRESS_FORMAT, ADDRESS_HINT, address_hint, refusal
from shopassist.language import replies
from shopassist.language.detector import SUPPORTED
from shopassist.language.messages import message_template
from shopassist.store.policy import SHIPPING_COUNTRIES
from tests.actions_kit import DOMAIN

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_in_the_hint_is_an_address_the_form_reads():
    example = ADDRESS_FORMAT.split("for example: ", 1)[1].rstrip(".")
    address = parse_address(example)
    assert address is not None and address.country in SHIPPING_COUNTRIES
    assert (address.line1, address.city, address.postcode) == (
        "12 High Street",
        "London",
        "SW1A 1AA",
    )


def test_the_question_and_the_help_page_say_what_the_hint_says():
    # domain.yml and the help page are data (changing the question retrains): this keeps
    # them in step with the one hint in shopassist.dialogue.replies.
    (question,) = [r["text"] for r in DOMAIN["responses"]["utter_ask_new_address"]]
    assert question.endswith(f"Please write it {ADDRESS_FORMAT}")
    help_page = (ROOT / "data" / "knowledge" / "orders.md").read_text(encoding="utf-8")
    assert f"the new address {ADDRESS_FORMAT}" in help_page


def test_a_refused_address_is_answered_with_the_hint():
    assert refusal("address_invalid").endswith(ADDRESS_HINT)


@pytest.mark.parametrize("language", [code for code in SUPPORTED if code != "en"])
def test_each_language_asks_for_the_address_as_its_hint_says(language):
    # The translated question is data too: it ends with that language's format, whose
    # example is the English one, written as the form reads it. White space folded: the
    # French replies put a no-break space before ":" and "?", its messages a plain one.
    address_format = message_template("address.format", language)
    question = replies.table(language)["utter_ask_new_address"]["text"]
    assert " ".join(question.split()).endswith(" ".join(address_format.split()))
    assert address_hint(language).endswith(address_format)
    example = ADDRESS_FORMAT.split("for example: ", 1)[1].rstrip(".")
    assert example in address_format
    assert refusal("address_invalid", language).endswith(address_hint(language))
