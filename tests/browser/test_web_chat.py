"""The shop page's chat in Chromium: a signed-in order lookup, text shown as text, a reload,
a handoff answered by an agent in the console, and the server going away and coming back.
The server restart runs last: the other tests share the servers."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import AGENT, console_login
from tests.servers import wait_until_up

ANNA = "anna.becker@example.com"
REPLY_TIMEOUT = 60_000  # ms; a reply on a busy 2-core machine can take seconds


def open_chat(page, url: str):
    page.goto(url)
    if not page.get_by_test_id("chat-input").is_visible():
        page.get_by_test_id("chat-launcher").click()
    expect(page.get_by_test_id("chat-send")).to_be_enabled(timeout=REPLY_TIMEOUT)


def send(page, text: str) -> None:
    """Sends `text` and waits for the first reply that follows it."""
    bots = page.get_by_test_id("msg-bot")
    before = bots.count()
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("msg-user").last).to_contain_text(text)
    expect(bots).not_to_have_count(before, timeout=REPLY_TIMEOUT)


def sign_in(page, email: str) -> None:
    page.get_by_test_id("signin-select").select_option(email)
    page.get_by_test_id("signin-button").click()
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("Anna Becker")


def test_a_signed_in_customer_gets_their_order_once_as_a_card(stack, new_page):
    page = new_page("order")
    open_chat(page, stack["url"])
    # One welcome: the chat's own; the answer to a greeting does not introduce it again.
    expect(page.get_by_test_id("chat-welcome")).to_contain_text("I’m ShopAssist")
    send(page, "hi")
    expect(page.get_by_test_id("msg-bot").last).to_contain_text("What can I do for you?")
    expect(page.get_by_test_id("msg-bot").filter(has_text="ShopAssist")).to_have_count(0)
    sign_in(page, ANNA)
    send(page, "where is my order 100234?")
    card = page.get_by_test_id("order-card")
    expect(card).to_contain_text("Order #100234", timeout=REPLY_TIMEOUT)
    expect(card).to_contain_text("Shipped")
    expect(card).to_contain_text("Carrier")
    # Shown once: the card, not the paragraph as well.
    expect(card).to_have_count(1)
    expect(page.get_by_test_id("msg-bot").filter(has_text="is shipped")).to_have_count(0)
    link = card.get_by_test_id("card-link")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute(
        "href", re.compile(r"^https://www\.(ups|dhl|fedex)\.com/|^https://tools\.usps\.com/")
    )
    # No e-mail question: the signed token proved who she is.
    expect(page.get_by_test_id("msg-bot").filter(has_text="e-mail address")).to_have_count(0)


def test_deutsch_picked_in_the_menu_gets_german_answers(stack, new_page):
    page = new_page("language-menu")
    open_chat(page, stack["url"])  # an English page
    page.get_by_test_id("chat-language").select_option(label="Deutsch")
    send(page, "hi")
    expect(page.get_by_test_id("msg-bot").last).to_contain_text("Was kann ich für Sie tun?")
    # The pick holds over a clear English message too.
    send(page, "where is my order please?")
    expect(page.get_by_test_id("msg-bot").last).to_contain_text("Bestellnummer")


def test_recent_orders_are_a_compact_list_and_products_a_card_with_a_picture(stack, new_page):
    page = new_page("lists")
    open_chat(page, stack["url"])
    sign_in(page, ANNA)
    send(page, "show me my recent orders")
    rows = page.get_by_test_id("order-list-item")
    expect(rows.first).to_be_visible(timeout=REPLY_TIMEOUT)
    row = rows.filter(has_text="#100234")
    expect(row).to_contain_text("Shipped")
    expect(row).to_contain_text("$")
    total = re.search(r"\$[\d,.]+", row.inner_text()).group(0)
    row.click()  # still selectable: it asks for that order's status
    expect(page.get_by_test_id("order-card")).to_contain_text(
        "Order #100234", timeout=REPLY_TIMEOUT
    )
    expect(page.get_by_test_id("msg-user").last).to_have_text("#100234")
    # The list stays, its rows now disabled.
    expect(rows.first).to_be_disabled()
    send(page, "any wireless headphones under 100 dollars?")
    products = page.get_by_test_id("msg-bot").filter(has_text="what I found")
    expect(products.locator("ul > li").first).to_be_visible()  # a list, drawn as one
    expect(products.locator("p").last).to_have_text("Tap one for details.")  # not in the list
    products.get_by_test_id("quick-reply").first.click()
    card = page.get_by_test_id("product-card")
    expect(card).to_be_visible(timeout=REPLY_TIMEOUT)
    expect(card.get_by_test_id("product-picture")).to_have_attribute(
        "src", re.compile(r"^/static/shop/img/")
    )
    expect(card.get_by_test_id("product-price")).to_contain_text("$")
    # A reload keeps the conversation but not the order details.
    page.reload()
    expect(page.get_by_test_id("order-list-item").first).to_be_visible(timeout=REPLY_TIMEOUT)
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, window.localStorage))")
    assert total not in stored and "Carrier" not in stored, stored


def test_markup_in_messages_is_shown_as_text_and_a_reload_keeps_the_conversation(stack, new_page):
    page = new_page("reload")
    open_chat(page, stack["url"])
    attack = '<img src=x onerror="window.hacked=1">hello'
    send(page, attack)
    expect(page.get_by_test_id("msg-user").last).to_have_text(attack)
    assert page.evaluate("window.hacked") is None
    send(page, "where is my order 100235?")
    expect(page.get_by_test_id("msg-bot").last).to_contain_text("e-mail")
    page.reload()
    expect(page.get_by_test_id("msg-user")).to_have_count(2)
    expect(page.get_by_test_id("chat-send")).to_be_enabled(timeout=REPLY_TIMEOUT)
    send(page, ANNA)  # the same conversation: the e-mail answers the question asked before
    expect(page.get_by_test_id("msg-bot").filter(has_text="100235")).not_to_have_count(0)


def everything_the_customer_sees(page) -> str:
    return page.evaluate(
        """() => document.body.innerText + ' ' +
                 document.querySelector('deep-chat').shadowRoot.textContent"""
    )


def test_a_handoff_is_answered_by_an_agent_and_handed_back(stack, new_page):
    customer = new_page("customer")
    open_chat(customer, stack["url"])
    sign_in(customer, ANNA)
    # Nobody at the handoff queue: the customer is told they will hear back by e-mail.
    send(customer, "I want to talk to a human")
    offline = customer.get_by_test_id("msg-bot").last
    expect(offline).to_contain_text("ticket")
    expect(offline).to_contain_text(f"reply to {ANNA} within 1 business day")
    expect(offline).not_to_contain_text("join here")

    # The agent chooses how customers see them, then waits at the queue.
    agent = new_page("agent")
    console_login(agent, stack["url"])
    agent.get_by_test_id("nav-profile").click()
    agent.get_by_test_id("profile-name").fill(AGENT)  # the login name is refused
    agent.get_by_test_id("profile-save").click()
    expect(agent.get_by_test_id("profile-error")).to_contain_text("user name")
    agent.get_by_test_id("profile-name").fill("Sam")
    agent.get_by_test_id("profile-avatar-teal").check()
    agent.get_by_test_id("profile-save").click()
    expect(agent.get_by_test_id("notice")).to_contain_text("Saved")
    agent.get_by_test_id("nav-handoffs").click()
    expect(agent.get_by_test_id("presence-status")).to_have_attribute("data-state", "here")
    expect(agent.get_by_test_id("seen-as")).to_contain_text("Sam")

    # With a colleague at the queue, asking again says one can join here.
    send(customer, "I want to talk to a human")
    expect(customer.get_by_test_id("msg-bot").last).to_contain_text(
        "A colleague can join here in a few minutes"
    )
    expect(customer.get_by_test_id("msg-bot").last).to_contain_text(f"e-mail you at {ANNA}")

    agent.get_by_test_id("handoff-row").filter(has_text=ANNA).first.get_by_role("link").click()
    agent.get_by_test_id("take-over").click()
    expect(agent.get_by_test_id("ticket-status")).to_have_text("taken")
    joined = customer.get_by_test_id("msg-agent").last
    expect(joined).to_contain_text(
        "Sam from our customer service team has joined", timeout=REPLY_TIMEOUT
    )
    expect(joined.get_by_test_id("agent-name")).to_have_text("Sam")
    expect(joined.get_by_test_id("agent-avatar")).to_have_text("S")
    expect(customer.get_by_test_id("chat-title")).to_have_text("Sam")
    expect(customer.get_by_test_id("chat-header")).to_have_attribute("data-speaker", "agent")

    # Typing dots only while the agent types; none after the customer's own message.
    dots = customer.get_by_test_id("typing-indicator")
    agent.get_by_test_id("agent-reply").press_sequentially("Hello Anna", delay=50)
    expect(dots).to_have_attribute("data-who", "agent", timeout=REPLY_TIMEOUT)
    agent.get_by_test_id("agent-reply").fill("Hello Anna, I'm looking at your order now.")
    agent.get_by_test_id("agent-send").click()
    expect(customer.get_by_test_id("msg-agent").last).to_contain_text(
        "Hello Anna, I'm looking at your order now.", timeout=REPLY_TIMEOUT
    )
    expect(dots).to_have_count(0)
    # The customer's answer reaches the agent's page, and the assistant stays quiet.
    customer.get_by_test_id("chat-input").fill("thank you, it is order 100234")
    customer.get_by_test_id("chat-send").click()
    expect(agent.get_by_test_id("turn-user").last).to_contain_text(
        "thank you, it is order 100234", timeout=REPLY_TIMEOUT
    )
    # Drawn by the page's live updates as the server draws it: with its intent ranking.
    expect(agent.get_by_test_id("turn-user").last.get_by_test_id("intent-ranking")).to_have_count(1)
    expect(dots).to_have_count(0)
    expect(customer.get_by_test_id("msg-agent").last).to_contain_text("looking at your order")
    assert AGENT not in everything_the_customer_sees(customer)

    agent.get_by_test_id("hand-back").click()
    expect(agent.get_by_test_id("ticket-status")).to_have_text("closed")
    expect(customer.get_by_test_id("msg-bot").last).to_contain_text(
        "chatting with ShopAssist", timeout=REPLY_TIMEOUT
    )
    expect(customer.get_by_test_id("chat-title")).to_have_text("ShopAssist")
    send(customer, "hi")  # the assistant answers again
    expect(customer.get_by_test_id("msg-bot").last).not_to_contain_text("chatting with ShopAssist")


def test_the_chat_says_when_the_server_goes_away_and_comes_back(stack, new_page):
    page = new_page("restart")
    open_chat(page, stack["url"])
    send(page, "hi")
    status = page.get_by_test_id("connection-status")
    stack["servers"].stop(stack["rasa"])
    expect(status).to_have_attribute("data-state", "disconnected", timeout=REPLY_TIMEOUT)
    expect(status).to_contain_text("reconnecting")
    expect(page.get_by_test_id("chat-send")).to_be_disabled()
    rasa, log = stack["servers"].start("rasa-again", stack["rasa_command"], stack["rasa_env"])
    wait_until_up(f"{stack['rasa_url']}/", rasa, log)
    expect(status).to_have_attribute("data-state", "reconnected", timeout=180_000)
    send(page, "thanks")
    expect(page.get_by_test_id("msg-user")).to_have_count(2)
