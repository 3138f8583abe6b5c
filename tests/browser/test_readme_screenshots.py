"""The README's pictures (docs/screenshots/), taken from the real pages against the browser
tests' servers: `make screenshots`. Skipped in an ordinary run, which screenshots every
page to results/browser/ anyway; SHOPASSIST_README_SCREENSHOTS=1 takes them."""

from __future__ import annotations

import io
import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import console_login
from tests.browser.test_web_chat import ANNA, REPLY_TIMEOUT, send, sign_in
from tests.servers import ROOT

DOCS = ROOT / "docs" / "screenshots"
MAX_BYTES = 200 * 1024  # a README picture stays small in the repository

pytestmark = pytest.mark.skipif(
    os.environ.get("SHOPASSIST_README_SCREENSHOTS") != "1",
    reason="the README's pictures are taken on request: make screenshots",
)


def save(page, name: str) -> None:
    """The visible part of `page` as docs/screenshots/<name>.png, under MAX_BYTES (as a
    256-colour palette if the full-colour picture is larger: text stays sharp)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    for image in (picture, picture.quantize(256, method=Image.Quantize.MEDIANCUT)):
        data = io.BytesIO()
        image.save(data, "PNG", optimize=True)
        if data.tell() < MAX_BYTES:
            break
    assert data.tell() < MAX_BYTES, f"{name}.png: {data.tell()} bytes"
    (DOCS / f"{name}.png").write_bytes(data.getvalue())


def agent_named_sam(new_page, stack):
    agent = new_page("readme-agent", height=800)
    console_login(agent, stack["url"])
    agent.get_by_test_id("nav-profile").click()
    agent.get_by_test_id("profile-name").fill("Sam")
    agent.get_by_test_id("profile-avatar-teal").check()
    agent.get_by_test_id("profile-save").click()
    expect(agent.get_by_test_id("notice")).to_contain_text("Saved")
    return agent


def test_the_chat_on_a_phone(stack, new_page):
    page = new_page("readme-phone", width=390, height=844)
    page.goto(stack["url"])
    sign_in(page, ANNA)
    page.get_by_test_id("chat-launcher").click()
    expect(page.get_by_test_id("chat-send")).to_be_enabled(timeout=REPLY_TIMEOUT)
    send(page, "where is my order 100234?")
    expect(page.get_by_test_id("order-card")).to_contain_text("Order #100234")
    page.wait_for_timeout(500)  # the list's smooth scroll to the card
    save(page, "web-chat-phone")


def test_the_takeover_page_with_an_agent_s_reply(stack, new_page):
    agent = agent_named_sam(new_page, stack)
    agent.get_by_test_id("nav-handoffs").click()
    expect(agent.get_by_test_id("presence-status")).to_have_attribute("data-state", "here")
    customer = new_page("readme-customer")
    customer.goto(stack["url"])
    sign_in(customer, ANNA)
    customer.get_by_test_id("chat-launcher").click()
    expect(customer.get_by_test_id("chat-send")).to_be_enabled(timeout=REPLY_TIMEOUT)
    send(customer, "This is ridiculous, my order 100234 is late")
    send(customer, "I want to talk to a person")
    expect(customer.get_by_test_id("msg-bot").last).to_contain_text("A colleague can join here")
    agent.get_by_test_id("handoff-row").filter(has_text=ANNA).first.get_by_role("link").click()
    agent.get_by_test_id("take-over").click()
    expect(agent.get_by_test_id("ticket-status")).to_have_text("taken")
    agent.get_by_test_id("agent-reply").fill(
        "Hello Anna, I'm Sam. I'm sorry it's late: I'm checking with the carrier now."
    )
    agent.get_by_test_id("agent-send").click()
    expect(customer.get_by_test_id("msg-agent").last).to_contain_text(
        "checking with the carrier", timeout=REPLY_TIMEOUT
    )
    customer.get_by_test_id("chat-input").fill("thank you!")
    customer.get_by_test_id("chat-send").click()
    expect(agent.get_by_test_id("turn-user").last).to_contain_text(
        "thank you!", timeout=REPLY_TIMEOUT
    )
    agent.get_by_test_id("agent-reply").fill("You're welcome, I'll be right back.")
    agent.wait_for_timeout(300)
    save(agent, "console-takeover")
    agent.get_by_test_id("hand-back").click()


def test_the_conversation_list_searched_for_an_order_number(stack, new_page):
    customer = new_page("readme-search-customer")
    customer.goto(stack["url"])
    sign_in(customer, ANNA)
    customer.get_by_test_id("chat-launcher").click()
    expect(customer.get_by_test_id("chat-send")).to_be_enabled(timeout=REPLY_TIMEOUT)
    send(customer, "can I still cancel order 100234?")
    agent = new_page("readme-search", height=700)
    console_login(agent, stack["url"])
    term = "100234"
    agent.get_by_test_id("conversation-search").fill(term)
    agent.get_by_test_id("filter-submit").click()
    agent.wait_for_url(f"**q={term}**")
    expect(agent.get_by_test_id("conversation-row").first).to_be_visible()
    save(agent, "console-search")
