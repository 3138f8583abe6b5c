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

Two roles write a line beside the reply rather than the reply: the tone role (an upset
customer's opening sentence, SHOPASSIST_TONE=model) and the summary role (a handoff
ticket's summary, SHOPASSIST_SUMMARY=model). They run where SHOPASSIST_ROLE_BACKEND says,
whatever SHOPASSIST_GENERATOR is; `line_writer` gives theirs, or None for the template.
"""

from __future__ import annotations

import importlib
import logging
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


# The roles that write a line beside the reply, by where they run.
LINE_WRITERS = {
    "tone": {
        "embedded": "shopassist.generation.tone:EmbeddedToneWriter",
        "openai": "shopassist.generation.tone:RemoteToneWriter",
    },
    "summary": {
        "embedded": "shopassist.dialogue.handoff_summary:SummaryWriter",
        "openai": "shopassist.dialogue.handoff_summary:RemoteSummaryWriter",
    },
}
logger = logging.getLogger(__name__)


@cache
def generator_for(name: str, role_backend: str) -> Generator:
    """The backend `name` with its roles on `role_backend`, built once per process."""
    module, cls = backend_path(name, role_backend).split(":")
    return getattr(importlib.import_module(module), cls)()


def get_generator(name: str = "", settings: Settings | None = None) -> Generator:
    """The configured backend (SHOPASSIST_GENERATOR), or `name`."""
    settings = settings or get_settings()
    return generator_for((name or settings.generator).lower(), settings.role_backend)


@cache
def _line_writer(role: str, where: str, endpoint: tuple):
    # `endpoint` (URL, model) only keys the cache: a test's new endpoint gets a new writer.
    module, cls = LINE_WRITERS[role][where].split(":")
    return getattr(importlib.import_module(module), cls)()


def line_writer(role: str, settings: Settings | None = None):
    """What writes the `role`'s line ("tone", "summary"), built once per process: None when
    its setting is `template`, or when its model can't be loaded (logged; the template's
    line is sent, and the next turn tries again)."""
    settings = settings or get_settings()
    if getattr(settings, role) != "model":
        return None
    try:
        return _line_writer(role, settings.role_backend, (settings.llm_url, settings.llm_model))
    except Exception:  # a missing model file costs the customer nothing but the model's line
        logger.exception("the %s role's model could not be loaded: the template writes", role)
        return None


def clear() -> None:
    """Drops the backends and line writers built so far (tests and benchmarks)."""
    generator_for.cache_clear()
    _line_writer.cache_clear()


# Tests and benchmarks drop the backends built so far, as before.
get_generator.cache_clear = clear  # type: ignore[attr-defined]


def warm_up(settings: Settings | None = None) -> None:
    """Loads the configured backend and the line writers switched on, and computes what
    they cache (a model's shared prompt prefix), so the first customer's turn does not pay
    for it; never raises."""
    try:
        generator = get_generator(settings=settings)
        _warm(generator)
    except Exception:  # a broken backend degrades to the template turn by turn
        logger.exception("generator warm-up failed")
    for role in LINE_WRITERS:
        try:
            _warm(line_writer(role, settings))
        except Exception:
            logger.exception("the %s role's warm-up failed", role)


def _warm(writer) -> None:
    warm = getattr(writer, "warm", None)
    if callable(warm):
        warm()
