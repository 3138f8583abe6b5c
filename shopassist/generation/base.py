"""The generator interface and the rule every generated reply must pass.

Facts (order status, dates, amounts, tracking numbers) come from the database. A generator
may only rephrase them: its text is sent only if it contains every fact unchanged and passes
the checker (grounding.check_answer) with the template, the facts in words, as its source;
otherwise, or when it fails, the deterministic template is sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import ClassVar, Dict, Protocol, Tuple

from shopassist.generation import limits
from shopassist.generation.grounding import check_answer
from shopassist.generation.provenance import FAILED, NONE, PASSED, model_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GenerationRequest:
    task: str  # e.g. "order_status"
    template: str  # the complete, correct reply, sent whenever generation cannot be trusted
    facts: Dict[str, str] = field(default_factory=dict)  # each value must appear verbatim
    # For answers from the knowledge base: the customer's question and the passages to use.
    question: str = ""
    passages: Tuple[str, ...] = ()
    language: str = "en"  # the conversation's language, which the template is written in


@dataclass(frozen=True)
class Reply:
    text: str
    source: str  # "template" or the generator's name
    check: str = NONE  # the checker's verdict on the model's text (provenance.py)
    model: str = ""  # the model whose text was sent or refused
    model_role: ClassVar[str] = "rephrase"  # the job the rephrasing prompt gives a model


@dataclass(frozen=True)
class Line:
    """A model role's line (an opening, a summary), or the template's in its place."""

    text: str
    check: str = NONE  # the checker's verdict on the model's line (provenance.py)
    model: str = ""  # the model whose line was sent or refused
    model_role: str = ""  # the role's job, recorded when its line is sent


class Generator(Protocol):
    name: str

    def generate(self, request: GenerationRequest) -> str | None:
        """Returns a phrasing of the request, or None when it cannot."""


class LineRole:
    """A role that writes one line, at most `max_tokens`, for the requests of its `task`
    that hold what it writes from (`needs`, a GenerationRequest field); None for any other,
    which keeps its template. Mixed with what writes the line (PrefixCachedModel,
    RemoteLines), which gives `write_line`."""

    task = ""
    needs = ""
    max_tokens = 0

    def generate(self, request: GenerationRequest) -> str | None:
        if request.task != self.task or not getattr(request, self.needs):
            return None
        return self.write_line(request, self.max_tokens)  # type: ignore[attr-defined]


def checked_line(writer, request: GenerationRequest, check, role: str) -> Line:
    """The `writer`'s line for `request` when `check(text)` finds no problem, else the
    request's template: the one rule of every model role (a model's line goes out only when
    its check passes). No writer: the template, unchecked. Never raises; waits at most the
    generation timeout, and a full queue, an error or a timeout give the template at once."""
    if writer is None:
        return Line(request.template)
    text = limits.run_limited(writer, request)
    if not text or not text.strip():  # busy, failed, late or silent: nothing to check
        return Line(request.template)
    model = model_name(writer)
    problems = check(text)
    if problems:
        logger.warning("generated %s rejected: %s", role, problems)
        return Line(request.template, FAILED, model, role)
    return Line(text.strip(), PASSED, model, role)


def missing_facts(text: str, facts: Dict[str, str]) -> list:
    return [key for key, value in facts.items() if value and value not in text]


def phrase(request: GenerationRequest, generator: Generator) -> Reply:
    """The generator's text when it keeps every fact and passes the check, else the
    template. Never raises."""
    # The prompts and the checker (grounding) read English only: a template in another
    # language is sent as written, its facts already in the customer's locale.
    if generator.name == "template" or request.language != "en":
        return Reply(request.template, "template")
    text = limits.run_limited(generator, request)
    if not text or not text.strip():
        return Reply(request.template, "template")
    text = text.strip()
    model = model_name(generator)
    problems = [f"missing: {key}" for key in missing_facts(text, request.facts)]
    # The same check as a knowledge answer's (length, leaks, claimed actions, facts,
    # polarity, support), against the template: the database's facts in words.
    problems += check_answer(text, request.template).problems
    if problems:
        logger.warning(
            "generator %s reply rejected for %s: %s", generator.name, request.task, problems
        )
        return Reply(request.template, "template", FAILED, model)
    return Reply(text, generator.name, PASSED, model)
