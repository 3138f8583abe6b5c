"""Help pages as passages: one passage per `## ` section of each Markdown file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "data" / "knowledge"


@dataclass(frozen=True)
class Passage:
    id: str  # "returns.md#return-shipping"
    source: str  # file name
    page: str  # the file's "# " title
    title: str  # the section's "## " heading
    text: str  # the section's body, Markdown markup stripped
    # Questions customers ask that this section answers (the page's `<!-- asked: -->`
    # block): extra search keys, never shown to the customer.
    questions: Tuple[str, ...] = ()

    @property
    def embedding_text(self) -> str:
        # The heading carries the subject ("Return shipping"); the page name adds the topic.
        return f"{self.page}: {self.title}. {self.text}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _plain(markdown: str) -> str:
    """Text a customer can read in a chat bubble: no emphasis marks, links as their text."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"^\s*[-*]\s+", "- ", text, flags=re.MULTILINE)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return "\n".join(line for line in lines if line)


_ASKED = re.compile(r"<!--\s*asked:\s*\n(.*?)-->", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _asked(body: str) -> Tuple[str, ...]:
    questions = []
    for block in _ASKED.findall(body):
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("- ") and line[2:].strip():
                questions.append(line[2:].strip())
    return tuple(questions)


def parse_page(name: str, markdown: str) -> List[Passage]:
    page = name
    passages: List[Passage] = []
    title, body = None, []

    def flush():
        raw = "\n".join(body)
        text = _plain(_COMMENT.sub("", raw))  # comments are notes for us, not for customers
        if title and text:
            passages.append(Passage(f"{name}#{_slug(title)}", name, page, title, text, _asked(raw)))

    for line in markdown.splitlines():
        if line.startswith("# "):
            page = line[2:].strip()
        elif line.startswith("## "):
            flush()
            title, body = line[3:].strip(), []
        elif title is not None:
            body.append(line)
    flush()
    return passages


def load_passages(folder: Path | None = None) -> List[Passage]:
    folder = Path(folder or DEFAULT_KNOWLEDGE_DIR)
    passages: List[Passage] = []
    for path in sorted(folder.glob("*.md")):
        passages.extend(parse_page(path.name, path.read_text(encoding="utf-8")))
    return passages
