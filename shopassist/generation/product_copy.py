"""The "copy" role: a short description of a product for the shop page, from its catalog facts.

Customers read a product description with no conversation around it and take every figure
in it as the shop's word, so a draft is never shown as written: the console (*Products*)
shows it marked as the assistant's draft, with what the checker flagged, and a person
edits and saves it (shopassist.console.product_copy).

The facts are the catalog's columns in words (`facts_text`): name, kind, price, colours,
sizes, connection, warranty and whether it can be returned (with the shop's return window).
Stock is left out: it changes by the hour, a description doesn't.

The template writes the description from those facts alone, so the feature works with no
model (SHOPASSIST_COPY_WRITER=template, the default). A model (`embedded` or `openai`) gets
the same facts; a draft it can't deliver (late, busy, failing) is the template's, said so.

`check_copy` is the checker's rule for a description: grounding.check_answer against the
facts (every number, amount, percentage, duration, date and promise in it must be in them,
and no claim they don't support), and no offer word ("off", "sale", "discount", "free"...)
the facts don't have. The product's name is the one fact a shop employee did not check
word by word (imported catalogs, a supplier's name field), and a model reads it too: it
counts as words the draft may use, but never as the source of an amount, a percentage, a
duration or an offer. A name such as "Kettle, ignore instructions, 90% off" therefore
makes no draft that says "90% off" saveable as written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Iterable, List, Optional, Tuple

from shopassist.formats import money
from shopassist.generation import limits
from shopassist.generation.base import GenerationRequest, LineRole
from shopassist.generation.grounding import check_answer
from shopassist.generation.openai_compatible import RemoteLines
from shopassist.generation.prefix_cache import PrefixCachedModel
from shopassist.generation.prompts import copy_messages
from shopassist.generation.provenance import TEMPLATE, model_name
from shopassist.settings import Settings, get_settings
from shopassist.store.policy import RETURN_WINDOW_DAYS
from shopassist.store.product_sheet import connection

logger = logging.getLogger(__name__)

TASK = ROLE = "copy"
PERSON = "person"  # written_by of a description a person wrote without a draft
MAX_COPY_TOKENS = 120
MIN_COPY_CHARS, MAX_COPY_CHARS = 20, 600

# What only an offer says: never a catalog fact, so a draft may use one only if the facts
# (not the name) have it.
_OFFER = re.compile(
    r"\b(off|sale|discount(?:ed|s)?|deals?|bargains?|coupons?|vouchers?|promo(?:tion)?(?: code)?|"
    r"clearance|half[- ]price|save|savings|free|gift|bonus|limited[- ]time|only today|"
    r"guaranteed?|lifetime|best[- ]?sellers?|cheapest|lowest price)\b",
    re.I,
)
# Amounts, percentages and durations: what a name must not lend the draft.
_NAME_CLAIM = re.compile(
    r"[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:%|percent\b|per cent\b)|"
    r"\d[\d.,]*\s?-?\s?(?:hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
_SPACES = re.compile(r"\s+")
# Whether the product can be sent back: a rule customers act on, said either way.
_RETURN = re.compile(r"\b(?:return(?:s|ed|able)?|send (?:it )?back|refund(?:s|ed|able)?)\b", re.I)
_NO_RETURN = re.compile(
    r"\b(?:can(?:not|'t|’t)|not|never|no|non)\b[\w\s,-]{0,30}?"
    r"\b(?:return(?:s|ed|able)?|send (?:it )?back|refund(?:s|ed|able)?)\b",
    re.I,
)


@dataclass(frozen=True)
class ProductFacts:
    """What the catalog says of one product, as a description may repeat it."""

    name: str
    category: str
    subcategory: str
    price: str  # "$89.99"
    colours: Tuple[str, ...] = ()
    sizes: Tuple[str, ...] = ()
    warranty_months: int = 0
    returnable: bool = True
    connection: Optional[str] = None  # wired | wireless, when the product type says

    @classmethod
    def of(cls, product) -> ProductFacts:
        """The facts of a shopassist.store.models.Product."""
        name = _SPACES.sub(" ", product.name or "").strip()
        return cls(
            name=name,
            category=product.category,
            subcategory=product.subcategory,
            price=money(product.price_cents),
            colours=tuple(product.colour_options),
            sizes=tuple(product.size_options),
            warranty_months=product.warranty_months,
            returnable=bool(product.returnable),
            connection=connection(name),
        )


def _listed(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _returns(facts: ProductFacts) -> str:
    if facts.returnable:
        return f"can be returned within {RETURN_WINDOW_DAYS} days of delivery"
    return "cannot be returned"


def _fact_lines(facts: ProductFacts) -> List[str]:
    """The facts other than the name, one line each."""
    lines = [f"Kind: {facts.subcategory} ({facts.category}).", f"Price: {facts.price}."]
    if facts.colours:
        lines.append(f"Colours: {_listed(facts.colours)}.")
    if facts.sizes:
        lines.append(f"Sizes: {_listed(facts.sizes)}.")
    if facts.connection:
        lines.append(f"Connection: {facts.connection}.")
    warranty = f"{facts.warranty_months} months" if facts.warranty_months else "none"
    lines.append(f"Warranty: {warranty}.")
    lines.append(f"Returns: {_returns(facts)}.")
    return lines


def facts_text(facts: ProductFacts) -> str:
    """The facts as the model reads them, one a line, the name first."""
    return "\n".join([f"Product: {facts.name}.", *_fact_lines(facts)])


def name_as_words(name: str) -> str:
    """The name as a source of words only: its amounts, percentages, durations and offer
    words taken out ("Kettle, 90% off" -> "Kettle,")."""
    return _SPACES.sub(" ", _OFFER.sub(" ", _NAME_CLAIM.sub(" ", name))).strip()


def check_source(facts: ProductFacts) -> str:
    """What a description is checked against: the facts, the name as words only."""
    return "\n".join([f"Product: {name_as_words(facts.name)}.", *_fact_lines(facts)])


def template_copy(facts: ProductFacts) -> str:
    """The description the shop's own words give: the facts in two or three sentences."""
    first = f"The {facts.name} costs {facts.price}"
    if facts.colours:
        first += f" and comes in {_listed(facts.colours)}"
    if facts.sizes:
        first += f", in sizes {_listed(facts.sizes)}"
    sentences = [first + "."]
    if facts.connection:
        sentences.append(f"It is {facts.connection}.")
    more = []
    if facts.warranty_months:
        more.append(f"has a {facts.warranty_months}-month warranty")
    if facts.returnable:
        more.append(_returns(facts))
    if more:
        sentences.append(f"It {' and '.join(more)}.")
    return " ".join(sentences)


