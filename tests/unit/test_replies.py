"""Every refusal code the policy and the change services return has words of its own."""

import pytest

from shopassist.dialogue.replies import GENERIC, refusal

CODES = [
    # policy decisions
    "already_shipped", "already_cancelled", "cancelled", "past_cutoff", "not_delivered",
    "not_returnable", "window_closed", "warranty", "quantity", "unknown_reason",
    "in_transit", "delivered", "not_shipped", "already_refunded",
    # services (changes.py, item_changes.py)
    "not_found", "item_not_found", "already_removed", "quantity_up", "colour_unavailable",
    "size_unavailable", "unchanged", "address_invalid", "country_not_served",
]  # fmt: skip


@pytest.mark.parametrize("code", CODES)
def test_each_code_has_its_own_sentence(code):
    text = refusal(code, order_id="100234", estimated_delivery="25 Nov 2026")
    assert text != GENERIC and "{" not in text and "}" not in text
