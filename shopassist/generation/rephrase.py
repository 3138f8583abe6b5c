"""The "rephrase" role for help-page answers: one sentence that answers the question directly.

The template's answer is the help page's sentences most like the question: right, but it
makes the customer find the answer ("You can return items within 30 days of delivery. ..."
to "can I still send back the shoes I got last week?"). In this role the model writes one
sentence that answers the question directly ("Yes, you can return them within 30 days of
delivery."), and the reply is that sentence followed by the shop's own sentences,
unchanged. The model can therefore add directness but never remove a fact; what it writes
is sent only if the checker (grounding.check_answer) finds every fact, negation and "Yes"
in it supported by those sentences; otherwise, or when it declines ("-"), is late or busy,
the template's reply goes out alone.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Tuple

from shopassist.generation.base import LineRole
from shopassist.generation.grounding import (
    addresses_question,
    asks_yes_or_no,
    check_answer,
    denial_supported,
    opens_with_no,
    opens_with_yes_or_no,
    says_dont_know,
    situations_left_out,
    unsupported_words,
)
from shopassist.generation.openai_compatible import RemoteLines
from shopassist.generation.prefix_cache import PrefixCachedModel
from shopassist.generation.prompts import LEAD_DECLINED, lead_messages

TASK = "lead"
ROLE = "rephrase"
MAX_LEAD_TOKENS = 40
MAX_LEAD_CHARS = 160  # a lead, not a second copy of the answer
_INNER_STOP = re.compile(r"[.!?]\s+\S")  # a second sentence
_QUOTES = "\"'“”‘’`"


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def judge_lead(
    lead: Optional[str], words: str, question: str, sensitive_names: Iterable[str] = ()
) -> Tuple[str, List[str]]:
    """("sent" | "declined" | "failed", problems): whether the model's `lead` may open the
    reply whose shop's `words` follow it."""
    text = (lead or "").strip().strip(_QUOTES).strip()
    if not text or text.startswith(LEAD_DECLINED) or says_dont_know(text):
        return "declined", []
    problems = []
    if len(text) > MAX_LEAD_CHARS:
        problems.append("lead: too long")
    if text[-1] not in ".!":  # cut off at MAX_LEAD_TOKENS, or no sentence at all
        problems.append("lead: unfinished")
    if opens_with_yes_or_no(text):
        if not asks_yes_or_no(question):
            problems.append("lead: Yes or No to a question that is not a yes/no question")
        elif not addresses_question(text, question):
            problems.append("lead: a Yes or No about something else than the question")
    ignored = situations_left_out(text, words, question)
    if ignored:
        problems.append(f"lead: leaves out the customer's situation: {', '.join(ignored)}")
    # The checker tests a "Yes" as the claim it affirms; a "No" must find the denial (or the
    # limit) it repeats in the shop's words: small models say "No" to what a list includes.
    if opens_with_no(text) and not denial_supported(text, words):
        problems.append("lead: a No the shop's words do not deny")
    if _INNER_STOP.search(text):
        problems.append("lead: more than one sentence")
    if "?" in text:
        problems.append("lead: asks a question")
    if _normal(text) in _normal(words):
        problems.append("lead: repeats the shop's words")
    strange = unsupported_words(text, words, question)
    if strange:
        problems.append(f"lead: words the shop's answer does not use: {', '.join(strange)}")
    problems += check_answer(text, words, sensitive_names, question=question).problems
    return ("failed" if problems else "sent"), problems


def with_lead(lead: str, words: str) -> str:
    return f"{lead.strip().strip(_QUOTES).strip()} {words}"


class Rephrase(LineRole):
    """The rephrase role: its prompt and its line, on whatever writes the line. It only
    leads help-page answers; other replies keep their template."""

    role = ROLE
    messages = staticmethod(lead_messages)
    task, needs, max_tokens = TASK, "template", MAX_LEAD_TOKENS


class EmbeddedRephraser(Rephrase, PrefixCachedModel):
    """The rephrase role on a GGUF model in this process (llama.cpp)."""


class RemoteRephraser(Rephrase, RemoteLines):
    """The rephrase role on an OpenAI-compatible endpoint."""