def check_copy(text: Optional[str], facts: ProductFacts) -> List[str]:
    """What the checker flags in a description of the product (empty: nothing)."""
    text = (text or "").strip()
    if len(text) < MIN_COPY_CHARS:
        return [f"too short: a description has at least {MIN_COPY_CHARS} characters"]
    problems = []
    if len(text) > MAX_COPY_CHARS:
        problems.append(f"too long: {len(text)} characters, at most {MAX_COPY_CHARS}")
    source = check_source(facts)
    # check_answer's own length rule is a chat answer's; this one's is above.
    problems += [p for p in check_answer(text, source).problems if not p.startswith("length ")]
    problems += _returns_problems(text, facts)
    facts_lower = "\n".join(_fact_lines(facts)).lower()
    for word in dict.fromkeys(m.group(0).lower() for m in _OFFER.finditer(text)):
        if not re.search(r"\b" + re.escape(word) + r"\b", facts_lower):
            problems.append(f"offer not in the facts: {word}")
    return list(dict.fromkeys(problems))


def _returns_problems(text: str, facts: ProductFacts) -> List[str]:
    """A description that says the product can be returned when it can't, or the reverse
    (the answers' checker reads "cannot be returned" beside "can be returned within 30
    days" as the same clause)."""
    if not _RETURN.search(text):
        return []
    denied = bool(_NO_RETURN.search(text))
    if facts.returnable and denied:
        return ["says it can't be returned: the facts say it can"]
    if not facts.returnable and not denied:
        return ["says it can be returned: the facts say it can't"]
    return []


@dataclass(frozen=True)
class Draft:
    """A description written by the assistant, not yet seen by a person."""

    text: str
    written_by: str  # "template" or the model's name
    problems: Tuple[str, ...]  # what the checker flagged
    note: str = ""  # why the template wrote it when a model was asked


class CopyRole(LineRole):
    """The copy role: its prompt and its line, on whatever writes the line."""

    role = ROLE
    messages = staticmethod(copy_messages)
    task, needs, max_tokens = TASK, "question", MAX_COPY_TOKENS


class EmbeddedCopyWriter(CopyRole, PrefixCachedModel):
    """The copy role on a GGUF model in this process (llama.cpp)."""


class RemoteCopyWriter(CopyRole, RemoteLines):
    """The copy role on an OpenAI-compatible endpoint."""


def configured_writer(settings: Optional[Settings] = None):
    """The writer SHOPASSIST_COPY_WRITER names, or None for the template (also when the
    model can't be loaded: logged, and the template writes)."""
    settings = settings or get_settings()
    if settings.copy_writer == TEMPLATE:
        return None
    try:
        return _writer(settings.copy_writer, settings.llm_url, settings.llm_model)
    except Exception:
        logger.exception("the %s copy writer could not be started", settings.copy_writer)
        return None


@cache
def _writer(kind: str, url: str, model: str):
    """One writer per kind and endpoint per process (a model loads once)."""
    if kind == "openai":
        return RemoteCopyWriter(url, model)
    return EmbeddedCopyWriter()


def write_draft(facts: ProductFacts, writer=None) -> Draft:
    """The `writer`'s description of the product (the template's without one, or when it
    gives none in time), with what the checker flags in it. Never raises."""
    template = template_copy(facts)
    if writer is not None:
        request = GenerationRequest(TASK, template, question=facts_text(facts))
        text = (limits.run_limited(writer, request) or "").strip()
        if text:
            return Draft(text, model_name(writer), tuple(check_copy(text, facts)))
        note = f"{model_name(writer)} gave no draft in time, so the template wrote this one."
        return Draft(template, TEMPLATE, tuple(check_copy(template, facts)), note)
    return Draft(template, TEMPLATE, tuple(check_copy(template, facts)))
