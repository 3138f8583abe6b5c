"""The summary at the top of a handoff ticket, for the colleague who takes it over.

The template's summary is built from the ticket's transcript alone (the console shows why
the assistant handed over beside it): the customer's first and latest messages that say
something (not a button press, not "hi"), and the order numbers and e-mail addresses the
customer wrote. A model may write the summary
instead (the "summary" role, `SummaryWriter`); its text is shown only if every number,
e-mail address and code in it is in the conversation (grounding.unsupported_facts) and it
is short, English and no echo of its prompt. Either way the console marks it as written by
the assistant, never as the customer's words.
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence

from shopassist.generation.base import GenerationRequest, Line, LineRole, checked_line
from shopassist.generation.grounding import looks_english, unsupported_facts
from shopassist.generation.openai_compatible import RemoteLines
from shopassist.generation.prefix_cache import PrefixCachedModel
from shopassist.generation.prompts import summary_messages
from shopassist.store.identifiers import EMAIL_IN_TEXT

TASK = ROLE = "summary"
MAX_SUMMARY_TOKENS = 80
MAX_SUMMARY_CHARS = 400
QUOTE_CHARS = 160

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Six digits standing alone ("#100517", "ORD-100419"), not inside a code ("7XK2BT552210Y").
_ORDER = re.compile(r"(?<![A-Za-z0-9])\d{6}(?![A-Za-z0-9])")
_SMALL_TALK = re.compile(
    r"^\W*(hi|hello|hey|thanks?|thank you|ok(ay)?|yes|no|yeah|nope|bye|human|agent|person)"
    r"\W*$",
    re.I,
)


def _said_something(text: str) -> bool:
    text = text.strip()
    return bool(text) and not text.startswith("/") and not _SMALL_TALK.match(text)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:QUOTE_CHARS]}{'…' if len(text) > QUOTE_CHARS else ''}”"


def template_summary(transcript: Sequence[Dict[str, str]]) -> str:
    customer = [t.get("text") or "" for t in transcript if t.get("who") == "customer"]
    said = [text for text in customer if _said_something(text)]
    parts = []
    if said:
        parts.append(f"First: {_quote(said[0])}.")
    if len(said) > 1:
        parts.append(f"Latest: {_quote(said[-1])}.")
    written = " ".join(customer)
    orders = sorted(set(_ORDER.findall(written)))
    emails = sorted(set(EMAIL_IN_TEXT.findall(written)))
    if orders:
        parts.append(f"Order numbers written: {', '.join(orders)}.")
    if emails:
        parts.append(f"E-mail written: {', '.join(emails)}.")
    return " ".join(parts) or "The customer wrote nothing but greetings or button presses."


def _one_line(turn: Dict[str, str]) -> str:
    # Whitespace and control characters folded: the customer's words can't start a line of
    # their own that reads as the assistant's.
    return " ".join(_CONTROL.sub(" ", turn.get("text") or "").split())


def conversation_text(transcript: Sequence[Dict[str, str]], max_chars: int = 2400) -> str:
    """The transcript as the model reads it, the most recent part if it is long."""
    lines = [
        f"{'Customer' if t.get('who') == 'customer' else 'Assistant'}: {_one_line(t)}"
        for t in transcript
    ]
    text = "\n".join(lines)
    return text[-max_chars:]


def check_summary(text: str | None, transcript: Sequence[Dict[str, str]]) -> List[str]:
    """Why a model's summary may not be shown (empty: it may)."""
    text = (text or "").strip()
    if not text:
        return ["summary: empty"]
    problems = []
    if len(text) > MAX_SUMMARY_CHARS:
        problems.append("summary: too long")
    source = conversation_text(transcript, max_chars=10**6)
    problems += [f"unsupported: {f}" for f in unsupported_facts(text, source)]
    if not looks_english(text):
        problems.append("summary: not English")
    if re.search(r"\b(summar(y|ise|ize)|colleague)\b", text, re.I):
        problems.append("summary: talks about the task")
    return problems


def written_summary(transcript: Sequence[Dict[str, str]], writer=None) -> Line:
    """The `writer`'s summary of the ticket when check_summary passes it, else the
    template's, with the check's verdict. Never raises; waits at most the generation
    timeout. (By default there is no writer: no model has beaten the template yet, README,
    *The summary role*; SHOPASSIST_SUMMARY=model gives one.)"""
    request = GenerationRequest(
        TASK, template_summary(transcript), question=conversation_text(transcript)
    )
    return checked_line(writer, request, lambda text: check_summary(text, transcript), ROLE)


def summary(transcript: Sequence[Dict[str, str]], writer=None) -> str:
    """The text of written_summary()."""
    return written_summary(transcript, writer).text


class SummaryRole(LineRole):
    """The summary role: its prompt and its line, on whatever writes the line."""

    role = ROLE
    messages = staticmethod(summary_messages)
    task, needs, max_tokens = TASK, "question", MAX_SUMMARY_TOKENS


class SummaryWriter(SummaryRole, PrefixCachedModel):
    """The summary role on a GGUF model in this process (llama.cpp)."""


class RemoteSummaryWriter(SummaryRole, RemoteLines):
    """The summary role on an OpenAI-compatible endpoint."""
