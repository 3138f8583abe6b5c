"""The multilingual pieces of the NLU pipeline: Chinese word segmentation inside the
whitespace tokenizer, and the multilingual sentence vector (real jieba and USE weights)."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from shopassist.nlu.mixed_script_tokenizer import MixedScriptTokenizer
from shopassist.nlu.sentence_featurizer import MultilingualSentenceFeaturizer, encode


def tokens(text: str):
    tokenizer = MixedScriptTokenizer(MixedScriptTokenizer.get_default_config())
    found = tokenizer.tokenize(Message(data={TEXT: text}), TEXT)
    for token in found:  # every token points at its own characters
        assert text[token.start : token.end] == token.text
    return [token.text for token in found]


def test_chinese_is_cut_into_words_with_the_order_number_whole():
    words = tokens("我的订单100234到哪里了？")
    assert "100234" in words and "订单" in words
    assert len(words) >= 5
    assert "？" not in words


def test_no_chinese_clause_is_lost_beside_digits_or_latin_letters():
    # Rasa's emoji pattern spans the CJK blocks: the whitespace tokenizer used to drop every
    # all-Chinese clause of such a message.
    assert tokens("订单100234到哪了，谢谢")[-1] == "谢谢"
    words = tokens("买吸尘器付款的时候卡被拒了，换了PayPal也不行")
    assert words[0] == "买" and "吸尘器" in words and "PayPal" in words
    assert "".join(words) == "买吸尘器付款的时候卡被拒了换了PayPal也不行"


def test_an_address_or_an_order_number_glued_to_chinese_stays_whole():
    assert tokens("我的邮箱是anna.becker@example.com")[-1] == "anna.becker@example.com"
    assert tokens("订单ORD-100310到哪了？") == ["订单", "ORD-100310", "到", "哪", "了"]
    assert "100310" in tokens("帮我查下100310的物流")


def test_the_order_number_pattern_finds_digits_glued_to_chinese():
    import re

    import yaml

    data = yaml.safe_load(open("data/nlu/regex.yml", encoding="utf-8"))
    [block] = [item["examples"] for item in data["nlu"] if item.get("regex") == "order_id"]
    pattern = re.compile(block.strip().removeprefix("- "))
    assert [m.group() for m in pattern.finditer("帮我查下100310的物流")] == ["100310"]
    assert [m.group() for m in pattern.finditer("order #100234, ORD-100310")] == [
        "#100234",
        "ORD-100310",
    ]
    assert not pattern.search("1002345") and not pattern.search("abc100234")


def test_spaced_languages_tokenize_as_the_whitespace_tokenizer_does():
    assert tokens("Wo ist meine Bestellung 100234?") == [
        "Wo",
        "ist",
        "meine",
        "Bestellung",
        "100234",
    ]
    assert tokens("où est ma commande") == ["où", "est", "ma", "commande"]


def test_mixed_scripts_and_punctuation_only_chinese():
    assert tokens("DHL 快递 ORD-100342")[0] == "DHL"
    assert "ORD-100342" in tokens("DHL 快递 ORD-100342")
    assert tokens("。。。") == ["。。。"]  # nothing but punctuation: kept whole, as Rasa does


def test_sentence_vectors_are_unit_length_and_empty_text_is_zero():
    vectors = encode(["where is my parcel", "", "   ", "我的包裹在哪里"])
    assert vectors.shape == (4, 512)
    assert np.allclose(np.linalg.norm(vectors[[0, 3]], axis=1), 1.0, atol=1e-3)
    assert not vectors[1].any() and not vectors[2].any()


def test_the_same_request_in_two_languages_is_closer_than_another_request():
    parcel_en, parcel_de, parcel_zh, refund_en = encode(
        ["where is my parcel", "wo ist mein Paket", "我的包裹在哪里", "I want my money back"]
    )
    assert parcel_en @ parcel_de > parcel_en @ refund_en
    assert parcel_en @ parcel_zh > parcel_en @ refund_en


@pytest.mark.parametrize("text", ["Wo ist meine Bestellung?", "", "📦"])
def test_the_featurizer_adds_one_sentence_feature_to_every_message(text):
    featurizer = MultilingualSentenceFeaturizer(
        MultilingualSentenceFeaturizer.get_default_config(),
        ExecutionContext(graph_schema=None, node_name="sentence"),
    )
    (message,) = featurizer.process([Message(data={TEXT: text})])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, 512)
