"""The console in Chromium: login and its limits, conversations, annotation, analytics."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlparse

import requests
import yaml
from playwright.sync_api import expect

from tests.browser.axe_kit import blocking_violations
from tests.browser.conftest import AGENT, RASA_TOKEN, console_login


def rest(stack, sender: str, text: str) -> list:
    """A customer message over REST (quicker than the page when only the data matters)."""
    response = requests.post(
        f"{stack['rasa_url']}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def test_the_console_needs_a_login_and_limits_wrong_passwords(stack, new_page):
    page = new_page("login")
    page.goto(f"{stack['url']}/console/conversations")
    expect(page).to_have_url(f"{stack['url']}/console/login?next=/console/conversations")
    intruder = "mallory-" + uuid.uuid4().hex[:6]
    for _ in range(5):
        console_login(page, stack["url"], intruder, "guess-" + uuid.uuid4().hex)
        expect(page.get_by_test_id("login-error")).to_have_text("Wrong user name or password.")
    console_login(page, stack["url"], intruder, "any-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("Too many failed attempts")
    page.wait_for_timeout(2100)  # the guessing address waits 2 s; the account is not locked
    console_login(page, stack["url"])
    expect(page.get_by_test_id("console-user")).to_have_text(AGENT)


def test_a_forged_or_expired_session_goes_back_to_the_login(stack, browser):
    context = browser.new_context()
    host = stack["url"].split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": "shopassist_console", "value": "forged", "domain": host, "path": "/console"}]
    )
    page = context.new_page()
    page.goto(f"{stack['url']}/console/analytics")
    expect(page.get_by_test_id("notice")).to_have_text(
        "Your session has expired: please log in again."
    )
    assert requests.get(f"{stack['url']}/console/api/analytics", timeout=10).status_code == 401
    context.close()


def test_a_transcript_shows_what_the_assistant_understood_and_html_as_text(stack, new_page):
    sender = "review-" + uuid.uuid4().hex[:8]
    rest(stack, sender, "where is my order 100234?")
    rest(stack, sender, '<img src=x onerror="window.hacked=1"> <script>window.hacked=2</script>')
    page = new_page("transcript")
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/conversations")
    row = page.get_by_test_id("conversation-row").filter(has_text=("rest:" + sender)[:18])
    row.get_by_role("link").click()
    first = page.get_by_test_id("turn-user").first
    expect(first).to_contain_text("where is my order 100234?")
    expect(first).to_contain_text("intent order_status")
    expect(first).to_contain_text("order_id=100234")
    expect(page.get_by_test_id("turn-user").nth(1)).to_contain_text(
        '<img src=x onerror="window.hacked=1">'
    )
    assert page.evaluate("window.hacked") is None  # shown, never run
    page.get_by_test_id("save-story").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as test story")
    saved = yaml.safe_load(stack["reviewed_stories"].read_text())
    steps = saved["stories"][-1]["steps"]
    assert {"user": "where is my order [100234](order_id)?", "intent": "order_status"} in steps


def test_a_transcript_shows_the_buttons_pressed_and_what_a_fallback_weighed(stack, new_page):
    """A button is pressed by sending its payload, as the web chat does; the customer saw
    its title. A "Did you mean" pick, which Rasa stores twice, is shown once."""
    from shopassist.auth.rasa_api import authorization
    from tests.integration.test_rest_support import VAGUE, fallbacks

    vague = fallbacks(stack["rasa_url"], VAGUE, True, headers=authorization(RASA_TOKEN))
    assert vague, f"the model falls back on none of {VAGUE} with a request to suggest"
    text, intent, suggestion = vague[0]
    sender = "buttons-" + uuid.uuid4().hex[:8]
    rest(stack, sender, "where is my order 100234")
    rest(stack, sender, "anna.becker@example.com")
    offered = [m for m in rest(stack, sender, "no, the other order") if m.get("buttons")]
    order = offered[-1]["buttons"][0]
    rest(stack, sender, order["payload"])
    (question,) = rest(stack, sender, text)
    assert {"title": suggestion, "payload": f"/{intent}"} in question["buttons"]
    rest(stack, sender, f"/{intent}")

    page = new_page("buttons")
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/conversations")
    page.get_by_test_id("conversation-row").filter(has_text=("rest:" + sender)[:18]).get_by_role(
        "link"
    ).click()
    said = page.get_by_test_id("turn-user")
    expect(said).to_have_count(6)  # each message once
    pressed = said.nth(3)
    expect(pressed.get_by_test_id("turn-button")).to_have_text(order["title"])
    expect(pressed.get_by_test_id("turn-button")).to_have_attribute(
        "title", f"Button pressed; the chat sent {order['payload']}"
    )
    expect(pressed.get_by_test_id("turn-payload")).to_have_text(f"button · sent {order['payload']}")
    unsure = said.nth(4)
    expect(unsure).to_contain_text("intent nlu_fallback")
    expect(unsure.get_by_test_id("fallback-candidates")).to_contain_text(intent)
    expect(unsure.get_by_test_id("fallback-candidates")).not_to_contain_text("nlu_fallback")
    expect(said.nth(5).get_by_test_id("turn-button")).to_have_text(suggestion)
    ranking = unsure.get_by_test_id("intent-ranking")
    expect(ranking.locator("li").first).to_be_hidden()  # collapsed
    ranking.locator("summary").click()
    expect(ranking.locator("li").first).to_be_visible()
    expect(ranking.locator("li")).not_to_have_count(0)


def test_a_reviewer_annotates_an_uncertain_message_into_the_training_data(stack, new_page):
    sender = "annotate-" + uuid.uuid4().hex[:8]
    text = "zorp blick the wibble " + uuid.uuid4().hex[:4]
    rest(stack, sender, text)
    page = new_page("inbox")
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/conversations")
    page.get_by_test_id("conversation-row").filter(has_text=("rest:" + sender)[:18]).get_by_role(
        "link"
    ).click()
    page.get_by_test_id("flag").first.click()
    expect(page.get_by_test_id("notice")).to_contain_text("Flagged")
    page.get_by_test_id("nav-inbox").click()
    item = page.get_by_test_id("inbox-item").filter(has_text=text)
    # A malformed annotation is refused with a reason, and nothing is written.
    item.get_by_test_id("annotation-intent").fill("out_of_scope")
    item.get_by_test_id("annotation-markup").fill("something else entirely")
    item.get_by_test_id("annotation-save").click()
    expect(page.get_by_test_id("annotation-error")).to_be_visible()
    assert not stack["reviewed_nlu"].exists()
    item = page.get_by_test_id("inbox-item").filter(has_text=text)
    item.get_by_test_id("annotation-intent").fill("out_of_scope")
    item.get_by_test_id("annotation-save").click()
    expect(page.get_by_test_id("notice")).to_contain_text("as out_of_scope")
    expect(page.get_by_test_id("inbox-item").filter(has_text=text)).to_have_count(0)
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(stack["reviewed_nlu"])).training_examples
    assert [(m.get("text"), m.get("intent")) for m in examples] == [(text, "out_of_scope")]


def test_the_analytics_page_draws_its_charts(stack, new_page):
    rest(stack, "analytics-" + uuid.uuid4().hex[:8], "hi")
    page = new_page("analytics")
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/analytics")
    assert int(page.get_by_test_id("figure-conversations").inner_text()) >= 1
    for chart in ("chart-days", "chart-intents", "chart-sentiment"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-rendered", "true")
        # Drawn, not just created: the canvas has coloured pixels.
        assert page.evaluate(
            """(id) => { const c = document.getElementById(id);
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
                 return false; }""",
            chart,
        )


def test_the_demo_sign_in_takes_only_demo_customers_and_well_formed_requests(stack):
    url = f"{stack['url']}/api/demo/login"
    ok = requests.post(url, json={"email": "Anna.Becker@example.com"}, timeout=10)
    assert ok.status_code == 200 and ok.json()["email"] == "anna.becker@example.com"
    for body in ({"email": "someone@else.com"}, ["anna.becker@example.com"], {"email": None}):
        assert requests.post(url, json=body, timeout=10).status_code == 404
    broken = requests.post(url, data="{not json", timeout=10)
    assert broken.status_code == 400


def test_axe_finds_nothing_serious_on_the_console_s_main_pages(stack, new_page):
    sender = "axe-" + uuid.uuid4().hex[:8]
    rest(stack, sender, "where is my order 100234?")
    page = new_page("axe-console")
    page.goto(f"{stack['url']}/console/login")
    found = blocking_violations(page, "login")
    console_login(page, stack["url"])
    expect(page.get_by_test_id("console-user")).to_have_text(AGENT)
    for nav in ("nav-conversations", "nav-inbox", "nav-analytics", "nav-handoffs", "nav-profile"):
        page.get_by_test_id(nav).click()
        page.wait_for_load_state()
        found += blocking_violations(page, nav)
    page.get_by_test_id("nav-conversations").click()
    row = page.get_by_test_id("conversation-row").filter(has_text=("rest:" + sender)[:18])
    row.get_by_role("link").click()
    expect(page.get_by_test_id("turn-user").first).to_contain_text("100234")
    found += blocking_violations(page, "transcript")
    assert found == [], "\n".join(found)


def open_ticket(stack, conversation: str) -> int:
    """A customer waiting for a person (as action_handoff leaves it), in the stack's database."""
    from shopassist.store import support
    from shopassist.store.db import session_scope

    with session_scope(stack["db_url"]) as session:
        return support.open_ticket(session, conversation, "asked", []).id


