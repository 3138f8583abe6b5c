"""Chooses the generator backend from SHOPASSIST_GENERATOR (default: template)."""

from __future__ import annotations

import os
from functools import cache

from shopassist.generation.base import Generator
from shopassist.generation.template import TemplateGenerator

BACKENDS = {"template": TemplateGenerator}


@cache
def get_generator(name: str = "") -> Generator:
    name = (name or os.environ.get("SHOPASSIST_GENERATOR") or "template").lower()
    if name not in BACKENDS:
        raise ValueError(
            f"SHOPASSIST_GENERATOR={name!r} is not a known backend; "
            f"choose one of {sorted(BACKENDS)}"
        )
    return BACKENDS[name]()
