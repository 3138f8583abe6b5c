"""The chat widget with an agent in Chromium, against a stand-in for Rasa's socket.io
channel that says exactly what the real one says in a takeover: the agent's name and
avatar on their messages and in the header, and typing dots only while someone types.

It needs no trained model; the whole takeover through Rasa and the console is in
test_web_chat.py."""

from __future__ import annotations

from playwright.sync_api import expect

from shopassist.console.profiles import COLOURS
from tests.browser.test_web_chat import open_chat

SAM = {
    "role": "agent",
    "name": "Sam Lee",
    "avatar": {"kind": "initials", "initials": "SL", "colour": COLOURS["teal"]},
}
JOINED = "Sam Lee from our customer service team has joined the chat."


def dots(page):
    return page.get_by_test_id("typing-indicator")


def no_dots_for_a_while(page, ms: int = 1500) -> None:
    page.wait_for_timeout(ms)
    expect(dots(page)).to_have_count(0)


def test_an_agent_has_a_name_and_avatar_and_dots_show_only_while_someone_types(rasa, new_page):
    page = new_page("agent")
    open_chat(page, rasa.url)
    header = page.get_by_test_id("chat-header")
    expect(page.get_by_test_id("chat-title")).to_have_text("ShopAssist")

    # The assistant: dots from the customer's message until its reply.
    page.get_by_test_id("chat-input").fill("I want to talk to a person")
    page.get_by_test_id("chat-send").click()
    expect(dots(page)).to_have_attribute("data-who", "assistant")
    rasa.says("bot_uttered", {"text": "A colleague can join here in a few minutes."})
    expect(dots(page)).to_have_count(0)

    # A person joins: their name and avatar, on their messages and in the header.
    rasa.says("bot_uttered", {"text": JOINED, "speaker": SAM, "takeover": "started"})
    joined = page.get_by_test_id("msg-agent").last
    expect(joined).to_contain_text(JOINED)
    expect(joined.get_by_test_id("agent-name")).to_have_text("Sam Lee")
    expect(joined.get_by_test_id("agent-avatar")).to_have_text("SL")
    expect(header).to_have_attribute("data-speaker", "agent")
    expect(page.get_by_test_id("chat-title")).to_have_text("Sam Lee")
    expect(page.get_by_test_id("header-avatar")).to_have_text("SL")
    # Styled apart from the assistant's messages.
    colours = page.evaluate(
        """() => {
          const root = document.querySelector('deep-chat').shadowRoot;
          const bg = (sel) => getComputedStyle(root.querySelector(sel)).backgroundColor;
          return [bg('.sa-agent .sa-bubble'), bg('.sa-bot .sa-bubble')];
        }"""
    )
    assert colours[0] != colours[1], colours

    # The customer writes during the takeover: the assistant is paused, nobody types yet.
    send_nothing_back = "are you there?"
    page.get_by_test_id("chat-input").fill(send_nothing_back)
    page.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("msg-user").last).to_have_text(send_nothing_back)
    no_dots_for_a_while(page)

    # The agent types: dots until "stop"...
    rasa.says("agent_typing", {"typing": True})
    expect(dots(page)).to_have_attribute("data-who", "agent")
    expect(dots(page)).to_have_attribute("aria-label", "Sam Lee is typing")
    rasa.says("agent_typing", {"typing": False})
    expect(dots(page)).to_have_count(0)
    # ...or until their message...
    rasa.says("agent_typing", {"typing": True})
    expect(dots(page)).to_have_count(1)
    rasa.says("bot_uttered", {"text": "Yes, I'm here.", "speaker": SAM})
    expect(dots(page)).to_have_count(0)
    expect(page.get_by_test_id("msg-agent").last).to_contain_text("Yes, I'm here.")
    # ...or 6 s after the last "start" (a console that went away).
    rasa.says("agent_typing", {"typing": True})
    expect(dots(page)).to_have_count(1)
    page.wait_for_timeout(4000)
    expect(dots(page)).to_have_count(1)
    expect(dots(page)).to_have_count(0, timeout=4000)

    # A reload keeps the agent in the header.
    page.reload()
    expect(page.get_by_test_id("chat-title")).to_have_text("Sam Lee")
    expect(page.get_by_test_id("msg-agent")).to_have_count(2)

    # Handed back: the assistant again, and its dots again.
    expect(page.get_by_test_id("chat-send")).to_be_enabled()
    handed_back = {"text": "You're chatting with ShopAssist again.", "takeover": "ended"}
    rasa.says("bot_uttered", handed_back)
    expect(page.get_by_test_id("chat-title")).to_have_text("ShopAssist")
    expect(header).to_have_attribute("data-speaker", "assistant")
    rasa.says("agent_typing", {"typing": True})  # a late signal: no one is there
    no_dots_for_a_while(page, 1000)
    send_and_wait = "thanks"
    page.get_by_test_id("chat-input").fill(send_and_wait)
    page.get_by_test_id("chat-send").click()
    expect(dots(page)).to_have_attribute("data-who", "assistant")
    assert rasa.received[-1] == send_and_wait
    # A second message before the reply: still waiting, still one set of dots.
    page.get_by_test_id("chat-input").fill("hello?")
    page.get_by_test_id("chat-send").click()
    expect(page.get_by_test_id("msg-user").last).to_have_text("hello?")
    page.wait_for_timeout(500)
    expect(dots(page)).to_have_count(1)


def test_an_agent_s_name_is_text_never_markup(rasa, new_page):
    page = new_page("agent-markup")
    open_chat(page, rasa.url)
    mallory = {
        "role": "agent",
        "name": '<img src=x onerror="window.hacked=1">',
        "avatar": {"kind": "image", "image": 'x" onerror="window.hacked=2'},
    }
    rasa.says("bot_uttered", {"text": "<b>hi</b>", "speaker": mallory, "takeover": "started"})
    message = page.get_by_test_id("msg-agent").last
    expect(message.get_by_test_id("agent-name")).to_have_text(mallory["name"])
    expect(message).to_contain_text("<b>hi</b>")
    expect(page.get_by_test_id("chat-title")).to_have_text(mallory["name"])
    assert page.evaluate("window.hacked") is None