def search(page, term: str) -> None:
    page.get_by_test_id("conversation-search").fill(term)
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("q") == [term])


def test_the_list_searches_e_mails_order_numbers_and_words_and_previews_each_row(stack, new_page):
    sender = "search-" + uuid.uuid4().hex[:8]
    word = "marmalade" + uuid.uuid4().hex[:6]
    rest(stack, sender, f"where is my order 100234? {word}")
    rest(stack, sender, "anna.becker@example.com")
    other = "search-" + uuid.uuid4().hex[:8]
    rest(stack, other, "hello there")
    page = new_page("search")
    console_login(page, stack["url"])
    expect(page).to_have_url(f"{stack['url']}/console/conversations")
    # Newest start first: the conversation begun last heads the list.
    expect(page.get_by_test_id("conversation-row").first).to_contain_text(("rest:" + other)[:18])
    rows = page.get_by_test_id("conversation-row")
    mine = rows.filter(has_text=("rest:" + sender)[:18])
    theirs = rows.filter(has_text=("rest:" + other)[:18])
    expect(mine.get_by_test_id("conversation-preview")).to_contain_text(word)
    expect(mine.get_by_test_id("conversation-customer")).to_contain_text("anna.becker@example.com")
    for term in (word, word.upper(), "anna.becker@example.com", "100234"):
        search(page, term)
        expect(mine).to_have_count(1)
        expect(theirs).to_have_count(0)
    # Wildcards and quotes are searched for as they are.
    for term in ("%", "_", "' OR '1'='1"):
        search(page, term)
        expect(mine).to_have_count(0)
    search(page, word)
    expect(page.get_by_test_id("conversation-row")).to_have_count(1)


