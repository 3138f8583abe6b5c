"""Handoff, fallbacks, corrections and ratings in whole REST conversations, with their
records in the database."""

import json
import uuid

import pytest
from sqlalchemy import select

from shopassist.formats import day
from shopassist.store.db import session_scope
from shopassist.store.models import ConversationRating, HandoffTicket
from shopassist.store.orders import order_facts

pytestmark = pytest.mark.integration

# Vague messages and mumbling; which of them the model falls back on depends on training.
# (Keyboard mash is out of scope, not a fallback: data/nlu/out_of_scope.yml.)
# Which of these a model falls back on depends on the model; the fixtures pick those it does.
MUMBLING = [
    "box came, stuff inside not right maybe",
    "what about it",
    "my thing",
    "erm uh hmm",
    "you know",
    "wait what",
    "ugh this",
    "ok and",
    "that one from before",
    "idk the whatever",
    "this and that",
    "that whole situation",
    "you know the one",
    "and the other",
]
VAGUE = [
    "money back thing",
    "box came, stuff inside not right maybe",
    "the parcel thing again",
    "about that package of mine",
    "order something",
    "payment stuff",
    "hmm maybe the package thing",
    "the refund business",
    "that delivery",
    "my account thing",
]


def fallbacks(assistant, candidates, with_suggestion, headers=None):
    """The candidates the served model falls back on (found through /model/parse, with
    `headers` for an API behind a token), with their first suggestion: those with one if
    `with_suggestion`, else those with none (no request, and no help-page section: "did
    you mean" offers the closest one when the help pages cover the message)."""
    import requests

    from shopassist.dialogue.help_offer import plausible_section
    from shopassist.dialogue.intents import suggestions

    found = []
    for text in candidates:
        parsed = requests.post(
            f"{assistant}/model/parse", json={"text": text}, headers=headers, timeout=30
        ).json()
        if parsed["intent"]["name"] != "nlu_fallback":
            continue
        offered = suggestions(parsed["intent_ranking"])
        if with_suggestion and offered:
            found.append((text, *offered[0]))
        elif not with_suggestion and not offered and plausible_section(text, "en") is None:
            found.append(text)
    return found


@pytest.fixture(scope="module")
def ambiguous(assistant):
    """(message, intent, button title): a vague message the served model falls back on
    while ranking a request the assistant can suggest."""
    found = fallbacks(assistant, VAGUE, with_suggestion=True)
    if not found:
        pytest.fail(f"the model falls back on none of {VAGUE} with a request to suggest: add one")
    return found[0]


@pytest.fixture(scope="module")
def gibberish(assistant):
    """Two messages the served model falls back on with nothing to suggest."""
    found = fallbacks(assistant, MUMBLING + VAGUE, with_suggestion=False)
    if len(found) < 2:
        pytest.fail(f"the model falls back on fewer than two of {MUMBLING + VAGUE}: add some")
    return found[:2]


def new_sender():
    return f"test-{uuid.uuid4().hex[:8]}"


def tickets(db_url, sender):
    with session_scope(db_url) as session:
        rows = session.execute(
            select(HandoffTicket).where(HandoffTicket.conversation == "rest:" + sender)
        ).scalars()
        return [(t.reason, json.loads(t.transcript), t.customer_email) for t in rows]


def test_asking_for_a_person_opens_a_ticket_with_the_transcript(say, db_url):
    sender = new_sender()
    say(sender, "hi")
    (reply,) = say(sender, "I want to talk to a real person")
    assert "ticket is H-" in reply and "+1 800 555 0142" in reply
    ((reason, transcript, email),) = tickets(db_url, sender)
    assert reason == "asked" and email is None
    said = [turn["text"] for turn in transcript if turn["who"] == "customer"]
    assert said == ["hi", "I want to talk to a real person"]
    assert any("ShopAssist" in turn["text"] for turn in transcript if turn["who"] == "assistant")


def test_a_proven_customer_hears_back_by_e_mail(say, db_url):
    sender = new_sender()
    say(sender, "where is my order 100234")
    say(sender, "anna.becker@example.com")
    (reply,) = say(sender, "can I talk to an agent")
    assert "anna.becker@example.com" in reply
    ((_, _, email),) = tickets(db_url, sender)
    assert email == "anna.becker@example.com"


