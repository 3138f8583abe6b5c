"""The actions behind policy questions and product questions, against a real database."""

import pytest

from actions.knowledge import HUMAN_BUTTONS, ActionAnswerQuestion, choose, human_buttons
from actions.products import ActionCompareProducts, ActionProductInfo, ActionRecommendProducts
from shopassist.generation.empathy import ACKNOWLEDGEMENT
from shopassist.generation.knowledge_answers import DONT_KNOW, KnowledgeReply
from shopassist.language.messages import message
from tests.actions_kit import make_tracker, run


def faq_tracker(text, curated=None, confidence=0.9, sentiment=None):
    tracker = make_tracker({"sentiment": sentiment}, intent="faq", text=text)
    if curated:
        tracker.latest_message["response_selector"] = {
            "default": {
                "response": {
                    "responses": [{"text": curated}],
                    "confidence": confidence,
                    "intent_response_key": "faq/return_policy",
                }
            }
        }
    return tracker


@pytest.fixture
def english_pages_only(monkeypatch):
    """As if no language had help pages of its own (data/knowledge/<language>/): the tests
    using it hold what happens without them (with them: test_knowledge_languages.py)."""
    monkeypatch.setattr("actions.knowledge.language_index", lambda language: None)


def test_a_policy_question_is_answered_from_the_help_pages():
    result = run(ActionAnswerQuestion(), faq_tracker("can i pay with apple pay?"))
    assert "Apple Pay" in result.text


def test_the_help_pages_answer_before_a_curated_answer():
    tracker = faq_tracker("how long do I have to return stuff", curated="Curated: 30 days.")
    text = run(ActionAnswerQuestion(), tracker).text
    assert "Curated" not in text and "30 days" in text


def test_without_the_help_pages_a_confident_curated_answer_still_answers(monkeypatch):
    def unreadable():
        raise OSError("the index can't be read")

    monkeypatch.setattr("actions.knowledge.get_index", unreadable)
    tracker = faq_tracker("how long do I have to return stuff", curated="Curated: 30 days.")
    assert run(ActionAnswerQuestion(), tracker).text == "Curated: 30 days."
    unsure = faq_tracker("how long do I have to return stuff", "Curated: 30 days.", 0.2)
    assert run(ActionAnswerQuestion(), unsure).text != "Curated: 30 days."


@pytest.mark.usefixtures("english_pages_only")
def test_in_another_language_the_curated_answer_comes_first_by_its_response_name():
    tracker = faq_tracker("wie lange habe ich für eine Rücksendung Zeit", curated="Curated.")
    tracker.events.append(
        {"event": "user", "parse_data": {"language": {"code": "de", "clear": True}}}
    )
    result = run(ActionAnswerQuestion(), tracker)
    # Rasa renders utter_faq/return_policy in the conversation's language (shopassist.nlg).
    assert [m.get("response") for m in result.messages] == ["utter_faq/return_policy"]
    assert result.messages[0].get("answered_by") == "curated"


def in_language(tracker, code):
    tracker.events.append(
        {"event": "user", "parse_data": {"language": {"code": code, "clear": True}}}
    )
    return tracker


@pytest.mark.usefixtures("english_pages_only")
def test_in_another_language_an_unsure_pick_still_searches_the_help_pages():
    tracker = faq_tracker("can i pay with apple pay?", "Curated.", confidence=0.2)
    text = run(ActionAnswerQuestion(), in_language(tracker, "de")).text
    # The English passage, after one line in German saying it is in English.
    note, answer = text.split("\n", 1)
    assert note == message("knowledge.in_english", "de")
    assert "Apple Pay" in answer


@pytest.mark.usefixtures("english_pages_only")
def test_in_another_language_the_offer_after_an_english_answer_is_in_that_language():
    tracker = faq_tracker("how long do I have to return stuff", "Curated.", confidence=0.2)
    result = run(ActionAnswerQuestion(), in_language(tracker, "fr"))
    assert result.text.startswith(message("knowledge.in_english", "fr") + "\n")
    assert result.messages[0]["buttons"] == [
        {"title": message("offer.start_return", "fr"), "payload": "/start_return"}
    ]