def test_the_list_shows_each_conversation_s_language_and_filters_by_it(stack, new_page):
    german = "lang-" + uuid.uuid4().hex[:8]
    rest(stack, german, "Wo ist meine Bestellung 100234?")
    english = "lang-" + uuid.uuid4().hex[:8]
    rest(stack, english, "where is my order 100234?")
    page = new_page("language-filter")
    console_login(page, stack["url"])
    rows = page.get_by_test_id("conversation-row")
    theirs = rows.filter(has_text=("rest:" + german)[:18])
    mine = rows.filter(has_text=("rest:" + english)[:18])
    expect(theirs.get_by_test_id("conversation-language")).to_have_text("de")
    expect(mine.get_by_test_id("conversation-language")).to_have_text("en")
    page.get_by_test_id("language-filter").select_option(label="German")
    page.get_by_test_id("filter-submit").click()
    expect(page).to_have_url(re.compile(r"language=de"))
    expect(theirs).to_have_count(1)
    expect(mine).to_have_count(0)
    expect(page.get_by_test_id("language-filter")).to_have_value("de")  # kept for the next search
    page.get_by_test_id("language-filter").select_option(label="English")
    page.get_by_test_id("filter-submit").click()
    expect(mine).to_have_count(1)
    expect(theirs).to_have_count(0)


def test_the_takeover_page_has_the_reply_box_under_the_messages_and_follows_new_ones(
    stack, new_page
):
    sender = "takeover-" + uuid.uuid4().hex[:8]
    for n in range(8):
        rest(stack, sender, f"message number {n} about my order 100234")
    ticket = open_ticket(stack, "rest:" + sender)
    page = new_page("takeover", height=720)
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/handoffs/{ticket}")
    page.get_by_test_id("take-over").click()
    expect(page.get_by_test_id("ticket-status")).to_have_text("taken")
    messages, reply = page.get_by_test_id("messages"), page.get_by_test_id("agent-reply")
    box = messages.bounding_box()
    assert reply.bounding_box()["y"] > box["y"] + box["height"]
    at_bottom = "el => el.scrollHeight - el.scrollTop - el.clientHeight < 50"
    assert messages.evaluate("el => el.scrollHeight > el.clientHeight")  # it scrolls
    page.wait_for_function(f"({at_bottom})(document.getElementById('live'))")
    rest(stack, sender, "a new message while the agent watches")
    newest = page.get_by_test_id("turn-user").last
    expect(newest).to_contain_text("a new message while the agent watches")
    page.wait_for_function(f"({at_bottom})(document.getElementById('live'))")
    expect(page.get_by_test_id("jump-to-newest")).to_be_hidden()
    # Scrolled up to read, the agent stays there and is told something new arrived.
    messages.evaluate("el => { el.scrollTop = 0; }")
    rest(stack, sender, "one more while the agent reads")
    expect(page.get_by_test_id("jump-to-newest")).to_be_visible()
    assert messages.evaluate("el => el.scrollTop") == 0
    page.get_by_test_id("jump-to-newest").click()
    expect(page.get_by_test_id("turn-user").last).to_be_in_viewport()
    expect(page.get_by_test_id("jump-to-newest")).to_be_hidden()
    reply.fill("Hello, I'm looking at it now.")
    page.get_by_test_id("agent-send").click()
    expect(page.get_by_test_id("turn-bot").last).to_contain_text("I'm looking at it now")
    page.wait_for_function(f"({at_bottom})(document.getElementById('live'))")
    page.get_by_test_id("hand-back").click()


