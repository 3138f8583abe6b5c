"""Vectors cached on disk as .npz files named `<kind>-<content hash>.npz`.

A file is written aside and renamed, so a reader never sees half of it; writing one removes
the older files of its kind. A missing or unreadable file reads as None (rebuild).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Dict

import numpy as np

from shopassist.settings import get_settings

logger = logging.getLogger(__name__)


def cache_dir(given: Path | None = None) -> Path:
    """The folder given, else $SHOPASSIST_KNOWLEDGE_CACHE, else var/knowledge."""
    return Path(given or get_settings().knowledge_cache)


def load(path: Path) -> Dict[str, np.ndarray] | None:
    if not path.is_file():
        return None
    try:
        with np.load(path) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError):
        logger.warning("vector cache %s unreadable; rebuilding", path)
        return None


def save(path: Path, **arrays: np.ndarray) -> None:
    kind = path.name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(partial, **arrays)
        partial.replace(path)
        for old in path.parent.glob(f"{kind}-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        logger.warning("could not cache vectors in %s", path.parent)
