"""The replies-in-language benchmark's pure parts: replies read from a tracker's events,
judged by the real detector, summed up per language, and the tables."""

from bench import languages, replies_language

EVENTS = [
    {"event": "action", "name": "action_session_start"},
    {"event": "user", "text": "Wo ist meine Bestellung 100234? Sie sollte längst da sein."},
    {"event": "action", "name": "order_lookup_form"},
    {
        "event": "bot",
        "text": "Zum Schutz Ihrer Daten: Mit welcher E-Mail-Adresse haben Sie bestellt?",
        "metadata": {"utter_action": "utter_ask_email"},
    },
    {"event": "action", "name": "action_order_card"},
    {"event": "bot", "text": "#100234", "metadata": {}},
    {"event": "bot", "text": "Sorry, I didn't understand that. Please try again.", "metadata": {}},
]


def test_replies_are_named_by_their_response_or_the_action_that_sent_them():
    replies = replies_language.replies_of(EVENTS)
    assert [(r["action"], r["response"]) for r in replies] == [
        ("order_lookup_form", "utter_ask_email"),
        ("action_order_card", None),
        ("action_order_card", None),
    ]


def test_each_reply_is_judged_and_summed_up():
    text = "Wo ist meine Bestellung 100234? Sie sollte längst da sein."
    result = replies_language.judge("de", {"text": text, "replies": replies_of()})
    assert result["message_clear"]
    assert [r["read"] for r in result["replies"]] == ["in language", "no letters", "en"]
    short = replies_language.judge("de", {"text": "danke", "replies": replies_of()[:1]})
    assert not short["message_clear"]
    summary = replies_language.summarise("de", [result, short])
    assert (summary["replies"], summary["no_letters"], summary["counted"]) == (4, 1, 3)
    assert summary["in_language"] == 2 and summary["share"] == 2 / 3
    assert summary["share_after_clear_message"] == 1 / 2
    assert summary["not_in_language"] == [
        {"reply": "action_order_card", "read": "en", "message_clear": True, "count": 1,
         "example": text}
    ]  # fmt: skip


def replies_of():
    return replies_language.replies_of(EVENTS)


def test_the_tables_show_every_language_and_what_was_not_in_it():
    judged = replies_language.judge("de", {"text": "Wo ist meine Bestellung?", "replies": []})
    result = {
        "when": "2026-12-07 21:00 UTC",
        "machine": {"cpu": "x", "cores": 2, "python": "3.10"},
        "load_average": {"before": (1.0, 1.0, 1.0), "after": (2.0, 2.0, 2.0)},
        "seconds": 60,
        "languages": {"de": replies_language.summarise("de", [judged])},
    }
    text = replies_language.markdown(result, "cmd")
    assert "| de | 1 | 0 | 0 | 0 of 0, **-** | - of 0 |" in text
    summary = {
        "when": "now",
        "seconds": 60,
        "load_average": result["load_average"],
        "understanding": {"en": {"in_scope": 9, "off_topic": 3, "accuracy": 0.9,
                                 "off_topic_recall": 0.5, "left_out_as_seen_in_training": 1}},
        "replies": {"languages": {"de": {"share": 0.99, "counted": 100}}},
    }  # fmt: skip
    table = languages.markdown(summary)
    assert "| en | 9 / 3 (1) | 0.900 | 0.500 | - |" in table
    assert "| de | - / - (-) | - | - | 99.0% of 100 |" in table