@pytest.mark.usefixtures("english_pages_only")
def test_in_another_language_not_sure_and_its_buttons_are_in_that_language():
    tracker = in_language(faq_tracker("who won the football world cup in 1954"), "zh")
    result = run(ActionAnswerQuestion(), tracker)
    assert (
        result.text
        == message("knowledge.not_sure", "zh")
        == "这个问题我不太确定，也不想随意猜测。我们客服团队的同事可以为您解答。"
    )
    buttons = result.messages[0]["buttons"]
    assert buttons == human_buttons("zh")
    assert [b["payload"] for b in buttons] == [b["payload"] for b in HUMAN_BUTTONS]
    assert [b["title"] for b in buttons] == ["转人工客服", "问点别的"]


def test_a_negative_message_is_acknowledged_first():
    tracker = faq_tracker("this is ridiculous, where do I find my invoice??", sentiment="negative")
    assert run(ActionAnswerQuestion(), tracker).text.startswith(ACKNOWLEDGEMENT)


def test_only_a_clearly_upset_message_gets_an_apology():
    # "don't fit" makes VADER's label negative (-0.28), not the customer upset.
    plain = faq_tracker(
        "how many days do I have to send back jeans that don't fit", sentiment="negative"
    )
    plain.latest_message["sentiment"] = {"label": "negative", "score": -0.2755}
    assert not run(ActionAnswerQuestion(), plain).text.startswith(ACKNOWLEDGEMENT)
    upset = faq_tracker("this is ridiculous, where is my refund??", sentiment="negative")
    upset.latest_message["sentiment"] = {"label": "negative", "score": -0.61}
    assert run(ActionAnswerQuestion(), upset).text.startswith(ACKNOWLEDGEMENT)


def test_nothing_close_in_the_help_pages_offers_a_person():
    result = run(ActionAnswerQuestion(), faq_tracker("who won the football world cup in 1954"))
    assert (
        result.text
        == DONT_KNOW
        == (
            "I'm not sure about that, and I'd rather not guess. A colleague from our customer "
            "service team can answer it."
        )
    )
    assert (
        result.messages[0]["buttons"]
        == HUMAN_BUTTONS
        == [
            {"title": "Talk to a person", "payload": "/human_handoff"},
            {"title": "Ask something else", "payload": "/out_of_scope"},
        ]
    )


def test_choose_prefers_generated_then_passage_then_unknown_then_curated():
    generated = KnowledgeReply("gen", "openai", 0.8, ())
    passage = KnowledgeReply("passage", "passage", 0.8, ())
    unknown = KnowledgeReply(DONT_KNOW, "unknown", 0.1, ())
    assert choose(generated, "cur")[:2] == ("gen", "openai")
    assert choose(passage, "cur")[:2] == ("passage", "passage")
    assert choose(passage, None)[:2] == ("passage", "passage")
    assert choose(unknown, "cur")[:2] == (DONT_KNOW, "unknown")  # the pages don't cover it
    assert choose(unknown, None) == (DONT_KNOW, "unknown", HUMAN_BUTTONS)
    assert choose(None, "cur")[:2] == ("cur", "curated")  # the help pages can't be read
    assert choose(None, None) == (None, None, [])


def test_choose_in_another_language_says_an_english_answer_is_english():
    note = message("knowledge.in_english", "es")
    generated = KnowledgeReply("gen", "openai", 0.8, ())
    passage = KnowledgeReply("passage", "passage", 0.8, ())
    unknown = KnowledgeReply(DONT_KNOW, "unknown", 0.1, ())
    assert choose(generated, "cur", "es") == (note + "\ngen", "openai", [])
    assert choose(passage, None, "es") == (note + "\npassage", "passage", [])
    assert choose(None, "cur", "es") == (note + "\ncur", "curated", [])
    assert choose(unknown, None, "es") == (
        message("knowledge.not_sure", "es"),
        "unknown",
        human_buttons("es"),
    )
    assert choose(passage, None, "en") == ("passage", "passage", [])


