"""What the web chat gets that other channels don't: one welcome, and cards sent with the
text they stand for (shopassist/nlg.py, shopassist/channels/socketio.py)."""

import asyncio
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from shopassist.channels.socketio import SpeakerSocketIOOutput
from shopassist.language.messages import message
from shopassist.nlg import RecordedResponses
from shopassist.store.models import message_key

ROOT = Path(__file__).resolve().parents[2]
CARD = {"title": "Order #100234", "status": "Shipped", "rows": [], "items": []}


def greet(channel: str, language: str = "en") -> str:
    generator = RecordedResponses(domain=Domain.from_path(str(ROOT / "domain.yml")))
    parse = {"language": {"code": language, "clear": True}}
    tracker = DialogueStateTracker.from_events("s", [UserUttered("hi", parse_data=parse)])
    return asyncio.run(generator.generate("utter_greet", tracker, channel))["text"]


def test_the_web_chat_welcomes_once():
    # The widget's welcome introduces the assistant; its answer to "hi" does not again.
    assert "I'm ShopAssist" in greet("rest") and "I'm ShopAssist" in greet("cmdline")
    assert greet("socketio") == "Hello! What can I do for you?"
    assert greet("socketio", "de") == message("greet.welcomed", "de") != greet("socketio")


class Sio:
    def __init__(self):
        self.sent = []

    async def emit(self, event, data=None, room=None, **kwargs):
        self.sent.append(data if data is not None else kwargs.get("data"))


def send(message: dict) -> list:
    sio = Sio()
    asyncio.run(SpeakerSocketIOOutput(sio, "bot_uttered").send_response("room", message))
    return sio.sent


def test_a_text_with_its_card_is_one_message():
    (sent,) = send(
        {
            "text": "Order #100234 is shipped.\n\nIt is late.",
            "buttons": [{"title": "Talk to a person", "payload": "/human_handoff"}],
            "custom": {"data": {"order_card": CARD}},
            "timestamp": 1764000000.5,
            "role": "order",
        }
    )
    assert sent["text"] == "Order #100234 is shipped.\n\nIt is late."  # not split: one answer
    assert sent["order_card"] == CARD
    assert sent["quick_replies"] == [
        {"content_type": "text", "title": "Talk to a person", "payload": "/human_handoff"}
    ]
    assert sent["message_at"] == message_key(1764000000.5)
    assert sent["private"] is True  # order details: kept out of the browser's storage


def test_other_messages_go_as_before_and_only_order_details_are_private():
    sent = send({"text": "Hello!\n\nHow can I help?", "role": "greeting"})
    assert [m["text"] for m in sent] == ["Hello!", "How can I help?"]
    assert not any("private" in m for m in sent)
    (status,) = send({"text": "Order #100234 is shipped.", "role": "rephrase"})
    assert status["private"] is True
    # A card alone (no text) is a custom message, as Rasa sends it.
    (card,) = send({"custom": {"data": {"order_card": CARD}}, "timestamp": 1.5})
    assert card["order_card"] == CARD
