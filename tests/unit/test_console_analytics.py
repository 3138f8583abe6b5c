"""Analytics over a tracker store Rasa wrote, with figures worked out by hand."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine

from shopassist.console.analytics import compute
from shopassist.console.conversations import ConversationStore
from tests.console_kit import (
    DAY,
    T0,
    action,
    bot,
    conversation_store,
    section_picked,
    session_start,
    slot,
    user,
    write_tracker_store,
)

DAY1, DAY2 = "2026-11-20", "2026-11-21"
MIDNIGHT = T0 + 15 * 3600  # 2026-11-21 00:00 UTC


def conversations():
    c1, c2, c3 = T0, T0 + 3600, MIDNIGHT - 10
    return {
        # Contained and rated 5: answers after 2, 4 and 1 seconds.
        "c1": [
            *session_start(c1),
            user("hi", "greet", c1 + 1, 0.98, sentiment=("neutral", 0.0)),
            slot("sentiment", "neutral", c1 + 1),
            action("utter_greet", c1 + 2),
            bot("Hello! How can I help?", c1 + 3),
            action("action_listen", c1 + 3),
            user("where is order 100234", "order_status", c1 + 10, 0.9,
                 entities=[("100234", "order_id")], sentiment=("neutral", 0.0)),
            action("order_lookup_form", c1 + 12),
            bot("It is on its way.", c1 + 14),
            action("action_listen", c1 + 14),
            user("thanks", "thank", c1 + 20, 0.99, sentiment=("positive", 0.6)),
            action("utter_you_are_welcome", c1 + 21),
            bot("You're welcome!", c1 + 21),
            action("action_listen", c1 + 21),
        ],
        # A fallback, then a handoff; rated 2. Answers after 4 and 3 seconds.
        "c2": [
            *session_start(c2),
            user("asdfgh", "nlu_fallback", c2 + 1, 0.3, sentiment=("negative", -0.5)),
            action("action_default_fallback", c2 + 2),
            bot("Sorry, I didn't get that.", c2 + 5),
            action("action_listen", c2 + 5),
            user("human please", "human_handoff", c2 + 10, 0.95,
                 sentiment=("negative", -0.7)),
            action("action_handoff", c2 + 11),
            bot("A colleague will take over.", c2 + 13),
            action("action_listen", c2 + 13),
        ],
        # Starts just before midnight, messages after it; one reply answers both (35 s, 10 s).
        # The second message predates sentiment analysis: it has none.
        "c3": [
            *session_start(c3),
            user("my order is late", "order_status", MIDNIGHT + 5, 0.55,
                 sentiment=("negative", -0.4)),
            action("action_listen", MIDNIGHT + 6),
            user("hello?", "greet", MIDNIGHT + 30, 0.4),
            action("utter_greet", MIDNIGHT + 39),
            bot("Hi, sorry for the wait.", MIDNIGHT + 40),
            action("action_listen", MIDNIGHT + 40),
        ],
        # Opened, never written to: not a conversation, and its rating doesn't count.
        "c4": session_start(MIDNIGHT + DAY),
    }  # fmt: skip


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    store = conversation_store(tmp_path_factory.mktemp("analytics") / "t.db", conversations())
    result = compute(store.rows(), {"c1": 5, "c2": 2, "c4": 1, "gone": 3})
    json.dumps(result)  # JSON-serialisable for the page
    return result


def test_counts(figures):
    assert figures["conversations"] == 3
    assert figures["messages"] == 7


def test_per_day_counts_conversations_on_their_first_day_and_messages_on_theirs(figures):
    assert figures["per_day"] == [
        {"day": DAY1, "conversations": 3, "messages": 5},
        {"day": DAY2, "conversations": 0, "messages": 2},
    ]


def test_rates(figures):
    assert figures["containment_rate"] == pytest.approx(2 / 3)
    assert figures["fallback_rate"] == pytest.approx(1 / 3)
    assert figures["handoff_rate"] == pytest.approx(1 / 3)


def test_top_intents_most_frequent_first_then_by_name(figures):
    assert figures["top_intents"] == [
        {"intent": "greet", "count": 2},
        {"intent": "order_status", "count": 2},
        {"intent": "human_handoff", "count": 1},
        {"intent": "nlu_fallback", "count": 1},
        {"intent": "thank", "count": 1},
    ]


def test_sentiment_by_day_skips_messages_without_sentiment(figures):
    day1, day2 = figures["sentiment_by_day"]
    assert day1 == {
        "day": DAY1,
        "mean_score": pytest.approx((0.0 + 0.0 + 0.6 - 0.5 - 0.7) / 5),
        "negative_share": pytest.approx(2 / 5),
    }
    assert day2 == {"day": DAY2, "mean_score": pytest.approx(-0.4), "negative_share": 1.0}


def test_ratings_only_of_conversations_present(figures):
    assert figures["average_rating"] == pytest.approx(3.5)
    assert figures["ratings"] == 2


def test_median_response_time(figures):
    # c1: 2, 4, 1; c2: 4, 3; c3: 35, 10 -> 1 2 3 4 4 10 35
    assert figures["median_response_seconds"] == pytest.approx(4.0)


def test_fallback_action_alone_counts_and_top_intents_stop_at_ten(tmp_path):
    events = session_start(T0)
    for i in range(12):
        at = T0 + 10 * (i + 1)
        events += [user(f"message {i}", f"intent_{i:02d}", at), action("action_listen", at)]
    events += [action("action_two_stage_fallback", T0 + 500)]
    store = conversation_store(tmp_path / "t.db", {"only": events})
    result = compute(store.rows(), {})
    assert [item["intent"] for item in result["top_intents"]] == [
        f"intent_{i:02d}" for i in range(10)
    ]
    assert result["fallback_rate"] == 1.0
    assert result["containment_rate"] == 1.0
    assert result["median_response_seconds"] is None  # no bot ever answered
    assert result["average_rating"] is None and result["ratings"] == 0


EMPTY = {
    "conversations": 0,
    "messages": 0,
    "per_day": [],
    "containment_rate": None,
    "fallback_rate": None,
    "handoff_rate": None,
    "top_intents": [],
    "sentiment_by_day": [],
    "average_rating": None,
    "ratings": 0,
    "median_response_seconds": None,
    "answer_paths": [],
}


def test_empty_store_without_the_events_table(tmp_path):
    store = ConversationStore(create_engine(f"sqlite:///{tmp_path}/none.db"))
    assert compute(store.rows(), {"c1": 4}) == EMPTY


def test_store_with_no_conversations_yet(tmp_path):
    store = ConversationStore(create_engine(write_tracker_store(tmp_path / "t.db", {})))
    assert compute(store.rows(), {}) == EMPTY


def test_figures_follow_new_events_and_agree_with_a_full_read(tmp_path):
    from shopassist.console.analytics import figures

    path = tmp_path / "t.db"
    url = write_tracker_store(path, conversations())
    store = ConversationStore(create_engine(url))
    ratings = {"c1": 5, "c2": 2}
    assert figures(store, ratings) == compute(store.rows(), ratings)
    before = figures(store, ratings)["messages"]

    # Rasa appends to one conversation and starts another (a tracker is saved whole; the
    # store adds the events it doesn't have): only those are read again.
    c1 = conversations()["c1"] + [user("and my refund?", "refund_status", T0 + 100, 0.9)]
    c9 = [*session_start(T0 + DAY), user("hi", "greet", T0 + DAY + 1, 0.9)]
    write_tracker_store(path, {"c1": c1, "c9": c9})
    read = []
    store.per_conversation("probe", lambda c, rows: read.append(c))
    read.clear()
    write_tracker_store(path, {"c9": c9 + [user("bye", "goodbye", T0 + DAY + 5, 0.9)]})
    store.per_conversation("probe", lambda c, rows: read.append(c))
    assert read == ["c9"]
    after = figures(store, ratings)
    assert after == compute(store.rows(), ratings)
    assert after["messages"] == before + 3
    assert [s.conversation for s in store.summaries(ratings)][0] == "c9"


def test_questions_are_counted_by_the_path_that_read_and_answered_them(tmp_path):
    from rasa.shared.core.events import BotUttered

    asked = user("will returning it cost me anything?", "faq", T0 + 1)
    asked.parse_data["answered_by"] = "question_first"  # as shopassist.nlu.help_search sets it
    unsure = user("cheapest delivery?", "faq", T0 + 10)
    unsure.parse_data["answered_by"] = "search"
    store = conversation_store(tmp_path / "t.db", {
        "q": [
            *session_start(T0), asked,
            BotUttered("Returns are free.", metadata={"answered_by": "curated"}, timestamp=T0 + 2),
            unsure,
            BotUttered("Delivery.", metadata={"answered_by": "passage"}, timestamp=T0 + 11),
            user("thanks", "thank", T0 + 20), bot("You're welcome!", T0 + 21),
        ],
    })  # fmt: skip
    paths = compute(store.rows(), {})["answer_paths"]
    assert paths == [
        {"stage": "read", "path": "question_first", "count": 1},
        {"stage": "read", "path": "search", "count": 1},
        {"stage": "answered", "path": "curated", "count": 1},
        {"stage": "answered", "path": "passage", "count": 1},
    ]


def test_a_help_page_section_picked_from_did_you_mean_is_counted_as_its_own_path(tmp_path):
    from rasa.shared.core.events import BotUttered

    answer = BotUttered(
        "Return shipping costs $6.95.", metadata={"answered_by": "did_you_mean"}, timestamp=T0 + 3
    )
    events = section_picked(
        "sending stuff back price",
        "returns.md#return-shipping-costs",
        "Return shipping costs",
        answer,
    )
    paths = compute(conversation_store(tmp_path / "t.db", {"p": events}).rows(), {})["answer_paths"]
    # Once, though Rasa's two-stage fallback stores the press twice.
    assert paths == [{"stage": "answered", "path": "did_you_mean", "count": 1}]
