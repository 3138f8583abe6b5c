"""Chooses the generator backend from SHOPASSIST_GENERATOR (default: template).

template  the deterministic backend: order answers from templates, knowledge answers
          from the best passage (no model, nothing to wait for)
embedded  an LLM in the action server (llama.cpp) writes knowledge answers, checked
choose    an LLM in the action server picks which help-page passage answers a question
          (or none); the template writes the reply from it (shopassist.generation.choose)
rephrase  an LLM in the action server writes one sentence that answers a help-page question
          directly, checked, sent before the template's sentences
          (shopassist.generation.rephrase)
openai    any OpenAI-compatible endpoint (SHOPASSIST_LLM_URL, SHOPASSIST_LLM_MODEL)

SHOPASSIST_ROLE_BACKEND=openai runs the choose and rephrase roles on that endpoint instead of
in the action server: the same prompts, the same checks, the template when it fails. It is
a setting of its own because the deployment files set SHOPASSIST_LLM_URL whatever backend is
chosen, so a URL alone does not say where a role should run.
"""

from __future__ import annotations

import importlib
from functools import cache

from shopassist.generation.base import Generator
from shopassist.settings import ROLE_BACKENDS, Settings, get_settings

# Imported only when chosen: a backend's libraries are not loaded unless it is used.
BACKENDS = {
    "template": "shopassist.generation.template:TemplateGenerator",
    "embedded": "shopassist.generation.embedded:EmbeddedGenerator",
    "choose": "shopassist.generation.choose:EmbeddedChooser",
    "rephrase": "shopassist.generation.rephrase:EmbeddedRephraser",
    "openai": "shopassist.generation.openai_compatible:OpenAICompatibleGenerator",
}
# The roles SHOPASSIST_ROLE_BACKEND=openai moves to the endpoint.
REMOTE_ROLES = {
    "choose": "shopassist.generation.choose:RemoteChooser",
    "rephrase": "shopassist.generation.rephrase:RemoteRephraser",
}


def backend_path(name: str, role_backend: str | None = None) -> str:
    """Where the backend `name` is ("module:Class"): a role's on `role_backend` (default:
    SHOPASSIST_ROLE_BACKEND, whose values the settings check)."""
    if name not in BACKENDS:
        raise ValueError(
            f"SHOPASSIST_GENERATOR={name!r} is not a known backend; "
            f"choose one of {sorted(BACKENDS)}"
        )
    where = role_backend or get_settings().role_backend
    if where not in ROLE_BACKENDS:
        raise ValueError(
            f"SHOPASSIST_ROLE_BACKEND={where!r}: choose one of {', '.join(ROLE_BACKENDS)}"
        )
    if where == "openai" and name in REMOTE_ROLES:
        return REMOTE_ROLES[name]
    return BACKENDS[name]


@cache
def generator_for(name: str, role_backend: str) -> Generator:
    """The backend `name` with its roles on `role_backend`, built once per process."""
    module, cls = backend_path(name, role_backend).split(":")
    return getattr(importlib.import_module(module), cls)()


def get_generator(name: str = "", settings: Settings | None = None) -> Generator:
    """The configured backend (SHOPASSIST_GENERATOR), or `name`."""
    settings = settings or get_settings()
    return generator_for((name or settings.generator).lower(), settings.role_backend)


# Tests and benchmarks drop the backends built so far, as before.
get_generator.cache_clear = generator_for.cache_clear  # type: ignore[attr-defined]


def warm_up(settings: Settings | None = None) -> None:
    """Loads the configured backend and computes what it caches (a model's shared prompt
    prefix), so the first customer's turn does not pay for it; never raises."""
    import logging

    try:
        generator = get_generator(settings=settings)
        warm = getattr(generator, "warm", None)
        if callable(warm):
            warm()
    except Exception:  # a broken backend degrades to the template turn by turn
        logging.getLogger(__name__).exception("generator warm-up failed")
