"""The encoder's weights are loaded in one place: shopassist/nlu/model_location.py (the
Hugging Face folder, for PyTorch and the export) and shopassist/nlu/encoder_export.py (the
ONNX Runtime session, shared by the NLU and the knowledge base). A second loader elsewhere
would find its model on its own, and could read another one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADERS = {
    re.compile(r"\.from_pretrained\("): {"shopassist/nlu/model_location.py"},
    re.compile(r"\bInferenceSession\("): {"shopassist/nlu/encoder_export.py"},
}


def _sources():
    for folder in ("shopassist", "actions", "bench", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_the_encoder_is_loaded_in_one_place():
    sources = dict(_sources())
    assert "shopassist/nlu/encoder.py" in sources and "bench/encoders.py" in sources
    for pattern, allowed in LOADERS.items():
        found = {name for name, text in sources.items() if pattern.search(text)}
        assert found == allowed, pattern.pattern
