"""Every message an action sends says what wrote it: the shop's words, or a model's text the
checker passed, or the shop's words in place of a model's text it refused.

The model is the OpenAI-compatible backend against a fake endpoint (tests/fake_llm.py): what
it answers is set per test; everything inside the assistant is real.
"""

import pytest
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.authorship import AuthoredDispatcher
from actions.knowledge import ActionAnswerQuestion
from actions.orders import ActionListOrders, ActionOrderStatus
from actions.returns import ActionReturnStatus
from actions.support import ActionAskAffirmation
from shopassist.generation import get_generator, provenance
from shopassist.generation.order_answers import order_card
from shopassist.generation.prompts import REPHRASE_SYSTEM
from shopassist.store.db import session_scope
from shopassist.store.orders import order_facts
from shopassist.store.returns import order_refunds
from tests.actions_kit import make_tracker, run, verified
from tests.fake_llm import FakeLLM

MODEL = "shop-model-7b"
TEMPLATE_ORDER = {"generated_by": "template", "role": "order", "check": "none"}


def test_every_action_says_what_its_messages_are_for():
    executor = ActionExecutor()
    executor.register_package("actions")
    assert executor.actions, "no action registered: nothing to check"
    for name, run_action in executor.actions.items():
        role = getattr(run_action, "role", None) or getattr(run_action.__self__, "role", None)
        assert role in provenance.ROLES, f"{name}: decorate its run with @authored(role)"


def test_a_response_has_its_own_role_and_a_message_may_say_otherwise():
    collected = CollectingDispatcher()
    # Wrapped twice (a decorated run calling a decorated base's run): the wrapper the
    # sending code holds decides.
    dispatcher = AuthoredDispatcher(AuthoredDispatcher(collected, "order"), "form")
    dispatcher.utter_message(text="Which item?")
    dispatcher.utter_message(response="utter_handoff_because_upset")
    dispatcher.utter_message(text="The order system is down.", role="error")
    assert [(m["generated_by"], m["role"], m["check"]) for m in collected.messages] == [
        ("template", "form", "none"),
        ("template", "handoff", "none"),
        ("template", "error", "none"),
    ]
    assert dispatcher.messages is collected.messages


@pytest.fixture()
def model(monkeypatch):
    """The assistant's generator is a model behind an endpoint; `said` sets its answers."""
    said = {"answer": "", "added": ""}

    def reply(messages):
        if messages[0]["content"] == REPHRASE_SYSTEM:  # an order reply to reword
            return messages[1]["content"].replace("Order #", "Your order #", 1) + said["added"]
        return said["answer"]

    with FakeLLM(reply) as fake:
        monkeypatch.setenv("SHOPASSIST_GENERATOR", "openai")
        monkeypatch.setenv("SHOPASSIST_LLM_URL", fake.url)
        monkeypatch.setenv("SHOPASSIST_LLM_MODEL", MODEL)
        monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "5")
        get_generator.cache_clear()
        yield said
    get_generator.cache_clear()


def template_of(db_url, action, order_id):
    from shopassist.generation.order_answers import order_status_request, return_status_request

    with session_scope(db_url) as session:
        if action is ActionOrderStatus:
            return order_status_request(order_facts(session, order_id)).template
        return return_status_request(order_id, order_refunds(session, order_id)).template


ORDER_ANSWERS = [(ActionOrderStatus, "100234"), (ActionReturnStatus, "100401")]


@pytest.mark.usefixtures("use_db")
class TestOrderReplies:
    @pytest.mark.parametrize("action, order_id", ORDER_ANSWERS)
    def test_the_template_backend_sends_the_shops_words(self, db_url, action, order_id):
        get_generator.cache_clear()
        result = run(action(), make_tracker(verified(order_id, db_url)))
        (message,) = result.messages
        assert message["text"] == template_of(db_url, action, order_id)
        assert {k: message[k] for k in TEMPLATE_ORDER} == TEMPLATE_ORDER
        assert "rejected" not in message

    @pytest.mark.parametrize("action, order_id", ORDER_ANSWERS)
    def test_a_rephrasing_the_checker_passed_is_the_models(self, db_url, model, action, order_id):
        result = run(action(), make_tracker(verified(order_id, db_url)))
        (message,) = result.messages
        assert message["text"].startswith("Your order #" + order_id)
        assert (message["generated_by"], message["role"], message["check"]) == (
            MODEL,
            "rephrase",
            "passed",
        )

    @pytest.mark.parametrize("action, order_id", ORDER_ANSWERS)
    def test_a_rephrasing_the_checker_refused_leaves_the_template_and_names_the_model(
        self, db_url, model, action, order_id
    ):
        model["added"] = " We have refunded the shipping cost as well."  # an action never taken
        result = run(action(), make_tracker(verified(order_id, db_url)))
        (message,) = result.messages
        assert message["text"] == template_of(db_url, action, order_id)
        assert {k: message[k] for k in TEMPLATE_ORDER} == {**TEMPLATE_ORDER, "check": "failed"}
        assert message["rejected"] == MODEL

    def test_the_web_chats_order_card_is_the_shops_own(self, db_url, model):
        # The card comes with the (rephrased) text, built from the facts: never phrased.
        tracker = make_tracker(verified("100234", db_url), channel="socketio")
        (message,) = run(ActionOrderStatus(), tracker).messages
        with session_scope(db_url) as session:
            facts = order_facts(session, "100234")
        assert message["custom"]["data"]["order_card"] == order_card(facts)

    def test_an_unreachable_order_system_is_an_error(self, db_url):
        tracker = make_tracker(verified("100234", db_url, order_lookup_unavailable=True))
        (message,) = run(ActionListOrders(), tracker).messages
        assert (message["generated_by"], message["role"]) == ("template", "error")


QUESTION = "can i pay with apple pay?"


@pytest.mark.usefixtures("use_db")
class TestAnswers:
    def test_the_help_pages_words(self):
        get_generator.cache_clear()
        (message,) = run(ActionAnswerQuestion(), make_tracker(intent="faq", text=QUESTION)).messages
        assert "Apple Pay" in message["text"] and message["answered_by"] == "passage"
        assert (message["generated_by"], message["role"], message["check"]) == (
            "template",
            "answer",
            "none",
        )

    def test_an_answer_the_checker_passed_is_the_models(self, model):
        model["answer"] = "Yes, you can pay with Apple Pay."
        (message,) = run(ActionAnswerQuestion(), make_tracker(intent="faq", text=QUESTION)).messages
        assert message["text"] == model["answer"] and message["answered_by"] == "openai"
        assert (message["generated_by"], message["role"], message["check"]) == (
            MODEL,
            "answer",
            "passed",
        )

    def test_an_answer_the_checker_refused_leaves_the_shops_words(self, model):
        model["answer"] = "Yes, you can pay with Apple Pay and get 10% off."
        (message,) = run(ActionAnswerQuestion(), make_tracker(intent="faq", text=QUESTION)).messages
        assert "10%" not in message["text"] and message["answered_by"] == "passage"
        assert (message["generated_by"], message["role"], message["check"]) == (
            "template",
            "answer",
            "failed",
        )
        assert message["rejected"] == MODEL


def test_a_fallback_response_is_a_fallback():
    (message,) = run(ActionAskAffirmation(), make_tracker(text="blorp")).messages
    assert message["response"] == "utter_ask_rephrase"
    assert (message["generated_by"], message["role"], message["check"]) == (
        "template",
        "fallback",
        "none",
    )