def test_a_request_for_a_person_inside_a_form_ends_it_with_a_ticket(say, db_url):
    sender = new_sender()
    say(sender, "i want to return something from order 100235")
    say(sender, "anna.becker@example.com")
    (reply,) = say(sender, "let me speak to a human")[:1]
    assert "ticket is H-" in reply
    assert "ShopAssist" in say(sender, "hello")[0]  # the return form is over


def text_of(replies):
    return " ".join(m.get("text", "") for m in replies)


def test_not_understood_twice_in_a_row_then_a_person(chat, db_url, gibberish):
    one, two = gibberish
    sender = new_sender()
    # No likely request to offer: asked to rephrase at once.
    (question,) = chat(sender, one)
    assert "rephrase" in question["text"] and not question.get("buttons")
    first = text_of(chat(sender, two))  # not understood twice: gives up
    assert "I still don't understand" in first and not tickets(db_url, sender)
    assert "rephrase" in text_of(chat(sender, one))
    second = text_of(chat(sender, two))
    assert "keep misunderstanding" in second and "ticket is H-" in second
    ((reason, transcript, _),) = tickets(db_url, sender)
    assert reason == "misunderstood" and two in text_of(transcript)


def test_something_else_twice_gives_up(chat, ambiguous):
    text = ambiguous[0]
    sender = new_sender()
    # Rasa's two-stage fallback: "did you mean?" -> "something else" -> rephrase ->
    # not understood again -> "something else" -> gives up (action_default_fallback).
    (question,) = chat(sender, text)
    assert "Did you mean" in question["text"]
    assert "rephrase" in text_of(chat(sender, "/out_of_scope"))
    assert "Did you mean" in text_of(chat(sender, text))
    assert "I still don't understand" in text_of(chat(sender, "/out_of_scope"))


def test_picking_a_suggestion_carries_on_with_that_request(chat, ambiguous, assistant):
    import requests

    text, intent, title = ambiguous
    sender = new_sender()
    (question,) = chat(sender, text)
    buttons = {b["title"]: b["payload"] for b in question["buttons"]}
    assert buttons[title] == f"/{intent}" and buttons["Something else"] == "/out_of_scope"
    replies = chat(sender, f"/{intent}")
    # The request goes on as if understood the first time: no second "did you mean".
    assert replies and all("Did you mean" not in m.get("text", "") for m in replies)
    tracker = requests.get(f"{assistant}/conversations/rest:{sender}/tracker", timeout=30).json()
    user_intents = [
        e["parse_data"]["intent"]["name"] for e in tracker["events"] if e["event"] == "user"
    ]
    assert user_intents[-1] == intent


@pytest.fixture(scope="module")
def covered(assistant):
    """(message, section): a message the served model falls back on, which the help pages
    cover (shopassist.dialogue.help_offer), with the section "did you mean" offers."""
    import requests

    from shopassist.dialogue.help_offer import plausible_section

    for text in VAGUE + MUMBLING:
        parsed = requests.post(f"{assistant}/model/parse", json={"text": text}, timeout=30)
        section = plausible_section(text, "en")
        if parsed.json()["intent"]["name"] == "nlu_fallback" and section is not None:
            return text, section
    pytest.fail(f"the model falls back on none of {VAGUE + MUMBLING} the help pages cover")


def test_a_help_page_section_picked_from_did_you_mean_answers_from_it(chat, covered, assistant):
    import requests

    from shopassist.generation.knowledge_answers import sentences

    text, section = covered
    sender = new_sender()
    (question,) = chat(sender, text)
    assert "Did you mean" in question["text"]
    buttons = {b["title"]: b["payload"] for b in question["buttons"]}
    assert buttons[section.title] == "/faq" and buttons["Something else"] == "/out_of_scope"
    (answer,) = chat(sender, "/faq")
    assert all(part in section.text for part in sentences(answer["text"]))
    tracker = requests.get(f"{assistant}/conversations/rest:{sender}/tracker", timeout=30).json()
    offer, reply = [e["metadata"] for e in tracker["events"] if e["event"] == "bot"][-2:]
    assert offer["help_section"] == section.id
    assert (reply["answered_by"], reply["role"]) == ("did_you_mean", "answer")