@pytest.mark.usefixtures("use_db")
class TestProducts:
    def test_recommendations_list_in_stock_products_with_prices(self):
        tracker = make_tracker(
            intent="product_recommendation", text="wireless headphones under $100"
        )
        result = run(ActionRecommendProducts(), tracker)
        assert "up to $100.00" in result.text and "$" in result.messages[0]["text"]
        assert result.messages[0]["buttons"]
        assert result.messages[0]["buttons"][0]["payload"].startswith('/product_info{"product": ')

    def test_no_fit_says_so(self):
        tracker = make_tracker(intent="product_recommendation", text="headphones under $1")
        assert "couldn't find anything in stock" in run(ActionRecommendProducts(), tracker).text

    def test_product_details_come_from_the_catalog(self):
        entities = [{"entity": "product", "value": "air fryer"}]
        tracker = make_tracker(
            intent="product_info", text="how much is the air fryer", entities=entities
        )
        text = run(ActionProductInfo(), tracker).text
        assert "Air Fryer costs $" in text and "Warranty:" in text

    def test_the_web_chat_gets_the_product_as_a_card_with_its_picture(self):
        entities = [{"entity": "product", "value": "wireless over-ear headphones"}]
        ask = dict(intent="product_info", text="tell me about the wireless over-ear headphones")
        rest = run(ActionProductInfo(), make_tracker(entities=entities, **ask))
        assert "Connection: wireless." in rest.text  # what a customer decides on
        assert not any(m.get("custom") for m in rest.messages)
        web = run(ActionProductInfo(), make_tracker(entities=entities, channel="socketio", **ask))
        (message,) = web.messages
        assert message["text"] == rest.text
        card = message["custom"]["data"]["product_card"]
        assert card["name"].endswith("Wireless Over-Ear Headphones") and card["price"] in rest.text
        assert card["picture"] == "/static/shop/img/headphones.svg"
        assert ["Connection", "wireless"] in card["rows"]
        assert card["stock"] == ("In stock" if card["in_stock"] else "Out of stock")

    def test_comparison_needs_two_products(self):
        one = make_tracker(
            intent="product_compare",
            text="compare the kettle",
            entities=[{"entity": "product", "value": "kettle"}],
        )
        assert "Which two products" in run(ActionCompareProducts(), one).text
        two = make_tracker(
            intent="product_compare",
            text="studio headphones or kids headphones",
            entities=[
                {"entity": "product", "value": "Auralis Studio Headphones"},
                {"entity": "product", "value": "Sonora Kids Headphones"},
            ],
        )
        text = run(ActionCompareProducts(), two).text
        assert "Auralis Studio Headphones costs" in text and "Sonora Kids Headphones costs" in text

    def test_a_database_outage_gets_a_useful_answer(self, monkeypatch):
        monkeypatch.setenv("SHOPASSIST_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
        tracker = make_tracker(intent="product_recommendation", text="a rain jacket")
        assert "can't reach our product catalog" in run(ActionRecommendProducts(), tracker).text


def test_a_rule_question_is_answered_first_then_the_request_is_offered():
    tracker = faq_tracker(
        "the blender came broken, will returning it cost me anything", "Curated: free."
    )
    result = run(ActionAnswerQuestion(), tracker)
    assert "order number?" not in result.text  # an answer from the help pages, no form
    assert result.messages[0]["buttons"] == [
        {"title": "Start a return", "payload": "/start_return"}
    ]
    assert result.messages[0]["answered_by"] == "passage"
    assert not result.events  # no form was started


def test_an_unknown_answer_offers_a_person_not_a_request():
    # The selector's topic is returns, but the help pages know nothing close: no offer to act.
    tracker = faq_tracker("who won the football world cup in 1954", "Curated.", confidence=0.1)
    result = run(ActionAnswerQuestion(), tracker)
    assert result.messages[0]["answered_by"] == "unknown"
    assert result.messages[0]["buttons"] == HUMAN_BUTTONS
