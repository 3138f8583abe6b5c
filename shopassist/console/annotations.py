"""The annotation inbox: messages the assistant was unsure of, and turning them into training
examples.

Reviewers label a message with an intent and, optionally, entity markup (`ship it to
[Berlin](city)`); `annotate` checks it against the domain and appends it to a Rasa YAML NLU
file through Rasa's own reader and writer, so the file always loads in `rasa train`. The
writer drops comments, so point it at a file of its own (data/nlu/reviewed.yml).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import yaml
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY
from rasa.shared.nlu.training_data import entities_parser
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader, RasaYAMLWriter
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from shopassist.console.conversations import (
    FALLBACK_INTENT,
    ConversationStore,
    turn_of,
)
from shopassist.console.files import locked, write_atomically
from shopassist.console.settings import ROOT
from shopassist.store.models import message_key

MAX_TEXT = 500
# Flag statuses: "flagged" puts a message in the inbox whatever its confidence; once it is
# "annotated" or "dismissed" it leaves the inbox.
FLAGGED = "flagged"
DONE = {"annotated", "dismissed"}
# Set on every message by shopassist.nlu.sentiment, never learnt from annotated examples.
NOT_ANNOTATED_ENTITIES = {"sentiment"}


class AnnotationError(ValueError):
    """An annotation that can't be saved; the message is meant for the reviewer."""


@dataclass
class InboxItem:
    conversation: str
    message_at: str  # str(float(timestamp)): the same string keys the flags
    text: str
    intent: Optional[str]
    confidence: Optional[float]
    entities: List[Dict[str, Any]] = field(default_factory=list)
    flagged: bool = False


def inbox(
    store: ConversationStore, flags: Dict[Tuple[str, str], str], limit: int = 200
) -> List[InboxItem]:
    """User messages below LOW_CONFIDENCE, predicted nlu_fallback, or flagged; newest first."""
    items = []
    for row in store.rows():
        if row.type_name != "user":
            continue
        turn = turn_of(row)
        at = message_key(turn.at)
        status = flags.get((row.sender_id, at))
        if status in DONE or not turn.text or turn.text.startswith("/"):
            continue  # done with, or a button's payload (`/rate{...}`), not words to learn
        flagged = status == FLAGGED
        if flagged or turn.low_confidence or turn.intent == FALLBACK_INTENT:
            items.append(
                InboxItem(row.sender_id, at, turn.text, turn.intent, turn.confidence,
                          turn.entities, flagged)
            )  # fmt: skip
    items.sort(key=lambda item: float(item.message_at), reverse=True)
    return items[:limit]


def _names(items: List[Union[str, Dict[str, Any]]]) -> List[str]:
    # domain.yml lists names as strings, or as one-key dicts when they carry options.
    return [item if isinstance(item, str) else next(iter(item)) for item in items or []]


def domain_labels(
    domain_path: Union[str, Path], nlu_dir: Union[str, Path] = ROOT / "data" / "nlu"
) -> Tuple[List[str], List[str]]:
    """The intents and entities a reviewer can choose from.

    Retrieval intents are offered only with their response key (`faq/returns`): an example
    labelled plain `faq` would teach the response selector nothing. The keys are the ones
    the training data in `nlu_dir` already has. Reading all of it takes about half a second,
    so the answer is kept until one of the files changes.
    """
    files = [Path(domain_path), *sorted(Path(nlu_dir).glob("**/*.yml"))]
    stamps = tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists())
    intents, entities = _labels(str(domain_path), str(nlu_dir), stamps)
    return list(intents), list(entities)


@lru_cache(maxsize=4)
def _labels(
    domain_path: str, nlu_dir: str, stamps: Tuple[Tuple[str, int], ...]
) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    domain = yaml.safe_load(Path(domain_path).read_text(encoding="utf-8")) or {}
    entities = [e for e in _names(domain.get("entities")) if e not in NOT_ANNOTATED_ENTITIES]
    training = load_data(str(nlu_dir))
    # Retrieval intents are the ones whose examples carry a response key (faq, chitchat).
    keyed = [m for m in training.training_examples if m.get(INTENT_RESPONSE_KEY)]
    bases = {m.get("intent") for m in keyed}
    names = _names(domain.get("intents"))
    retrieval = {m.get(INTENT_RESPONSE_KEY) for m in keyed if m.get("intent") in names}
    return tuple([i for i in names if i not in bases] + sorted(retrieval)), tuple(entities)


def _check(
    text: str, intent: str, markup: Optional[str], intents: List[str], entities: List[str]
) -> Message:
    """The training example for an annotation, or AnnotationError saying what is wrong."""
    text = (text or "").strip()  # Rasa strips examples when it reads them
    if not text:
        raise AnnotationError("The message text is empty.")
    if len(text) > MAX_TEXT:
        raise AnnotationError(f"The message is longer than {MAX_TEXT} characters.")
    # Rasa's reader splits examples with str.splitlines, which also breaks at U+2028/2029.
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        raise AnnotationError("The message has a line break or another control character.")
    if intent not in intents:
        raise AnnotationError(f"'{intent}' is not an intent of the assistant.")
    markup = (markup or "").strip()
    if not markup and entities_parser.find_entities_in_training_example(text):
        # Rasa would read such text as an annotation, and learn a different sentence.
        raise AnnotationError(
            "The message contains [...](...) or [...]{...}, which Rasa reads as entity "
            "markup; it can't be kept as a training example."
        )
    try:
        example = entities_parser.parse_training_example(markup or text, intent)
    except RasaException as error:
        raise AnnotationError(f"The entity markup is not valid: {error}") from error
    if example.get("text") != text:
        raise AnnotationError(
            "The marked-up text differs from the message: only add [text](entity) "
            f"annotations. Without them it reads '{example.get('text')}'."
        )
    unknown = sorted({e["entity"] for e in example.get("entities") or []} - set(entities))
    if unknown:
        raise AnnotationError(f"Unknown entity type: {', '.join(unknown)}.")
    return example


def annotate(
    path: Union[str, Path],
    text: str,
    intent: str,
    markup: Optional[str],
    intents: List[str],
    entities: List[str],
) -> Dict[str, Any]:
    """Validates an annotation and adds it to the NLU file at `path` (created if missing);
    an example with the same text is replaced. Returns the example as Rasa will read it."""
    example = _check(text, intent, markup, intents, entities)
    with locked(path):
        path = Path(path)
        # A new file gets `version: "3.1"` from the writer, like every file it writes.
        data = RasaYAMLReader().read(str(path)) if path.exists() else TrainingData()
        kept = [m for m in data.training_examples if m.get("text") != example.get("text")]
        updated = TrainingData(
            kept + [example],
            data.entity_synonyms,
            data.regex_features,
            data.lookup_tables,
            data.responses,
        )
        write_atomically(path, RasaYAMLWriter().dumps(updated))
    return {
        "text": example.get("text"),
        "intent": example.get_full_intent(),
        "entities": example.get("entities") or [],
    }