def test_a_correction_switches_to_the_order_meant_and_checks_it(say, db_url):
    with session_scope(db_url) as session:
        meant = order_facts(session, "100235")
        someone_elses = order_facts(session, "100311")
    sender = new_sender()
    say(sender, "where is my order 100234")
    say(sender, "anna.becker@example.com")
    replies = say(sender, "sorry, I meant order 100235")
    assert any("#100235" in r and meant.status.replace("_", " ") in r for r in replies)
    # Another customer's order: refused like an unknown one, nothing disclosed.
    replies = say(sender, "no wait, I meant 100311")
    assert any("couldn't match" in r for r in replies)
    assert all(
        someone_elses.tracking_number not in r for r in replies if someone_elses.tracking_number
    )


def test_the_other_order_is_picked_from_buttons(chat):
    sender = new_sender()
    chat(sender, "where is my order 100234")
    chat(sender, "anna.becker@example.com")
    replies = chat(sender, "no, the other order")
    pick = [m for m in replies if m.get("buttons")]
    assert pick and "Which order" in pick[-1]["text"]
    payloads = [b["payload"] for b in pick[-1]["buttons"]]
    assert payloads and '/inform{"order_id": "100234"}' not in payloads  # not that one again
    other = json.loads(payloads[0][len("/inform") :])["order_id"]
    (answer,) = chat(sender, payloads[0])[:1]
    assert f"#{other}" in answer["text"] and "placed on" in answer["text"]


def test_a_closing_rating_is_stored(chat, db_url):
    sender = new_sender()
    chat(sender, "cancel order 100234")  # refused (shipped): the request ends there
    assert "anything else" in chat(sender, "anna.becker@example.com")[-1]["text"]
    replies = chat(sender, "no, that's all")
    assert "rate this chat" in replies[-1]["text"] and len(replies[-1]["buttons"]) == 6
    assert replies[-1]["buttons"][1]["payload"] == '/rate{"rating": "4"}'
    replies = chat(sender, '/rate{"rating": "4"}')
    assert "Thank you for rating" in replies[0]["text"] and "Goodbye" in replies[-1]["text"]
    with session_scope(db_url) as session:
        scores = session.execute(
            select(ConversationRating.score).where(
                ConversationRating.conversation == "rest:" + sender  # REST's stored id
            )
        ).scalars()
        assert list(scores) == [4]


def test_two_requests_in_one_message_are_answered_in_turn(say, db_url):
    from shopassist.store.invoices import invoice_view

    with session_scope(db_url) as session:
        facts = order_facts(session, "100235")
        invoice = invoice_view(session, "100235")
    sender = new_sender()
    say(sender, "where is my order 100235 and can I get the invoice too")
    replies = say(sender, "anna.becker@example.com")
    assert f"Order #{facts.order_id}, placed on" in replies[0]
    assert invoice.number in replies[1] and invoice.total in replies[1]
    assert not any("anything else" in r for r in replies)  # answers: no request ended


def test_thanks_and_bye_in_one_message(say):
    (reply,) = say(new_sender(), "thanks a lot, bye!")
    assert reply.startswith("You're welcome!") and "Goodbye" in reply


def test_an_angry_late_order_is_acknowledged_told_its_date_and_offered_a_person(chat, db_url):
    with session_scope(db_url) as session:
        facts = order_facts(session, "100310")  # out for delivery
    sender = new_sender()
    chat(sender, "This is ridiculous, my order 100310 is late!")
    (answer,) = [m for m in chat(sender, "ben.carter@example.com") if m.get("text")][:1]
    assert answer["text"].startswith("I'm sorry your order is taking longer than you expected.")
    assert "Order #100310" in answer["text"] and "out for delivery" in answer["text"]
    assert day(facts.estimated_delivery) in answer["text"]
    assert {"title": "Talk to a person", "payload": "/human_handoff"} in answer["buttons"]


def test_a_no_to_the_order_list_opens_nothing(chat):
    sender = new_sender()
    chat(sender, "show me my recent orders")
    chat(sender, "100234")
    listed = chat(sender, "anna.becker@example.com")
    assert "Which one would you like to look at?" in listed[-1]["text"]
    (reply,) = chat(sender, "no")
    assert reply["text"].startswith("All right, I haven't opened any of them.")
    assert "still" not in reply["text"]
