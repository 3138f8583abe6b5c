"""Thumbs on the assistant's answers in Chromium: the customer marks an answer (by keyboard,
then changes it with the mouse), the conversation gets no message from it, the choice is
stored with the turn, survives a reload, and the console shows it next to the answer and
in the analytics."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

from playwright.sync_api import expect

from shopassist.store import feedback
from shopassist.store.db import session_scope
from tests.browser.conftest import SCREENSHOTS, console_login
from tests.browser.test_web_chat import REPLY_TIMEOUT, open_chat, send


def stored(db_url: str, conversation: str, value: str) -> dict:
    """The conversation's feedback once it holds `value` (the post is asynchronous)."""
    deadline = time.monotonic() + 15
    while True:
        with session_scope(db_url) as session:
            found = feedback.of_conversation(session, conversation)
        if value in found.values() or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_customer_marks_an_answer_and_the_console_shows_it(stack, new_page):
    page = new_page("chat")
    open_chat(page, stack["url"])
    send(page, "hello")
    answer = page.get_by_test_id("msg-bot").filter(has=page.get_by_test_id("answer-feedback"))
    expect(answer).not_to_have_count(0, timeout=REPLY_TIMEOUT)
    answer = answer.last
    text = answer.inner_text().strip()
    helpful = answer.get_by_role("button", name="Helpful", exact=True)
    not_helpful = answer.get_by_role("button", name="Not helpful", exact=True)
    expect(helpful).to_have_attribute("aria-pressed", "false")
    expect(not_helpful).to_have_attribute("aria-pressed", "false")
    # The customer's own message has none.
    expect(page.get_by_test_id("msg-user").get_by_test_id("answer-feedback")).to_have_count(0)
    messages = (page.get_by_test_id("msg-bot").count(), page.get_by_test_id("msg-user").count())

    not_helpful.focus()
    page.keyboard.press("Enter")
    expect(not_helpful).to_have_attribute("aria-pressed", "true")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    signed = json.loads(page.evaluate("localStorage.getItem('shopassist.session_id')"))
    conversation = "socketio:" + signed.split("-")[0]
    assert list(stored(stack["db_url"], conversation, "down").values()) == ["down"]

    helpful.click()  # changed: the same row now says helpful
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(not_helpful).to_have_attribute("aria-pressed", "false")
    assert list(stored(stack["db_url"], conversation, "up").values()) == ["up"]
    page.wait_for_timeout(500)  # nothing may arrive because of the clicks
    assert (page.get_by_test_id("msg-bot").count(), page.get_by_test_id("msg-user").count()) == (
        messages
    )
    page.reload()
    rated = page.get_by_test_id("msg-bot").filter(has=page.get_by_test_id("answer-feedback"))
    expect(rated.last.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    console = new_page("console")
    console_login(console, stack["url"])
    console.goto(f"{stack['url']}/console/conversations/{quote(conversation)}")
    turn = console.get_by_test_id("turn-bot").filter(has=console.get_by_test_id("turn-feedback"))
    expect(turn).to_have_count(1)
    expect(turn).to_contain_text(text.splitlines()[0])
    expect(turn.get_by_test_id("turn-feedback")).to_have_attribute("data-value", "up")
    expect(turn.get_by_test_id("turn-feedback")).to_contain_text("helpful")
    console.screenshot(path=str(SCREENSHOTS / "answer-feedback-transcript.png"), full_page=True)
    console.goto(f"{stack['url']}/console/analytics")
    expect(console.get_by_test_id("figure-helpful")).not_to_have_text("0")
    expect(console.get_by_test_id("figure-helpful-share")).to_contain_text("%")
