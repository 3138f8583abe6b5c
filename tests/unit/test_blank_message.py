import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.blank_message import BlankMessageClassifier, is_blank


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t", "\x00\x07", "\u200b", "\u3000"])
def test_nothing_to_read_is_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", " ? ", "📦", "注文", "100234"])
def test_anything_readable_is_not(text):
    assert not is_blank(text)


def test_blank_messages_become_nlu_fallback_and_others_are_untouched():
    blank, real = Message(data={TEXT: "  "}), Message(data={TEXT: "hi", INTENT: {"name": "greet"}})
    BlankMessageClassifier().process([blank, real])
    assert blank.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert real.get(INTENT) == {"name": "greet"}
