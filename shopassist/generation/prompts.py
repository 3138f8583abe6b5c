"""The prompts the LLM backends get. One place, so the checks know what must not leak."""

from __future__ import annotations

import re
from typing import Dict, List

from shopassist.generation.base import GenerationRequest

KNOWLEDGE_SYSTEM = (
    "You are the customer-service assistant of an online shop. Answer the customer's "
    "question in one or two short sentences, using only the facts given. Copy numbers, "
    "amounts and time spans exactly as written in the facts. If the facts do not contain "
    "the answer, reply exactly: I don't know."
)
REPHRASE_SYSTEM = (
    "You rewrite replies of an online shop's customer-service assistant so they sound warm "
    "and natural. Keep every number, date, amount, name and code exactly as written, add "
    "no new information, and answer with the rewritten reply only."
)
MAX_QUESTION_CHARS = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_question(question: str) -> str:
    """The customer's words as data: no control characters, bounded length."""
    return _CONTROL.sub(" ", question or "").strip()[:MAX_QUESTION_CHARS]


def messages(request: GenerationRequest) -> List[Dict[str, str]]:
    if request.task == "knowledge":
        facts = "\n\n".join(request.passages)
        question = clean_question(request.question)
        return [
            {"role": "system", "content": KNOWLEDGE_SYSTEM},
            {"role": "user", "content": f"Facts:\n{facts}\n\nQuestion: {question}"},
        ]
    return [
        {"role": "system", "content": REPHRASE_SYSTEM},
        {"role": "user", "content": request.template},
    ]