def test_the_queue_counts_waiting_customers_in_the_title_and_chimes_unless_muted(stack, new_page):
    page = new_page("queue-alert")
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/handoffs")
    waiting = int(page.get_by_test_id("presence-status").get_attribute("data-waiting"))
    expect(page.get_by_test_id("alert-hint")).to_contain_text("clicked or typed")
    page.locator("h1").click()  # browsers play sound only after a gesture on the page
    sender = "rest:waiting-" + uuid.uuid4().hex[:8]
    ticket = open_ticket(stack, sender)
    expect(page).to_have_title(f"({waiting + 1}) Handoffs · ShopAssist console", timeout=15_000)
    expect(page.get_by_test_id("presence-status")).to_have_attribute("data-alert", "sound")
    expect(page.locator(f"[data-ticket='{ticket}']")).to_be_visible()
    # Turned off, the chime stays off after a reload (this browser remembers it).
    page.get_by_test_id("alert-sound").uncheck()
    page.reload()
    expect(page.get_by_test_id("alert-sound")).not_to_be_checked()
    expect(page).to_have_title(f"({waiting + 1}) Handoffs · ShopAssist console")
    page.locator("h1").click()
    open_ticket(stack, "rest:waiting-" + uuid.uuid4().hex[:8])
    expect(page).to_have_title(f"({waiting + 2}) Handoffs · ShopAssist console", timeout=15_000)
    expect(page.get_by_test_id("presence-status")).to_have_attribute("data-alert", "silent")


def test_the_login_page_is_styled_like_the_console(stack, new_page):
    page = new_page("login-page")
    page.goto(f"{stack['url']}/console/login")
    card = page.locator(".login-card")
    expect(card).to_be_visible()
    assert card.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    button = page.get_by_test_id("login-submit")
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 79, 145)"


def test_axe_finds_nothing_serious_on_the_handoff_queue_and_the_takeover_page(stack, new_page):
    """The queue with a waiting customer and its alert controls, and a ticket's page in each
    of its states: open, taken (reply box, scrolling messages, the "New message" button),
    after the agent's reply."""
    sender = "axe-takeover-" + uuid.uuid4().hex[:8]
    for n in range(8):
        rest(stack, sender, f"message number {n} about my order 100234, it's late!")
    ticket = open_ticket(stack, "rest:" + sender)
    page = new_page("axe-takeover", height=720)
    console_login(page, stack["url"])
    page.goto(f"{stack['url']}/console/handoffs")
    expect(page.locator(f"[data-ticket='{ticket}']")).to_be_visible()
    expect(page.get_by_test_id("presence-status")).not_to_have_attribute("data-state", "unknown")
    found = blocking_violations(page, "queue")
    page.get_by_test_id("alert-sound").uncheck()
    found += blocking_violations(page, "queue, sound off")
    page.get_by_test_id("alert-sound").check()

    page.locator(f"[data-ticket='{ticket}'] a").click()
    expect(page.get_by_test_id("take-over")).to_be_visible()
    found += blocking_violations(page, "ticket, open")
    page.get_by_test_id("take-over").click()
    expect(page.get_by_test_id("ticket-status")).to_have_text("taken")
    found += blocking_violations(page, "ticket, taken")
    messages = page.get_by_test_id("messages")
    assert messages.evaluate("el => el.scrollHeight > el.clientHeight")  # it scrolls
    # The page's first poll has redrawn the list (its own drawing marks the steps so).
    expect(page.get_by_test_id("turn-other").first).to_be_attached()
    messages.evaluate("el => { el.scrollTop = 0; }")
    rest(stack, sender, "are you still there?")
    expect(page.get_by_test_id("jump-to-newest")).to_be_visible()
    found += blocking_violations(page, "ticket, a new message below")
    page.get_by_test_id("jump-to-newest").click()
    page.get_by_test_id("agent-reply").fill("Hello, I'm looking at it now.")
    page.get_by_test_id("agent-send").click()
    expect(page.get_by_test_id("turn-bot").last).to_contain_text("I'm looking at it now")
    found += blocking_violations(page, "ticket, after the agent's reply")
    page.get_by_test_id("hand-back").click()
    assert found == [], "\n".join(found)
