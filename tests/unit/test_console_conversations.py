"""What the console shows of a conversation: understanding per turn, no credentials."""

from __future__ import annotations

import json
from types import SimpleNamespace

from shopassist.console.conversations import summarise, turn_of


def row(type_name, data, **columns):
    return SimpleNamespace(
        type_name=type_name, data=json.dumps(data), timestamp=data.get("timestamp", 1.0),
        intent_name=columns.get("intent_name"), action_name=columns.get("action_name"),
        sender_id="c1",
    )  # fmt: skip


def test_a_token_copied_into_the_session_metadata_is_never_shown():
    token_slot = row("slot", {"event": "slot", "name": "session_started_metadata",
                              "value": {"customer_token": "eyJ.secret"}})  # fmt: skip
    assert turn_of(token_slot) is None
    assert turn_of(row("slot", {"event": "slot", "name": "order_id", "value": "1"})).value == "1"


def test_an_entity_two_extractors_found_is_listed_once_and_sentiment_apart():
    found = [
        {"entity": "order_id", "value": "100234", "start": 9, "end": 15, "extractor": name}
        for name in ("RegexEntityExtractor", "DIETClassifier")
    ] + [{"entity": "sentiment", "value": "neutral", "start": 0, "end": 0}]
    user = row("user", {"event": "user", "text": "order no 100234", "parse_data": {
        "intent": {"name": "order_status", "confidence": 0.42}, "entities": found,
        "sentiment": {"label": "neutral", "score": 0.0}}})  # fmt: skip
    turn = turn_of(user)
    assert [e["value"] for e in turn.entities] == ["100234"]
    assert turn.low_confidence and turn.sentiment["label"] == "neutral"
    summary = summarise("c1", [user])
    assert summary.low_confidence and summary.intents == ["order_status"]


def test_an_order_card_shows_as_its_title_in_the_transcript():
    card = {"order_card": {"title": "Order #100234", "status": "Shipped", "rows": [], "items": []}}
    bot = row("bot", {"event": "bot", "text": None, "data": {"custom": {"data": card}}})
    assert turn_of(bot).text == "[order card: Order #100234, Shipped]"
