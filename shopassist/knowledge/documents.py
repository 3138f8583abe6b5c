"""Help pages as passages: one passage per `## ` section of each Markdown file.

The English pages are `data/knowledge/*.md`; a page in another language is
`data/knowledge/<language>/<same file>.md`, and each of its sections names the English
section it translates (`<!-- section: <slug of the English heading> -->` under its heading),
so a translated passage has the English passage's id (`returns.md#return-shipping-costs`)
and what hangs on ids (topics, offers, coverage) holds in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import List, Sequence, Tuple

DEFAULT_LANGUAGE = "en"
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
    language: str = "en"  # the language the section is written in

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


def _sections(name: str, markdown: str) -> Tuple[str, List[Tuple[str, str]]]:
    """The page's "# " title (else `name`) and its `## ` sections as (heading, raw body)."""
    page, sections = name, []
    for line in markdown.splitlines():
        if line.startswith("# "):
            page = line[2:].strip()
        elif line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return page, [(title, "\n".join(body)) for title, body in sections]


def _passage(name: str, page: str, title: str, raw: str) -> Passage | None:
    text = _plain(_COMMENT.sub("", raw))  # comments are notes for us, not for customers
    if not (title and text):
        return None
    return Passage(f"{name}#{_slug(title)}", name, page, title, text, _asked(raw))


def parse_page(name: str, markdown: str) -> List[Passage]:
    page, sections = _sections(name, markdown)
    passages = [_passage(name, page, title, raw) for title, raw in sections]
    return [p for p in passages if p is not None]


class UnknownSection(ValueError):
    """A translated section that names no section of the English page."""


_SECTION = re.compile(r"<!--\s*section:\s*([^\s>]+)\s*-->")


def parse_translated_page(
    name: str, markdown: str, language: str, english_ids: Sequence[str], where: str = ""
) -> List[Passage]:
    """The passages of a page in `language`, each with the id of the English section its
    `section` comment names; `english_ids` are the ids of the English pages' passages."""
    where = where or f"{language}/{name}"
    known = [i.split("#", 1)[1] for i in english_ids if i.startswith(f"{name}#")]
    if not known:
        raise UnknownSection(f"{where}: there is no English page {name} to translate")
    page, sections = _sections(name, markdown)
    passages = []
    for title, raw in sections:
        passage = _passage(name, page, title, raw)
        if passage is None:
            continue
        slugs = _SECTION.findall(raw)
        if len(slugs) != 1:
            raise UnknownSection(
                f"{where}: section '{title}' needs one '<!-- section: <slug> -->' line "
                f"naming the English section it translates (one of: {', '.join(known)})"
            )
        if slugs[0] not in known:
            raise UnknownSection(
                f"{where}: section '{title}' says 'section: {slugs[0]}', but {name} has no "
                f"English section with that slug (it has: {', '.join(known)})"
            )
        passages.append(replace(passage, id=f"{name}#{slugs[0]}", language=language))
    ids = [p.id for p in passages]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise UnknownSection(f"{where}: more than one section translates {', '.join(twice)}")
    return passages


def language_folder(language: str, folder: Path | None = None) -> Path:
    """Where the pages in `language` are: the knowledge folder itself for English."""
    folder = Path(folder or DEFAULT_KNOWLEDGE_DIR)
    return folder if language == DEFAULT_LANGUAGE else folder / language


def load_passages(folder: Path | None = None, language: str = DEFAULT_LANGUAGE) -> List[Passage]:
    """The passages of the pages in `language` (English: `folder/*.md`; another language:
    `folder/<language>/*.md`, with the English pages' ids; an empty list without that
    folder). A translated section naming no English section raises UnknownSection."""
    folder = Path(folder or DEFAULT_KNOWLEDGE_DIR)
    if language == DEFAULT_LANGUAGE:
        passages: List[Passage] = []
        for path in sorted(folder.glob("*.md")):
            passages.extend(parse_page(path.name, path.read_text(encoding="utf-8")))
        return passages
    english_ids = [p.id for p in load_passages(folder)]
    translated: List[Passage] = []
    for path in sorted(language_folder(language, folder).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        where = str(path)
        translated.extend(parse_translated_page(path.name, text, language, english_ids, where))
    return translated
