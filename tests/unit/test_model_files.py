"""A model split across packages: assembled once, in order, and refused if its hash differs."""

import hashlib

import pytest

from shopassist.generation import model_files
from shopassist.generation.model_files import ModelFileError, SplitModel, model_path

PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 3]


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Three part packages on sys.path, each with one data file, like the real ones."""
    site = tmp_path / "site"
    for number, data in enumerate(PARTS, start=1):
        package = site / f"fake_model_part{number}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("raise ImportError('never imported')\n")
        (package / "data" / f"part{number:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    return site


def split(sha256=None, packages=None):
    whole = b"".join(PARTS)
    return SplitModel(
        name="fake.gguf",
        packages=packages or tuple(f"fake_model_part{i}" for i in (1, 2, 3)),
        sha256=sha256 or hashlib.sha256(whole).hexdigest(),
        size=len(whole),
        licence="Apache-2.0",
    )


def test_the_parts_are_concatenated_in_order_into_the_cache(installed, tmp_path):
    path = model_path(split(), tmp_path / "cache")
    assert path == tmp_path / "cache" / "fake.gguf"
    assert path.read_bytes() == b"".join(PARTS)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["fake.gguf"]  # no temp file


def test_an_assembled_file_is_reused_not_rebuilt(installed, tmp_path):
    first = model_path(split(), tmp_path / "cache")
    stamp = first.stat().st_mtime_ns
    assert model_path(split(), tmp_path / "cache").stat().st_mtime_ns == stamp


def test_a_damaged_cached_file_is_assembled_again(installed, tmp_path):
    path = model_path(split(), tmp_path / "cache")
    path.write_bytes(b"GGUF broken")
    assert model_path(split(), tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_a_wrong_hash_names_both_hashes_and_leaves_no_file(installed, tmp_path):
    model = split(sha256="0" * 64)
    actual = hashlib.sha256(b"".join(PARTS)).hexdigest()
    with pytest.raises(ModelFileError) as error:
        model_path(model, tmp_path / "cache")
    message = str(error.value)
    assert "0" * 64 in message and actual in message
    assert "fake-model-part1" in message  # what to reinstall
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_parts_are_named(installed, tmp_path):
    model = split(packages=("fake_model_part1", "fake_model_part9", "no_such_part"))
    with pytest.raises(ModelFileError, match="fake-model-part9 no-such-part"):
        model_path(model, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_the_cache_directory_is_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPASSIST_MODEL_CACHE", str(tmp_path / "models"))
    assert model_files.cache_dir() == tmp_path / "models"


def test_the_embedded_backend_resolves_a_split_model_by_name(installed, tmp_path, monkeypatch):
    from shopassist.generation import embedded

    monkeypatch.setitem(model_files.SPLIT_MODELS, "fake-model", split())
    monkeypatch.setenv("SHOPASSIST_MODEL_CACHE", str(tmp_path / "models"))
    monkeypatch.delenv("SHOPASSIST_LLM_GGUF", raising=False)
    monkeypatch.setenv("SHOPASSIST_LLM_PACKAGE", "fake-model")
    assert embedded.model_file().read_bytes() == b"".join(PARTS)
    monkeypatch.setitem(model_files.SPLIT_MODELS, "fake-model", split(sha256="1" * 64))
    (tmp_path / "models" / "fake.gguf").unlink()
    with pytest.raises(embedded.ModelFileNotFoundError, match="expected 1111"):
        embedded.model_file()


def test_the_pinned_model_matches_its_parts_size():
    model = model_files.QWEN_CODER_05B
    assert len(model.packages) == 6 and model.size == 491_400_064
    assert len(model.sha256) == 64 and model.licence == "Apache-2.0"
