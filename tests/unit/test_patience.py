"""Forms stop asking after three unusable answers in a row, and the next action says so."""

from actions.identity import ValidateOrderLookupForm
from actions.orders import ActionOrderStatus
from actions.patience import GAVE_UP, MAX_MISSES
from actions.returns import ValidateReturnForm
from tests.actions_kit import make_tracker, run, verified

FORM = "order_lookup_form"


def answer(slots, text, form=FORM, validator=ValidateOrderLookupForm, slot="order_id"):
    tracker = make_tracker(
        {"requested_slot": slot, **slots}, new_slots={slot: text}, active_loop=form, text=text
    )
    return run(validator(), tracker)


def test_three_unusable_order_numbers_end_the_questions():
    slots = {}
    for attempt in range(1, MAX_MISSES + 1):
        result = answer(slots, "my order from tuesday")
        assert result.slots["form_misses"] == attempt
        assert "doesn't look like an order number" in result.text
        slots["form_misses"] = result.slots["form_misses"]
    assert result.slots["form_gave_up"] is True
    assert result.slots["requested_slot"] is None  # nothing more to ask


def test_a_usable_answer_resets_the_count(use_db):
    result = answer({"form_misses": 2.0}, "100234")
    assert result.slots["form_misses"] == 0.0 and "form_gave_up" not in result.slots


def test_the_return_form_gives_up_on_items_it_cannot_place(use_db):
    slots = verified("100235", use_db, order_request="start_return")
    for _ in range(MAX_MISSES):
        result = answer(
            slots, "the purple elephant", "return_form", ValidateReturnForm, "return_items"
        )
        slots["form_misses"] = result.slots["form_misses"]
    assert result.slots["form_gave_up"] is True and result.slots["requested_slot"] is None


def test_the_action_after_the_form_says_so_and_resets(use_db):
    slots = verified("100234", use_db, form_gave_up=True, form_misses=3.0)
    result = run(ActionOrderStatus(), make_tracker(slots))
    assert result.text == GAVE_UP
    assert result.slots["form_gave_up"] is None and result.slots["form_misses"] == 0.0
