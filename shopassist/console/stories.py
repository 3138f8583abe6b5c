"""Reviewed conversations as `rasa test` stories.

`test_story` replays a conversation's stored events into a Rasa tracker and lets Rasa's
story writer render it as an end-to-end test story (the customer's words, the intents and
entities the assistant understood, its actions and slots). `save_story` appends stories to a
test story file by inserting text, so the file's comments and layout stay as they were.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, Iterable, List, Optional, Set, Tuple, Union

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ConversationPaused, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import CORE_SCHEMA_FILE
from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter
from rasa.shared.utils.validation import validate_yaml_schema
from ruamel.yaml import YAML

from shopassist.console.conversations import spanned_entities
from shopassist.console.files import locked, write_atomically
from shopassist.privacy import redact

MAX_NAME = 80
DEFAULT_NAME = "reviewed conversation"
NEW_FILE = 'version: "3.1"\n\nstories:\n'


def story_name(name: str) -> str:
    """A one-line, printable story name."""
    name = re.sub(r"[^\w .,:;'()#/+-]+", " ", str(name or ""))
    return " ".join(name.split())[:MAX_NAME].strip() or DEFAULT_NAME


def _event(row: Any) -> Optional[Event]:
    if isinstance(row, dict):  # an event as Rasa's HTTP API gives it
        return Event.from_parameters(row)
    if not hasattr(row, "data"):
        raise TypeError(
            "test_story needs the conversation's event rows (ConversationStore.rows(id)) "
            "or Rasa event dicts; transcript turns leave out what a story needs"
        )
    return Event.from_parameters(json.loads(row.data or "{}"))


def test_story(rows: Iterable[Any], name: str, domain: Optional[Domain] = None) -> str:
    """A Rasa YAML test story (a whole file: version and `stories`) of one conversation.

    It ends where a person took the conversation over: after that the assistant wasn't
    answering, so there is nothing of its to test. Raises ValueError if the customer said
    nothing before that.
    """
    events: List[Event] = []
    for row in rows:
        event = _event(row)
        if isinstance(event, ConversationPaused):
            break
        if isinstance(event, UserUttered):
            event.entities = spanned_entities(event.entities)
        if event is not None:
            events.append(event)
    if not any(isinstance(e, UserUttered) for e in events):
        raise ValueError("the conversation has no customer message to test")
    # Without a domain any slot is accepted (Rasa's AnySlotDict); the story is the same.
    tracker = DialogueStateTracker.from_events(
        story_name(name), events, slots=domain.slots if domain else None
    )
    story_steps = tracker.as_story().story_steps  # named after the tracker's sender id
    # The file is shared (and committed): no customer's personal data in it, only stand-ins
    # of the same shape, so entity markup and slots stay valid for `rasa test`.
    return redact(YAMLStoryWriter().dumps(story_steps, is_test_story=True), shaped=True)


test_story.__test__ = False  # not a pytest test, despite its name


def _yaml(dash: int) -> YAML:
    yaml = YAML()  # round-trip: keeps the writer's `user: |` blocks
    yaml.width = 4096  # never fold a customer's message
    # Sequences under a key as the file has them: the dash `dash` columns in.
    yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    return yaml


def _unique(name: str, taken: Set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def _loose(line: str, dash: int) -> bool:
    return not line.strip() or (line.lstrip().startswith("#") and _indent(line) <= dash)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _insertion(lines: List[str], document: Any) -> Tuple[str, str, int]:
    """Splits the file where new story items go; also gives the column of the list's dashes."""
    keys = list(document)
    line = document.lc.key("stories")[0]
    if not document["stories"]:  # `stories:` or `stories: []`: items follow the key's line
        return "".join(lines[:line]) + "stories:\n", "".join(lines[line + 1 :]), 2
    first = lines[document["stories"].lc.item(0)[0]]
    dash = _indent(first)
    after = keys[keys.index("stories") + 1 :]
    end = document.lc.key(after[0])[0] if after else len(lines)
    # Blank lines and comments (not indented into a story) just before the next key belong
    # to it; a `#` line indented deeper is the customer's text in a `user: |` block.
    while after and end > line + 1 and _loose(lines[end - 1], dash):
        end -= 1
    return "".join(lines[:end]), "".join(lines[end:]), dash


def save_story(path: Union[str, Path], story_yaml: str) -> List[str]:
    """Appends the stories of `story_yaml` (as `test_story` gives it) to the test story file
    at `path`, created if missing; a name already taken gets -2, -3, ... Returns the names
    saved. The file is checked against Rasa's story schema before it replaces the old one."""
    new = YAML().load(story_yaml) or {}
    stories = new.get("stories") or []
    if not stories:
        raise ValueError("no story to save")
    with locked(path):
        path = Path(path)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = YAML().load(text) if text.strip() else None
        if document is None:
            head, tail, dash = NEW_FILE, "", 2
        elif "stories" not in document:
            head, tail, dash = text.rstrip("\n") + "\n\nstories:\n", "", 2
        else:
            head, tail, dash = _insertion(text.splitlines(keepends=True), document)
        existing = (document or {}).get("stories") or []
        taken = {str(story.get("story")) for story in existing}
        names = [_unique(str(story["story"]), taken) for story in stories]
        for story, name in zip(stories, names):
            story["story"] = name

        rendered = io.StringIO()
        _yaml(dash).dump({"stories": stories}, rendered)
        items = rendered.getvalue().split("\n", 1)[1]  # without the `stories:` line
        if existing:
            items = "\n" + items  # a blank line between stories, as the project writes them
        if not head.endswith("\n"):
            head += "\n"
        result = head + items + tail

        validate_yaml_schema(result, CORE_SCHEMA_FILE)  # raises YamlValidationException
        # The text was spliced: make sure it means the old file plus the new stories.
        expected = dict(document or {"version": "3.1"}, stories=[*existing, *stories])
        if YAML(typ="safe").load(result) != expected:
            raise ValueError(f"could not add the story to {path}: its layout is unexpected")
        write_atomically(path, result)
    return names
