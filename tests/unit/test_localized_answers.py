"""Order answers in the customer's language: the same facts, days and money in their locale,
and English exactly as it always was."""

from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_currency

from actions.confirm import done_message
from actions.orders import ActionOrderStatus
from shopassist.dialogue.replies import ADDRESS_HINT, refusal
from shopassist.formats import LOCALES, day, money
from shopassist.generation import phrase
from shopassist.generation.empathy import acknowledge
from shopassist.generation.order_answers import order_card, order_status_request
from shopassist.language.messages import message
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.changes import Outcome
from shopassist.store.db import session_scope
from shopassist.store.orders import STATUS_LABELS, OrderFacts, order_facts
from tests.actions_kit import DEMO_ORDERS, make_tracker, run

LANGUAGES = ("de", "fr", "es", "zh")


def english_before(facts: OrderFacts) -> str:
    """The English order status answer as it was written before it had other languages
    (for orders that are not late; late ones are checked by test_order_actions)."""
    label = STATUS_LABELS.get(facts.status, facts.status.replace("_", " "))
    lines = [f"Order #{facts.order_id}, placed on {day(facts.placed_on)}, is {label}."]
    if facts.carrier and facts.tracking_number:
        lines.append(f"Carrier: {facts.carrier}, tracking number {facts.tracking_number}.")
    if facts.delivered_on:
        lines.append(f"It was delivered on {day(facts.delivered_on)}.")
    elif facts.estimated_delivery and facts.status in {"shipped", "out_for_delivery"}:
        lines.append(f"Estimated delivery: {day(facts.estimated_delivery)}.")
    if facts.items:
        lines.append("Items: " + "; ".join(facts.items) + f" (total {facts.total}).")
    return " ".join(lines)


def demo_facts(db_url):
    with session_scope(db_url) as session:
        return [order_facts(session, str(number)) for number in sorted(DEMO_ORDERS)]


def test_days_and_money_in_each_locale():
    assert day(date(2026, 11, 5)) == "5 Nov 2026" and money(129998) == "$1,299.98"
    assert day(date(2026, 11, 5), "de") == "5. November 2026"
    assert day(date(2026, 11, 5), "fr") == "5 novembre 2026"
    assert day(date(2026, 11, 5), "es") == "5 de noviembre de 2026"
    assert day(date(2026, 11, 5), "zh") == "2026年11月5日"
    assert money(129998, "USD", "de") == "1.299,98\xa0$"
    assert money(129998, "USD", "zh") == "US$1,299.98"
    assert money(5, "EUR", "fr") == "0,05\xa0€"
    assert day(date(2026, 11, 5), "it") == "5 Nov 2026"  # not served: the shop's English


