"""Chooses the generator backend from SHOPASSIST_GENERATOR (default: template).

template  the deterministic backend: order answers from templates, knowledge answers
          from the best passage (no model, nothing to wait for)
embedded  an LLM in the action server (llama.cpp) writes knowledge answers, checked
choose    an LLM in the action server picks which help-page passage answers a question
          (or none); the template writes the reply from it (shopassist.generation.choose)
openai    any OpenAI-compatible endpoint (SHOPASSIST_LLM_URL, SHOPASSIST_LLM_MODEL)
"""

from __future__ import annotations

import importlib
import os
from functools import cache

from shopassist.generation.base import Generator

# Imported only when chosen: a backend's libraries are not loaded unless it is used.
BACKENDS = {
    "template": "shopassist.generation.template:TemplateGenerator",
    "embedded": "shopassist.generation.embedded:EmbeddedGenerator",
    "choose": "shopassist.generation.choose:EmbeddedChooser",
    "openai": "shopassist.generation.openai_compatible:OpenAICompatibleGenerator",
}


@cache
def get_generator(name: str = "") -> Generator:
    name = (name or os.environ.get("SHOPASSIST_GENERATOR") or "template").lower()
    if name not in BACKENDS:
        raise ValueError(
            f"SHOPASSIST_GENERATOR={name!r} is not a known backend; "
            f"choose one of {sorted(BACKENDS)}"
        )
    module, cls = BACKENDS[name].split(":")
    return getattr(importlib.import_module(module), cls)()
