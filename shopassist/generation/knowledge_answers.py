"""Answers to policy and how-to questions, grounded in the shop's knowledge base.

1. Retrieve the passages most like the question.
2. Below `UNKNOWN_BELOW` the knowledge base has nothing on it: say so (the action offers a
   person) rather than guess.
3. Otherwise the generator answers from the passages; the answer is sent only if every
   fact in it is in the passages (grounding.check_answer). If the generator fails, times
   out, says it does not know, or fails the check, the customer gets the passage's most
   relevant sentences instead, which are the shop's own words.
A generator in the choose role (shopassist.generation.choose) writes nothing: it picks
which of the top passages answers the question, or none, and the reply is that passage's
most relevant sentences, or "I'm not sure" with the way to a person. A generator in the
rephrase role (shopassist.generation.rephrase) writes one checked sentence that answers the
question directly, sent before those sentences.
A question in another language is answered from the pages in that language when they
cover it (`answer_in_language`): the best passage's most relevant sentences, in that
language; the generator and the grounding check are English only, so none is asked.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import Iterable, List

import numpy as np

from shopassist.generation import limits
from shopassist.generation.base import GenerationRequest, Generator
from shopassist.generation.choose import TASK as CHOOSE
from shopassist.generation.choose import parse_choice
from shopassist.generation.grounding import check_answer, says_dont_know
from shopassist.generation.provenance import FAILED, NONE, PASSED, model_name
from shopassist.generation.rephrase import ROLE as REPHRASE
from shopassist.generation.rephrase import TASK as LEAD
from shopassist.generation.rephrase import judge_lead, with_lead
from shopassist.knowledge.coverage import UNKNOWN_BELOW  # noqa: F401 (bench and tests read it here)
from shopassist.knowledge.index import Hit, KnowledgeIndex
from shopassist.knowledge.languages import LANGUAGE_UNKNOWN_BELOW
from shopassist.language.messages import message

logger = logging.getLogger(__name__)

# Passages within this distance of the best one are given to the generator too (at most 2).
PASSAGE_MARGIN = 0.08
MAX_PASSAGES = 2
# Passages the choose role picks from.
CHOOSE_PASSAGES = 3
EXTRACT_SENTENCES = 3

# The "not sure" answer; its words in every served language are in the message catalog.
DONT_KNOW = message("knowledge.not_sure")


@dataclass(frozen=True)
class KnowledgeReply:
    text: str
    source: str  # the generator's name, "passage" or "unknown"
    score: float  # the best passage's similarity
    hits: tuple  # the passages used (Hit)
    problems: tuple = ()  # why a generated answer was not sent, if it was not
    check: str = NONE  # the checker's verdict on the model's text (provenance.py)
    model: str = ""  # the model whose answer was sent or refused
    model_role: str = "answer"  # the job the model's prompt gave it
    chosen_by: str = ""  # the model that picked the passage (or none), in the choose role
    language: str = "en"  # the language of the pages the text comes from


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")
# Other languages: a capital may be accented (É, Ü), a Spanish question opens with ¿, a
# one-letter abbreviation ends in a dot ("z. B."), and Chinese ends a sentence with 。！？
# and no space.
_NEXT_SENTENCE = r"\s+(?=[¿¡«\"'(]?(?:\d|[^\W\d_](?<![a-zß-ÿ])))"
_SENTENCE_ANY = re.compile(r"(?<=[.!?])(?<!\b\w\.)" + _NEXT_SENTENCE + r"|(?<=[。！？])|\n+")
# German writes ordinals with a dot ("der 30. Tag ist der letzte"): a dot after a number
# of two digits (one is an abbreviation's above) ends no sentence.
_SENTENCE_DE = re.compile(r"(?<=[.!?])(?<!\b\w\.)(?<!\b\d\d\.)" + _NEXT_SENTENCE + r"|\n+")


def sentences(text: str, language: str = "en") -> List[str]:
    pattern = {"en": _SENTENCE, "de": _SENTENCE_DE}.get(language, _SENTENCE_ANY)
    return [s.strip() for s in pattern.split(text) if s and s.strip()]


def extract(question: str, hit: Hit, index: KnowledgeIndex, count: int | None = None) -> str:
    """The passage's sentences most like the question, in the passage's order."""
    parts = sentences(hit.passage.text, hit.passage.language)
    glue = "" if hit.passage.language == "zh" else " "  # Chinese puts no space between
    count = count or EXTRACT_SENTENCES
    if len(parts) <= count:
        return glue.join(parts)
    scores = index.vectors_of(tuple(parts)) @ index.question_vector(question)
    keep = sorted(np.argsort(-scores)[:count])
    return glue.join(parts[i] for i in keep)


def warm_up() -> None:
    """Builds the help pages' indexes (English, and each language with pages) and embeds
    every passage's sentences now (exporting the encoder the first time), so the first
    customer's question does not wait; never raises: a broken index is reported again, and
    answered around, by the question that needs it."""
    from shopassist.knowledge import get_index
    from shopassist.knowledge.languages import language_index
    from shopassist.language.reading import SUPPORTED

    for load in (get_index, *(partial(language_index, code) for code in sorted(SUPPORTED))):
        try:
            index = load()
            for passage in index.passages if index is not None else ():
                parts = sentences(passage.text, passage.language)
                if len(parts) > EXTRACT_SENTENCES:
                    index.vectors_of(tuple(parts))
        except Exception:
            logger.exception("knowledge warm-up failed")


def answer_in_language(question: str, index: KnowledgeIndex | None) -> KnowledgeReply | None:
    """The answer from the pages in the question's language (`index`, built by
    shopassist.knowledge.languages), or None when there are none or they don't cover it
    (the caller falls back to the English side)."""
    hits = index.search(question, k=1) if index is not None else []
    if not hits or hits[0].score < LANGUAGE_UNKNOWN_BELOW:
        return None
    best = hits[0]
    text = extract(question, best, index)
    return KnowledgeReply(text, "passage", best.score, (best,), language=best.passage.language)


def answer_question(
    question: str,
    index: KnowledgeIndex,
    generator: Generator,
    sensitive_names: Iterable[str] = (),
    on_text=None,
) -> KnowledgeReply:
    """`on_text`, if given, gets the generator's text so far as it writes (a streaming
    backend's; shopassist.generation.drafts): what it shows is unchecked, and the reply
    returned here is what replaces it."""
    hits = index.search(question, k=max(MAX_PASSAGES + 1, CHOOSE_PASSAGES))
    if not hits or hits[0].score < UNKNOWN_BELOW:
        return KnowledgeReply(DONT_KNOW, "unknown", hits[0].score if hits else 0.0, tuple(hits))
    if getattr(generator, "role", "") == CHOOSE:
        return chosen_answer(question, hits[:CHOOSE_PASSAGES], index, generator)
    used = tuple(h for h in hits[:MAX_PASSAGES] if h.score >= hits[0].score - PASSAGE_MARGIN)
    fallback = extract(question, used[0], index)
    if generator.name == "template":
        return KnowledgeReply(fallback, "passage", hits[0].score, used)
    if getattr(generator, "role", "") == REPHRASE:
        return led_answer(question, fallback, hits[0].score, used, generator, sensitive_names)

    passages = tuple(f"{h.passage.title}: {h.passage.text}" for h in used)
    request = GenerationRequest(
        task="knowledge", template=fallback, question=question, passages=passages
    )
    text = (limits.run_limited(generator, request, on_text=on_text) or "").strip()
    if not text:
        return KnowledgeReply(fallback, "passage", hits[0].score, used, ("no answer",))
    model = model_name(generator)
    if says_dont_know(text):
        problems = ("generator: don't know",)
        return KnowledgeReply(fallback, "passage", hits[0].score, used, problems, FAILED, model)
    verdict = check_answer(text, "\n".join(passages), sensitive_names, question=question)
    if not verdict.ok:
        logger.warning("generated answer rejected: %s", verdict.problems)
        problems = tuple(verdict.problems)
        return KnowledgeReply(fallback, "passage", hits[0].score, used, problems, FAILED, model)
    return KnowledgeReply(text, generator.name, hits[0].score, used, (), PASSED, model)


def led_answer(question, words, score, used, generator, sensitive_names=()) -> KnowledgeReply:
    """The shop's `words`, opened by the model's direct answer when the checker passes it."""
    request = GenerationRequest(task=LEAD, template=words, question=question)
    lead = limits.run_limited(generator, request)
    verdict, problems = judge_lead(lead, words, question, sensitive_names)
    model = model_name(generator)
    if verdict == "sent":
        text = with_lead(lead, words)
        return KnowledgeReply(text, generator.name, score, used, (), PASSED, model, REPHRASE)
    if verdict == "failed":
        logger.warning("generated lead rejected: %s", problems)
        return KnowledgeReply(words, "passage", score, used, tuple(problems), FAILED, model)
    why = ("no lead",) if lead is None else ("declined",)  # failed, late or busy / "-"
    return KnowledgeReply(words, "passage", score, used, why)


def choose_request(question: str, hits) -> GenerationRequest:
    return GenerationRequest(
        task=CHOOSE,
        template="",
        question=question,
        passages=tuple(f"{h.passage.title}: {h.passage.text}" for h in hits),
    )


def chosen_answer(question: str, hits, index: KnowledgeIndex, generator) -> KnowledgeReply:
    """The passage the generator picks, "not sure" for none, the best passage if it fails."""
    score = hits[0].score
    choice = parse_choice(limits.run_limited(generator, choose_request(question, hits)), len(hits))
    if choice is None:  # failed, busy, late or not a number: what the template sends
        return KnowledgeReply(
            extract(question, hits[0], index), "passage", score, hits[:1], ("no choice",)
        )
    if choice == 0:
        return KnowledgeReply(DONT_KNOW, "unknown", score, tuple(hits), chosen_by=generator.name)
    hit = hits[choice - 1]
    return KnowledgeReply(
        extract(question, hit, index), "passage", score, (hit,), chosen_by=generator.name
    )