def test_english_order_answers_are_unchanged(use_db, db_url):
    today = date(2026, 11, 1)  # before every estimate: no parcel is late
    for facts in demo_facts(db_url):
        assert order_status_request(facts, today).template == english_before(facts)
        assert order_status_request(facts, today, "en").template == english_before(facts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_seeded_order_in_each_language_keeps_its_facts(use_db, db_url, language):
    locale = LOCALES[language]
    for facts in demo_facts(db_url):
        request = order_status_request(facts, date(2026, 11, 1), language)
        text = request.template
        assert request.language == language and "{" not in text
        assert f"#{facts.order_id}" in text
        assert format_date(facts.placed_on, "long", locale=locale) in text
        assert format_currency(facts.total_cents / 100, facts.currency, locale=locale) in text
        assert message(f"status.{facts.status}", language) in text
        for value in request.facts.values():  # what a rephrasing would have to keep
            assert value in text
        for item in facts.items:
            assert item in text
        if facts.tracking_number:
            assert facts.tracking_number in text and facts.carrier in text
        assert "Order" not in text and "placed on" not in text


def test_a_late_parcel_in_german_names_its_days_in_german():
    facts = OrderFacts(
        order_id="100234",
        status="shipped",
        placed_on=date(2026, 11, 2),
        total="$129.98",
        items=["1 x Sonora Wireless Over-Ear Headphones (black)"],
        carrier="UPS",
        tracking_number="1Z50376802762517",
        estimated_delivery=date(2026, 11, 5),
        total_cents=12998,
    )
    request = order_status_request(facts, date(2026, 11, 7), "de")
    assert request.template == (
        "Ihre Bestellung #100234 vom 2. November 2026 ist versandt. Versanddienstleister: UPS, "
        "Sendungsnummer 1Z50376802762517. Die Sendung ist überfällig: sie hätte am "
        "5. November 2026 ankommen sollen. Pakete verspäten sich manchmal um ein paar Tage; "
        "ist es nach dem 10. November 2026 immer noch nicht da, gilt es als verloren und Sie "
        "erhalten eine volle Erstattung. Artikel: 1 x Sonora Wireless Over-Ear Headphones "
        "(black) (Gesamtbetrag 129,98\xa0$)."
    )
    assert request.facts["due"] == "5. November 2026"
    zh = order_status_request(facts, date(2026, 11, 3), "zh")
    assert zh.template.startswith(
        "您的订单 #100234（下单日期：2026年11月2日）当前状态：已发货。承运商"
    )
    assert "预计送达日期：2026年11月5日。" in zh.template
    card = order_card(facts, "fr")
    assert card["title"] == "Commande #100234" and card["status"] == "Expédiée"
    assert ["Livraison prévue", "5 novembre 2026"] in card["rows"]


class Rewriter:
    """A model that would rewrite any reply: only English replies go to it."""

    name = "fake"

    def generate(self, request):
        return "Your order has shipped."


def test_a_reply_in_another_language_is_the_template_not_a_model():
    facts = OrderFacts("100234", "paid", date(2026, 11, 2), "$5.00", ["1 x Mug"], total_cents=500)
    request = order_status_request(facts, None, "es")
    reply = phrase(request, Rewriter())
    assert (reply.text, reply.source, reply.check) == (request.template, "template", "none")


def test_refusals_confirmations_and_acknowledgements_in_the_customer_language():
    assert refusal("already_shipped", order_id="100234").startswith("Order #100234 has")
    assert refusal("address_invalid").endswith(ADDRESS_HINT)
    french = refusal("window_closed", "fr", order_id="100234")
    assert french == (
        "La commande #100234 a été livrée il y a plus de 30 jours, le délai de retour est "
        "donc dépassé."
    )
    assert "12 High Street, London, SW1A 1AA, GB" in refusal("address_invalid", "zh")
    assert refusal("no_such_reason", "es") == message("refusal.generic", "es")
    request = ChangeRequest("cancel_order", "100234", "k")
    outcome = Outcome(True, "", refund_cents=12998)
    assert done_message(request, outcome) == (
        "Done: order #100234 is cancelled. You'll get $129.98 back on your original payment method."
    )
    assert done_message(request, outcome, "zh") == (
        "已完成：订单 #100234 已取消。US$129.98 将退回至您的原付款方式。"
    )
    upset = acknowledge("Der Text.", "negative", -0.8, "Wo bleibt das?", "de")
    assert upset == message("opening.late", "de") + " Der Text."  # German words name it
    upset = acknowledge("Der Text.", "negative", -0.8, "Das ist eine Frechheit!", "de")
    assert upset == message("opening.other", "de") + " Der Text."


def test_the_status_action_answers_in_the_conversation_language(use_db, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    german = {
        "event": "user",
        "text": "Wo ist meine Bestellung?",
        "parse_data": {"language": {"code": "de", "clear": True}},
    }
    slots = {"order_id": "100234", "verified_order": "100234"}
    result = run(ActionOrderStatus(), make_tracker(slots, text="100234", events=[german]))
    assert result.text.startswith("Ihre Bestellung #100234 vom ")
    assert facts.tracking_number in result.text
    web = run(ActionOrderStatus(), make_tracker(slots, events=[german], channel="socketio"))
    assert web.messages[-1]["custom"]["data"]["order_card"]["title"] == "Bestellung #100234"
    locked = run(
        ActionOrderStatus(),
        make_tracker({"order_id": "100234", "identity_locked": True}, events=[german]),
    )
    assert locked.text == message("identity.locked", "de")


def test_translated_buttons_keep_the_payloads_the_forms_read():
    from actions.returns import ActionAskReturnReason

    french = {
        "event": "user",
        "text": "Je voudrais retourner un article",
        "parse_data": {"language": {"code": "fr", "clear": True}},
    }
    english = run(ActionAskReturnReason(), make_tracker()).messages[0]
    theirs = run(ActionAskReturnReason(), make_tracker(events=[french])).messages[0]
    assert (
        english["text"] == "What's the reason?"
        and theirs["text"] == "Quel est le motif du retour ?"
    )
    assert [b["title"] for b in english["buttons"]][:2] == ["It arrived damaged", "It's faulty"]
    assert [b["payload"] for b in theirs["buttons"]] == [b["payload"] for b in english["buttons"]]
    assert theirs["buttons"][0]["title"] == "Arrivé endommagé"


def test_payments_invoices_and_products_in_the_conversation_language(use_db, db_url):
    from actions.payments import ActionPaymentHelp, ActionSendInvoice
    from actions.products import details
    from shopassist.knowledge.catalog import ProductView

    spanish = {
        "event": "user",
        "text": "Necesito la factura de mi pedido",
        "parse_data": {"language": {"code": "es", "clear": True}},
    }
    with session_scope(db_url) as session:
        facts = order_facts(session, "100234")
    slots = {"order_id": "100234", "verified_order": "100234"}
    invoice = run(ActionSendInvoice(), make_tracker(slots, events=[spanish])).text
    english = run(ActionSendInvoice(), make_tracker(slots)).text
    assert english.startswith("Invoice ") and "\nShipping: $" in english
    assert invoice.startswith("Factura ") and "del pedido #100234, emitida el " in invoice
    assert format_currency(facts.total_cents / 100, "USD", locale="es_ES") in invoice
    help_text = run(ActionPaymentHelp(), make_tracker(intent="payment_pending", events=[spanish]))
    assert help_text.text == message("payment.pending", "es", days=5)
    product = ProductView(1, "Mug", "home", "kitchen", "$12.50", 1250, True, 3, ("red",), (), 24, 1)
    assert (
        details(product) == "Mug costs $12.50 and is in stock. Colours: red. Warranty: 24 months."
    )
    assert details(product, "de") == (
        "Mug kostet 12,50\xa0$ und ist auf Lager. Farben: rot. Garantie: 24 Monate."
    )


def test_request_buttons_have_words_in_each_language_and_the_same_payloads():
    from shopassist.dialogue.intents import OFFERS, SUGGESTIONS, button, suggestions

    assert button("human_handoff") == {"title": "Talk to a person", "payload": "/human_handoff"}
    assert SUGGESTIONS["order_status"] == "Where is my order?" and len(SUGGESTIONS) == 23
    assert OFFERS["start_return"] == "Start a return"
    assert button("start_return", "de") == {
        "title": "Rücksendung starten",
        "payload": "/start_return",
    }
    ranking = [{"name": "request_refund", "confidence": 0.6}]
    assert suggestions(ranking, "es") == [("request_refund", "Obtener un reembolso")]
    assert suggestions(ranking) == [("request_refund", "Get a refund")]
