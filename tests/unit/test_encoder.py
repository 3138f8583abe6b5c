"""The word encoder on both runtimes: alignment, padding, long and odd inputs (real MiniLM
weights), and ONNX Runtime giving PyTorch's vectors."""

import numpy as np
import pytest

from shopassist.nlu.encoder import WordEncoder
from shopassist.nlu.model_location import resolve_model_dir


@pytest.fixture(scope="module", params=["torch", "onnx"])
def encoder(request):
    return WordEncoder(
        resolve_model_dir(None, None), max_length=32, batch_size=4, runtime=request.param
    )


TEXTS = [
    ["unbelievably", "fast", "delivery", "ORD-100234"],
    "Wo ist meine Bestellung 100234 ?".split(),
    ["我的订单", "在", "哪里"],
    ["parcel"] * 70,  # three windows
    [],
    ["\x00\x07"],
    ["📦📦", "Größe", "naïve", "CAFÉ"],
]


def test_onnx_runtime_gives_the_torch_vectors_piece_for_piece():
    model_dir = resolve_model_dir(None, None)
    torch_encoder = WordEncoder(model_dir, max_length=32, batch_size=4, runtime="torch")
    onnx_encoder = WordEncoder(model_dir, max_length=32, batch_size=4, runtime="onnx")
    for words in TEXTS:
        assert torch_encoder._pieces(words) == onnx_encoder._pieces(words)
    for a, b in zip(torch_encoder.encode(TEXTS), onnx_encoder.encode(TEXTS)):
        np.testing.assert_allclose(a.words, b.words, atol=1e-5)
        np.testing.assert_allclose(a.sentence, b.sentence, atol=1e-5)


def test_an_unknown_runtime_or_int8_on_onnx_is_refused():
    with pytest.raises(ValueError, match="runtime"):
        WordEncoder(resolve_model_dir(None, None), runtime="tensorflow")
    with pytest.raises(ValueError, match="quantize"):
        WordEncoder(resolve_model_dir(None, None), runtime="onnx", quantize=True)


def test_one_vector_per_word_even_when_words_split_into_pieces(encoder):
    words = ["unbelievably", "fast", "delivery", "ORD-100234"]
    (result,) = encoder.encode([words])
    assert result.words.shape == (4, encoder.dim) == (4, 384)
    assert result.sentence.shape == (1, 384)
    assert len(encoder._pieces(["unbelievably"])[0]) > 1  # really several word pieces
    assert np.all(np.isfinite(result.words)) and np.all(np.abs(result.words).sum(axis=1) > 0)


def test_batching_and_padding_do_not_change_the_vectors(encoder):
    short, long = ["hi"], "where is my order it was due last week".split()
    alone = encoder.encode([short])[0]
    together = encoder.encode([long, short, long, long, long])[1]  # two batches, padded
    np.testing.assert_allclose(alone.words, together.words, atol=1e-4)
    np.testing.assert_allclose(alone.sentence, together.sentence, atol=1e-4)


def test_long_text_is_encoded_in_windows_without_losing_words(encoder):
    words = ["parcel"] * 500  # 500 pieces against a 30-piece window
    (result,) = encoder.encode([words])
    assert result.words.shape == (500, 384)
    assert np.all(np.abs(result.words).sum(axis=1) > 0)


def test_empty_and_odd_inputs(encoder):
    empty, emoji, mixed, control = encoder.encode(
        [[], ["📦📦"], ["Größe", "注文", "заказ"], ["\x00\x07"]]
    )
    assert empty.words.shape == (0, 384) and empty.sentence.shape == (1, 384)
    assert emoji.words.shape == (1, 384)
    assert mixed.words.shape == (3, 384)
    assert control.words.shape == (1, 384)  # no pieces: a zero vector, not a crash
    for result in (empty, emoji, mixed, control):
        assert np.all(np.isfinite(result.sentence))


def test_similar_sentences_are_closer_than_unrelated_ones(encoder):
    a, b, c = encoder.encode(
        ["where is my parcel".split(), "has my order shipped yet".split(), "tell me a joke".split()]
    )
    cos = lambda x, y: float(x @ y.T / (np.linalg.norm(x) * np.linalg.norm(y)))  # noqa: E731
    assert cos(a.sentence, b.sentence) > cos(a.sentence, c.sentence)


def test_the_int8_encoder_keeps_the_shape_and_stays_close_to_the_full_one(encoder):
    """quantize: true (config.yml, torch) trades a little precision for speed; the vectors
    keep their shape and most of their direction (the classifiers are trained on these)."""
    quantized = WordEncoder(resolve_model_dir(None, None), max_length=32, quantize=True)
    words = "can I send back the blender if it arrived broken".split()
    full, small = encoder.encode([words])[0], quantized.encode([words])[0]
    assert small.words.shape == full.words.shape and small.sentence.shape == (1, 384)
    a, b = full.sentence[0], small.sentence[0]
    assert float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) > 0.85
