"""Each served language in the web chat, picked in the chat's language menu: an order's
status after the identity check (order number, then e-mail), and a policy question
answered from that language's help pages (data/knowledge/<code>/).

The messages are the customers' own from tests/test_stories_<code>.yml; the expected words
are the shop's in shopassist/language/replies/<code>.yml (the e-mail question),
shopassist/language/messages/<code>.yml (the order card) and the help pages (the answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.test_web_chat import ANNA, REPLY_TIMEOUT, open_chat, send
from tests.servers import ROOT

ORDER = "100234"  # Anna Becker's, shipped (the seeded demo database)


@dataclass(frozen=True)
class Language:
    code: str
    menu: str  # the language's name in the chat's menu
    ask_order: str
    give_email: str
    asks_email: str  # part of the e-mail question
    card_title: str
    card_status: str
    card_carrier: str  # the carrier row's label
    question: str  # how long returns are open
    answer_opens: str  # the help page's sentence that answers it


LANGUAGES = [
    Language(
        "en", "English", f"where is my order {ORDER}?", ANNA, "e-mail address",
        f"Order #{ORDER}", "Shipped", "Carrier",
        "how long do I have to return stuff?",
        "You can return items within 30 days of delivery.",
    ),
    Language(
        "de", "Deutsch",
        f"Könnten Sie mir bitte sagen, wo meine Bestellung {ORDER} gerade ist?",
        f"Bestellt habe ich mit {ANNA}.", "E-Mail-Adresse",
        f"Bestellung #{ORDER}", "Versandt", "Versand mit",
        "Wie viele Tage habe ich Zeit, um etwas zurückzugeben?",
        "Sie können Artikel innerhalb von 30 Tagen nach der Zustellung zurückgeben.",
    ),
    Language(
        "fr", "Français",
        f"Pourriez-vous me dire où en est ma commande {ORDER}, s'il vous plaît ?",
        f"J'ai commandé avec l'adresse {ANNA}", "adresse e-mail",
        f"Commande #{ORDER}", "Expédiée", "Transporteur",
        "J'ai combien de jours pour renvoyer un article ?",
        "Vous pouvez retourner vos articles dans les 30 jours suivant la livraison.",
    ),
    Language(
        "es", "Español",
        f"¿Me podría decir dónde está mi pedido {ORDER}, por favor?",
        f"Lo hice con {ANNA}", "correo electrónico",
        f"Pedido #{ORDER}", "Enviado", "Transportista",
        "¿Cuántos días tengo para devolver un producto?",
        "Puede devolver artículos en un plazo de 30 días desde la entrega.",
    ),
    Language(
        "zh", "中文", f"请问我的订单{ORDER}现在到哪里了？", f"下单用的邮箱是 {ANNA}", "邮箱地址",
        f"订单 #{ORDER}", "已发货", "承运商",
        "收到货以后多少天内可以退货？",
        "您可以在签收后 30 天内退货。",
    ),
]  # fmt: skip


def help_page(code: str, name: str) -> str:
    """A help page's text with its lines joined, as the answers quote it."""
    folder = ROOT / "data" / "knowledge" / ("" if code == "en" else code)
    text = re.sub(r"<!--.*?-->", " ", (folder / name).read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", text)


def sentences(text: str):
    """The sentences of a reply (each ends in . ! ? or 。！？)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|(?<=[。！？])", text) if s.strip()]


@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_a_customer_checks_an_order_and_asks_a_policy_question_in_their_language(
    stack, new_page, language
):
    page = new_page(f"language-{language.code}")
    open_chat(page, stack["url"])  # an English page
    page.get_by_test_id("chat-language").select_option(label=language.menu)
    bots = page.get_by_test_id("msg-bot")

    # Order status: the number in the question, then the e-mail it was placed with.
    send(page, language.ask_order)
    expect(bots.last).to_contain_text(language.asks_email)
    send(page, language.give_email)
    card = page.get_by_test_id("order-card")
    expect(card).to_have_count(1, timeout=REPLY_TIMEOUT)
    expect(card.locator(".sa-card-title")).to_have_text(language.card_title)
    expect(card.get_by_test_id("order-card-status")).to_contain_text(language.card_status)
    expect(card).to_contain_text(language.card_carrier)

    # A policy question: answered in sentences of that language's help page.
    send(page, language.question)
    answer = bots.filter(has_text=language.answer_opens).locator(".sa-bubble")
    expect(answer).to_have_count(1)
    page_text = help_page(language.code, "returns.md")
    shown = sentences(re.sub(r"\s+", " ", answer.inner_text()))
    assert shown and all(s in page_text for s in shown), shown
