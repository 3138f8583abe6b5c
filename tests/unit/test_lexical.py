"""The words a question shares with a passage lift it in the search (BM25 beside the cosine)."""

import numpy as np

from shopassist.knowledge import lexical
from shopassist.knowledge.lexical import LexicalScores, words

PASSAGES = [
    "Payment methods. We accept Visa, Mastercard, PayPal, Apple Pay and gift cards.",
    "Return shipping. Return shipping costs $6.95, taken off your refund.",
    "Warranty. Electronics have 12 or 24 months of warranty.",
]


def test_words_drop_stop_words_and_plural_endings():
    assert words("Do you accept debit cards?") == ["accept", "debit", "card"]
    assert words("address") == ["address"]  # a double s is not a plural


def test_a_rare_shared_word_lifts_its_passage_and_the_lift_is_bounded():
    boost = LexicalScores(PASSAGES).boost("do you take apple pay on iphone")
    assert int(np.argmax(boost)) == 0
    assert 0 < boost[0] < lexical.WEIGHT and boost[1] == boost[2] == 0


def test_no_shared_word_adds_nothing():
    assert not LexicalScores(PASSAGES).boost("hello there").any()


def test_leaving_a_text_out_scores_as_if_the_passage_lacked_it():
    documents = [*PASSAGES[:2], PASSAGES[2] + " how long is the guarantee on a kettle"]
    scores = LexicalScores(documents)
    assert scores.bm25("kettle guarantee")[2] > 0
    left_out = scores.bm25("kettle guarantee", (2, "how long is the guarantee on a kettle"))
    assert left_out[2] == 0
