"""Very long messages are cut before NLU, at a word boundary, short ones left alone."""

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.length_guard import MessageLengthGuard


def test_long_messages_are_cut_at_a_word_boundary():
    guard = MessageLengthGuard(100)
    original = "where is my order " * 50
    message = Message(data={TEXT: original})
    guard.process([message])
    text = message.get(TEXT)
    assert 50 < len(text) <= 100 and original.startswith(text + " ")  # whole words only


def test_one_huge_word_is_cut_hard_and_short_messages_stay():
    guard = MessageLengthGuard(100)
    huge, short = Message(data={TEXT: "x" * 20000}), Message(data={TEXT: "hi"})
    guard.process([huge, short])
    assert huge.get(TEXT) == "x" * 100 and short.get(TEXT) == "hi"


def test_a_tiny_limit_is_refused():
    with pytest.raises(ValueError):
        MessageLengthGuard(10)
