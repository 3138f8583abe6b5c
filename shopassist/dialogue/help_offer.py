"""The help-page section offered among the "Did you mean ...?" buttons, and its answer.

A message the fallback stopped was searched in the help pages first
(shopassist.nlu.help_search) and reaches "did you mean" only when no passage was close
enough to answer it outright. The closest section is still offered as a button when the
pages cover the message by the line the knowledge answer itself uses (below it the answer
would be "I'm not sure"): `coverage.UNKNOWN_BELOW` for the English pages,
`languages.LANGUAGE_UNKNOWN_BELOW` for the pages in the customer's language. The button is
titled with the section's heading in the customer's language.

Its payload is `/faq`, an intent the domain already has, and the "did you mean" message
records the section's id in its metadata (`help_section`): pressing the button is answered
from exactly that section (action_answer_question), with no new entity or slot and so no
retraining. That answer records `answered_by: did_you_mean` in its metadata, which the
console's analytics count.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple

from shopassist.generation.knowledge_answers import KnowledgeReply, extract
from shopassist.knowledge import Hit, KnowledgeIndex, Passage, get_index
from shopassist.knowledge.coverage import UNKNOWN_BELOW
from shopassist.knowledge.documents import DEFAULT_LANGUAGE
from shopassist.knowledge.languages import LANGUAGE_UNKNOWN_BELOW, language_index

PAYLOAD = "/faq"
SECTION = "help_section"  # the "did you mean" message's metadata: the section offered
PATH = "did_you_mean"  # answered_by of the answer to a press of that button


def pages(language: str) -> Tuple[Optional[KnowledgeIndex], float]:
    """The help pages searched for a conversation in `language`, and their coverage line."""
    if language == DEFAULT_LANGUAGE:
        return get_index(), UNKNOWN_BELOW
    return language_index(language), LANGUAGE_UNKNOWN_BELOW


def plausible_section(text: str, language: str) -> Optional[Passage]:
    """The section most like `text` in the pages in `language`, if they cover it; None
    when nothing is that close, or the closest section has no translation in `language`
    (a button's title is in the customer's language), or `language` has no pages."""
    index, line = pages(language)
    hits = index.search(text, 1) if index is not None else []
    if not hits or hits[0].score < line or hits[0].passage.language != language:
        return None
    return hits[0].passage


def button(passage: Passage) -> Dict[str, str]:
    return {"title": passage.title, "payload": PAYLOAD}


def picked_section(events: Iterable[Dict[str, Any]]) -> Optional[Tuple[str, str]]:
    """(section id, the message it was offered for) when the customer's latest message
    pressed the help-page button of the latest "did you mean", else None.

    Rasa's two-stage fallback stores the press twice (rewound, then again), so every
    customer message after that "did you mean" is the button's payload."""
    events = list(events)
    pressed = False
    for position in range(len(events) - 1, -1, -1):
        event = events[position]
        kind = event.get("event")
        if kind == "user":
            if str(event.get("text") or "").strip() != PAYLOAD:
                return None
            pressed = True
        elif kind == "bot":
            section = (event.get("metadata") or {}).get(SECTION)
            if not (pressed and isinstance(section, str) and section):
                return None
            asked = (e for e in reversed(events[:position]) if e.get("event") == "user")
            return section, str(next(asked, {}).get("text") or "")
    return None


def section_reply(section: str, question: str, language: str) -> Optional[KnowledgeReply]:
    """The answer from the section with id `section` in the pages in `language` (or in
    English, for a language without pages): its sentences most like `question`. None if
    the pages have no such section (changed since it was offered)."""
    index, _ = pages(language)
    index = index if index is not None else get_index()
    numbers: List[int] = [n for n, p in enumerate(index.passages) if p.id == section]
    if not numbers:
        return None
    passage = index.passages[numbers[0]]
    question = question.strip() or passage.title
    score = float(index.scores(question)[numbers[0]])
    hit = Hit(passage, score)
    text = extract(question, hit, index)
    return KnowledgeReply(text, "passage", score, (hit,), language=passage.language)
