"""The shop page's chat for keyboard and screen-reader users, on phones and on shared
computers, in Chromium against the stand-in for Rasa's channel (no trained model needed):
axe-core finds nothing serious, nothing opens or takes the focus by itself, Escape closes,
new messages are announced, "New conversation" asks first, and an idle conversation is
gone along with what it stored."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.axe_kit import blocking_violations, text_contrast
from tests.browser.test_web_chat import open_chat

ANNA = "anna.becker@example.com"
ORDER = {
    "order_card": {
        "title": "Order #100234",
        "status": "Shipped",
        "rows": [["Total", "$89.99"], ["Carrier", "DHL"], ["Tracking", "JD014600006281"]],
        "items": ["Wireless headphones"],
    }
}
CHOICES = {
    "text": "Is there anything else?",
    "quick_replies": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
}


def say(page, text: str) -> None:
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("msg-user").last).to_have_text(text)


def nothing_focused(page) -> bool:
    page.wait_for_timeout(500)  # past the widget's own 50 ms focus delay
    return page.evaluate("document.activeElement === document.body")


def stored(page) -> str:
    return page.evaluate("JSON.stringify(Object.entries(localStorage))")


def test_axe_finds_nothing_serious_on_the_shop_page_closed_open_and_busy(rasa, new_page):
    page = new_page("axe")
    page.goto(rasa.url)
    found = blocking_violations(page, "chat closed")
    open_chat(page, rasa.url)
    found += blocking_violations(page, "chat open")
    say(page, "where is my order 100234?")
    rasa.says("bot_uttered", ORDER)
    rasa.says("bot_uttered", CHOICES)
    expect(page.get_by_test_id("quick-reply")).to_have_count(2)
    expect(page.get_by_test_id("order-card")).to_contain_text("Shipped")
    found += blocking_violations(page, "order card and choices")
    page.get_by_test_id("quick-reply").first.click()
    expect(page.get_by_test_id("quick-reply").first).to_be_disabled()
    found += blocking_violations(page, "a choice made")
    page.get_by_test_id("new-conversation").click()
    expect(page.get_by_test_id("new-conversation-confirm")).to_be_visible()
    found += blocking_violations(page, "new conversation question")

    phone = new_page("axe-phone", width=390, height=844)
    phone.goto(rasa.url)
    found += blocking_violations(phone, "phone, chat closed")
    open_chat(phone, rasa.url)
    found += blocking_violations(phone, "phone, chat open")
    assert found == [], "\n".join(found)


def test_disabled_controls_keep_readable_text(rasa, new_page):
    page = new_page("disabled")
    open_chat(page, rasa.url)
    add_to_cart = page.get_by_role("button", name="Add to cart").first
    expect(add_to_cart).to_be_disabled()
    rasa.says("bot_uttered", CHOICES)
    page.get_by_test_id("quick-reply").last.click()
    used = page.get_by_test_id("quick-reply").first  # disabled, and not the one chosen
    expect(used).to_be_disabled()
    for control in (add_to_cart, used):
        assert text_contrast(control) >= 4.5, control


def test_the_chat_waits_to_be_opened_and_escape_closes_it(rasa, new_page):
    page = new_page("keyboard")
    page.goto(rasa.url)
    launcher, panel = page.get_by_test_id("chat-launcher"), page.get_by_test_id("chat-panel")
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "connected")
    expect(panel).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_have_accessible_name("Chat with us")
    assert nothing_focused(page)

    launcher.click()
    expect(panel).to_be_visible()
    expect(page.get_by_test_id("chat-input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")

    # Left open by the customer, it is open after a reload, but the focus stays on the page.
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.reload()
    expect(panel).to_be_visible()
    assert nothing_focused(page)


def test_the_language_menu_works_from_the_keyboard_and_changes_what_the_chat_sends(rasa, new_page):
    page = new_page("language-menu")
    open_chat(page, rasa.url)
    menu = page.get_by_test_id("chat-language")
    expect(menu).to_have_accessible_name("Chat language")
    expect(menu).to_have_value("en")  # the page's language until one is picked
    say(page, "hello")
    assert rasa.metadata[-1].get("language") == "en" and "language_chosen" not in rasa.metadata[-1]
    # Reached with Tab from the message box (backwards), changed with an arrow key.
    page.get_by_test_id("chat-input").focus()
    for _ in range(12):
        if page.evaluate("document.activeElement.dataset.testid") == "chat-language":
            break
        page.keyboard.press("Shift+Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu).to_have_value("de")
    expect(menu.locator("option[value=de]")).to_have_attribute("lang", "de")
    say(page, "hallo")
    assert rasa.metadata[-1]["language"] == "de" and rasa.metadata[-1]["language_chosen"] is True
    # Kept across a reload.
    page.reload()
    expect(page.get_by_test_id("chat-language")).to_have_value("de")
    assert not blocking_violations(page, "language picked")


def test_a_page_may_open_the_chat_proactively_but_it_takes_no_focus(rasa, new_page):
    page = new_page("proactive")
    page.goto(f"{rasa.url}/proactive")
    expect(page.get_by_test_id("chat-panel")).to_be_visible()
    expect(page.get_by_test_id("chat-launcher")).to_have_attribute("aria-expanded", "true")
    assert nothing_focused(page)
    # Closed by the customer, it stays closed on the next page.
    page.get_by_test_id("chat-close").click()
    page.reload()
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "connected")
    expect(page.get_by_test_id("chat-panel")).to_be_hidden()


def test_new_messages_are_announced_to_screen_readers(rasa, new_page):
    page = new_page("announced")
    open_chat(page, rasa.url)
    log = page.get_by_test_id("chat-announcer")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    say(page, "where is my order 100234?")
    expect(log).not_to_contain_text("where is my order")  # the customer's own words: not read back
    rasa.says("bot_uttered", ORDER)
    rasa.says("bot_uttered", CHOICES)
    expect(log).to_contain_text("ShopAssist: Order #100234. Shipped. Total: $89.99")
    expect(log).to_contain_text("ShopAssist: Is there anything else? Choices: Yes, No.")
    agent = {"role": "agent", "name": "Sam Lee"}
    rasa.says("bot_uttered", {"text": "Hello, I'm here.", "speaker": agent, "takeover": "started"})
    expect(log).to_contain_text("Sam Lee: Hello, I'm here.")


def test_new_conversation_asks_first(rasa, new_page):
    page = new_page("new-conversation")
    open_chat(page, rasa.url)
    question = page.get_by_test_id("new-conversation-confirm")
    first_id = page.evaluate("localStorage.getItem('shopassist.session_id')")
    say(page, "hello")

    page.get_by_test_id("new-conversation").click()
    expect(question).to_be_visible()
    expect(question).to_have_accessible_name("Start a new conversation?")
    expect(page.get_by_test_id("new-conversation-keep")).to_be_focused()
    page.keyboard.press("Escape")  # closes the question only
    expect(question).to_be_hidden()
    expect(page.get_by_test_id("chat-panel")).to_be_visible()
    page.get_by_test_id("new-conversation").click()
    page.get_by_test_id("new-conversation-keep").click()
    expect(page.get_by_test_id("msg-user")).to_have_count(1)
    assert page.evaluate("localStorage.getItem('shopassist.session_id')") == first_id

    page.get_by_test_id("new-conversation").click()
    page.get_by_test_id("new-conversation-start").click()
    expect(question).to_be_hidden()
    expect(page.get_by_test_id("msg-user")).to_have_count(0)
    expect(page.get_by_test_id("chat-input")).to_be_focused()
    assert first_id not in stored(page)
    # Nothing to lose: no question.
    page.get_by_test_id("new-conversation").click()
    expect(question).to_be_hidden()


def test_an_idle_conversation_is_forgotten_and_nothing_personal_is_stored(rasa, new_page):
    page = new_page("shared-computer")
    open_chat(page, rasa.url)
    say(page, f"my e-mail is {ANNA}")
    rasa.says("bot_uttered", ORDER)
    expect(page.get_by_test_id("order-card")).to_contain_text("JD014600006281")
    address = "please send it to 12 Baker Street, London NW1 6XE"
    say(page, address)
    for personal in (ANNA, "$89.99", "DHL", "JD014600006281", "Wireless headphones", "Baker"):
        assert personal not in stored(page), personal
    # A reload redraws the conversation from what was kept.
    page.reload()
    said = page.get_by_test_id("msg-user")
    expect(said).to_have_text(["my e-mail is a…@example.com", "(address not kept)"])
    expect(page.get_by_test_id("order-card")).to_contain_text("Order #100234")
    expect(page.get_by_test_id("order-card")).to_contain_text("Ask again to see the details.")

    # 31 minutes without a message: the next person gets a new, closed chat.
    session = page.evaluate("localStorage.getItem('shopassist.session_id')")
    page.evaluate(
        "localStorage.setItem('shopassist.last_active', JSON.stringify(Date.now() - 31 * 60e3))"
    )
    page.reload()
    expect(page.get_by_test_id("chat-panel")).to_be_hidden()
    expect(page.get_by_test_id("msg-user")).to_have_count(0)
    expect(page.get_by_test_id("order-card")).to_have_count(0)
    left = json.loads(stored(page))
    assert session not in json.dumps(left)
    assert not [key for key, _ in left if key.startswith("shopassist.transcript.")], left


def test_an_open_page_forgets_its_idle_conversation_too(rasa, new_page):
    page = new_page("idle-page")
    page.clock.install()
    open_chat(page, rasa.url)
    page.get_by_test_id("chat-language").select_option("es")
    say(page, "hello")
    page.evaluate(
        "localStorage.setItem('shopassist.last_active', JSON.stringify(Date.now() - 31 * 60e3))"
    )
    page.clock.run_for(61_000)  # the widget looks once a minute
    expect(page.get_by_test_id("chat-panel")).to_be_hidden()
    expect(page.get_by_test_id("msg-user")).to_have_count(0)
    # The language picked goes with the conversation: the next person starts on the page's.
    expect(page.get_by_test_id("chat-language")).to_have_value("en")
    assert page.evaluate("localStorage.getItem('shopassist.language')") is None


def test_on_a_phone_the_chat_fills_the_screen_and_the_launcher_hides_no_control(rasa, new_page):
    page = new_page("phone", width=390, height=844)
    page.goto(rasa.url)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link").first).to_be_visible()
    # Every control of the page, scrolled to, is clear of the launcher.
    covered = page.evaluate(
        """() => {
          const launcher = document.querySelector('[data-testid="chat-launcher"]');
          const chat = document.querySelector('[data-shopassist-chat]');
          const controls = [...document.querySelectorAll('a[href], button, select, input')]
            .filter((el) => !chat.contains(el) && el.getClientRects().length);
          const hit = (a, b) =>
            a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          return controls.filter((el) => {
            el.scrollIntoView({ block: 'nearest' });
            const box = el.getBoundingClientRect();
            if (box.right <= 0 || box.left >= innerWidth) return false; // the skip link, off screen
            return hit(box, launcher.getBoundingClientRect());
          }).map((el) => el.outerHTML.slice(0, 80));
        }"""
    )
    assert covered == [], covered

    page.get_by_test_id("chat-launcher").click()
    panel = page.get_by_test_id("chat-panel").bounding_box()
    assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (0, 0, 390, 844), panel
    expect(page.get_by_test_id("chat-launcher")).to_be_hidden()
    close = page.get_by_test_id("chat-close")
    box = close.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    close.click()
    expect(page.get_by_test_id("chat-panel")).to_be_hidden()
    expect(page.get_by_test_id("chat-launcher")).to_be_focused()
