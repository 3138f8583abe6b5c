"""The closest help-page section among the "Did you mean ...?" buttons, and its answer, on
the real help pages and encoders: offered only when the pages cover the message, titled
in the customer's language, and answered from exactly that section when pressed."""

from rasa.shared.core.events import BotUttered

from actions.knowledge import ActionAnswerQuestion
from actions.support import ActionAskAffirmation
from shopassist.dialogue import help_offer
from shopassist.generation.knowledge_answers import sentences
from shopassist.knowledge import get_index, load_passages
from shopassist.knowledge.coverage import UNKNOWN_BELOW
from shopassist.knowledge.languages import LANGUAGE_UNKNOWN_BELOW, language_index
from shopassist.nlu.help_search import SEARCH_MIN_SCORE
from tests.actions_kit import make_tracker, run
from tests.console_kit import T0, section_picked

# Words the fallback stops, which the help pages cover but not closely enough for the
# search to answer them outright (shopassist.nlu.help_search): between the two lines.
PLAUSIBLE = "money back thing"
PLAUSIBLE_SECTION = "refunds.md#when-you-get-your-refund"
# Nothing in the help pages is about these.
UNRELATED = "my cat likes boxes"
GERMAN = "Rücksendung kostet was"
GERMAN_SECTION = "returns.md#return-shipping-costs"
UNSURE = [
    {"name": "nlu_fallback", "confidence": 0.7},
    {"name": "start_return", "confidence": 0.25},
    {"name": "faq", "confidence": 0.2},
]


def title(section, language="en"):
    return next(p.title for p in load_passages(language=language) if p.id == section)


def text_of(section, language="en"):
    return next(p.text for p in load_passages(language=language) if p.id == section)


def did_you_mean(text, ranking=UNSURE, language=None):
    tracker = make_tracker(intent="nlu_fallback", text=text, ranking=ranking, language=language)
    (message,) = run(ActionAskAffirmation(), tracker).messages
    return message


def test_the_messages_here_are_between_the_coverage_line_and_the_search_s():
    (best,) = get_index().search(PLAUSIBLE, 1)
    assert best.passage.id == PLAUSIBLE_SECTION
    assert UNKNOWN_BELOW <= best.score < SEARCH_MIN_SCORE
    assert get_index().search(UNRELATED, 1)[0].score < UNKNOWN_BELOW
    (german,) = language_index("de").search(GERMAN, 1)
    assert german.passage.id == GERMAN_SECTION and german.score >= LANGUAGE_UNKNOWN_BELOW


def test_a_covered_message_gets_the_closest_section_among_the_requests():
    message = did_you_mean(PLAUSIBLE)
    assert message["response"] == "utter_did_you_mean"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("Return something", "/start_return"),
        (title(PLAUSIBLE_SECTION), "/faq"),
        ("Something else", "/out_of_scope"),
    ]
    # What a press of "/faq" answers from: in the message's event metadata.
    assert message[help_offer.SECTION] == PLAUSIBLE_SECTION


def test_with_no_request_to_suggest_the_section_alone_is_offered():
    message = did_you_mean(PLAUSIBLE, ranking=[{"name": "nlu_fallback", "confidence": 0.7}])
    assert message["response"] == "utter_did_you_mean"
    assert [b["payload"] for b in message["buttons"]] == ["/faq", "/out_of_scope"]


def test_nothing_covered_offers_the_requests_alone_or_asks_to_rephrase():
    message = did_you_mean(UNRELATED)
    assert [b["payload"] for b in message["buttons"]] == ["/start_return", "/out_of_scope"]
    assert help_offer.SECTION not in message
    alone = did_you_mean(UNRELATED, ranking=[{"name": "nlu_fallback", "confidence": 0.7}])
    assert alone["response"] == "utter_ask_rephrase" and not alone["buttons"]


def test_the_section_s_title_is_in_the_customer_s_language():
    message = did_you_mean(GERMAN, language="de")
    section = message[help_offer.SECTION]
    assert section == GERMAN_SECTION
    assert (title(section, "de"), "/faq") in [
        (b["title"], b["payload"]) for b in message["buttons"]
    ]
    assert title(section, "de") != title(section)


def test_without_the_help_pages_did_you_mean_still_offers_the_requests(monkeypatch):
    def unreadable(text, language):
        raise OSError("no index")

    monkeypatch.setattr(help_offer, "plausible_section", unreadable)
    message = did_you_mean(PLAUSIBLE)
    assert [b["payload"] for b in message["buttons"]] == ["/start_return", "/out_of_scope"]


def pressed(question, section, language=None, title_shown="Offered"):
    """action_answer_question after the customer pressed the section's button, with the
    events as Rasa stores them (the press rewound and stored again) and sends them."""
    answer = BotUttered("(the answer)", timestamp=T0 + 3)
    events = [e.as_dict() for e in section_picked(question, section, title_shown, answer)[:-1]]
    # The latest message (the press, stored again) is make_tracker's own.
    tracker = make_tracker(intent="faq", text="/faq", events=events[:-1], language=language)
    (message,) = run(ActionAnswerQuestion(), tracker).messages
    return message


def from_section(text, section, language="en"):
    return all(part in text_of(section, language) for part in sentences(text, language))


def test_a_press_answers_from_exactly_the_section_offered():
    # Not the section the words are closest to: the one offered, whatever it is.
    offered = "returns.md#exchanges"
    assert offered != PLAUSIBLE_SECTION
    message = pressed(PLAUSIBLE, offered)
    assert from_section(message["text"], offered)
    assert message["answered_by"] == help_offer.PATH == "did_you_mean"
    assert (message["generated_by"], message["role"], message["check"]) == (
        "template",
        "answer",
        "none",
    )
    assert message["language"] == "en"


def test_a_press_in_another_language_answers_from_that_language_s_section():
    message = pressed(GERMAN, GERMAN_SECTION, language="de")
    assert from_section(message["text"], GERMAN_SECTION, "de")
    assert (message["answered_by"], message["language"]) == ("did_you_mean", "de")


def test_only_a_press_of_the_offered_button_is_answered_from_the_section():
    offer = help_offer.SECTION
    did_you_mean_event = {"event": "bot", "text": "Did you mean?", "metadata": {offer: "x.md#y"}}
    asked = {"event": "user", "text": "box price back"}
    press = {"event": "user", "text": "/faq"}
    assert help_offer.picked_section([asked, did_you_mean_event, press, press]) == (
        "x.md#y",
        "box price back",
    )
    # Words typed instead of the press, or "/faq" with no section on offer: the usual answer.
    typed = {"event": "user", "text": "how much is return shipping"}
    assert help_offer.picked_section([asked, did_you_mean_event, typed]) is None
    plain = {"event": "bot", "text": "Did you mean?", "metadata": {}}
    assert help_offer.picked_section([asked, plain, press]) is None
    assert help_offer.picked_section([asked, did_you_mean_event]) is None  # not pressed yet
