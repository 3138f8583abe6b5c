"""The console's conversation list, read with SQL from the tracker store's `events` table.

A page costs the same with a thousand conversations or a million: one statement finds the
page's conversations by walking an index on (timestamp, id) from the newest event back,
keeping the rows that are the first of their conversation (no earlier id with the same
sender_id: a probe of Rasa's sender_id index), and reads those conversations' events in the
same statement. Filters that the columns answer (date, intent, fallback, handoff, with an
agent) and the search (LIKE over the user and slot rows' JSON) are in that SQL. Filters that
need the parsed events (negative sentiment, low confidence, rating, language) are checked in
Python on each candidate (a language is narrowed in the SQL first: one of the customer's
rows must name it, as its reading, the page's language or a choice in the chat's menu):
the walk goes on in batches until the page is full or SCAN_LIMIT conversations were read,
and then the page says where to look on ("Older").

Paging is by keyset: a page starts after (before, in time) the start time and first event
id of the last conversation read, so page 200 costs what page 1 does.

With encryption at rest (shopassist/at_rest.py) the SQL can't see into sealed rows: a search
then lets every sealed row through to the Python check, which decrypts them, and reads at
most SCAN_LIMIT conversations per page.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import yaml
from sqlalchemy import Index, MetaData, and_, exists, literal, or_, select, true
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from shopassist import at_rest
from shopassist.console.conversations import (
    FALLBACK_ACTIONS,
    FALLBACK_INTENT,
    HANDOFF_ACTION,
    ConversationStore,
    EventRow,
    Summary,
    _data,
    events,
    said_once,
    summarise,
)
from shopassist.console.languages import UNKNOWN
from shopassist.formats import moment
from shopassist.language.turns import read_language_of
from shopassist.store.identifiers import normalise_email
from shopassist.store.models import ConversationRating

logger = logging.getLogger(__name__)

PAGE_SIZE = 50  # conversations on a page
SCAN_LIMIT = 2000  # conversations whose events one page reads at most (Python's checks)
WALK_LIMIT = 10_000  # conversations one page walks at most (the SQL's filters, the search)
WALK_STEP = 1000  # conversations walked per statement when the SQL filters
PYTHON_STEP = 200  # conversations walked per statement when only Python checks
MAX_SEARCH = 200  # characters of a search
EMAIL_SLOTS = ("verified_email", "email")  # the proven customer first
ORDER_SLOTS = ("verified_order", "order_id")
# The start of a conversation: its first event. Walked newest first through this index, on
# a copy of the table so that `metadata.create_all` (tests) doesn't make it; PostgreSQL
# builds it CONCURRENTLY (the option means nothing to other databases).
_INDEXED = events.to_metadata(MetaData())
START_INDEX = Index(
    "ix_events_timestamp_id",
    _INDEXED.c.timestamp,
    _INDEXED.c.id,
    postgresql_concurrently=True,
)
_ensured: Set[str] = set()  # databases whose index was checked in this process


def ensure_indexes(engine: Engine) -> bool:
    """Creates the list's index unless it exists (at console start, and at the first list
    once Rasa created the table); True once the table has it. Rasa's servers keep writing
    meanwhile (PostgreSQL: CONCURRENTLY; SQLite: the few seconds a large table takes)."""
    try:
        with engine.connect() as connection:
            if not engine.dialect.has_table(connection, "events"):
                return False  # Rasa creates the table with its first conversation
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            START_INDEX.create(connection, checkfirst=True)
        return True
    except Exception as error:  # a read-only role, say: the list works, only slower
        logger.warning("Could not create the index %s on events: %s", START_INDEX.name, error)
        return True  # don't try at every page


# --------------------------------------------------------------------------- the request


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: a conversation's start time and first event id."""

    started: float
    first_id: int

    def text(self) -> str:
        return f"{self.started!r}_{self.first_id}"

    @property
    def when(self) -> str:
        return moment(self.started)

    @classmethod
    def parse(cls, value: Optional[str]) -> Optional[Cursor]:
        try:
            started, first_id = (value or "").split("_")
            return cls(float(started), int(first_id))
        except ValueError:
            return None


@dataclass
class ListQuery:
    start: Optional[date] = None  # started on or after this day (UTC)
    end: Optional[date] = None  # started on or before this day (UTC)
    intent: str = ""
    flags: Sequence[str] = ()  # of FILTERS: fallback, handoff, negative, low_confidence, paused
    rating: str = ""  # "1".."5", "none", or "" for any
    language: str = ""  # a served language code, "unknown", or "" for any
    search: str = ""
    before: Optional[Cursor] = None  # older than this (the "Older" link)
    after: Optional[Cursor] = None  # newer than this (the "Newer" link)


@dataclass
class Preview(Summary):
    """A row of the list: the summary, and what tells the conversation apart."""

    first_message: str = ""
    customer: Optional[str] = None  # the proven e-mail, else one the customer typed
    proven: bool = False
    language: str = UNKNOWN  # the conversation's language, if anything in it said one
    first_id: int = 0

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.started, self.first_id)


@dataclass
class Page:
    conversations: List[Preview]
    newer: Optional[Cursor]  # the "Newer" link's cursor, None on the newest page
    older: Optional[Cursor]  # the "Older" link's cursor, None when nothing is older
    scanned: int = 0  # conversations read to fill the page
    cut_short: bool = False  # SCAN_LIMIT reached before the page was full
    notes: List[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the SQL


def like_pattern(term: str) -> str:
    """`term` as a LIKE pattern matching it anywhere, its wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def stored_forms(term: str) -> List[str]:
    """How `term` appears inside a row's JSON: Rasa writes JSON with non-ASCII characters
    as \\u escapes and quotes escaped; older writers may have kept them as they are."""
    forms = [json.dumps(term)[1:-1], json.dumps(term, ensure_ascii=False)[1:-1]]
    return list(dict.fromkeys(forms))


def _day_start(day: date) -> float:
    return datetime.combine(day, time(), tzinfo=timezone.utc).timestamp()


def _window(query: ListQuery, sealed: bool, limit: int, after_cursor: Optional[Cursor]):
    """The next `limit` conversations beyond the cursor, in the page's order, each with
    `hit`: whether the SQL-side filters and the search let it through.

    The walk is a subquery of its own, so that every database walks the start index and
    tests the filters on those conversations only: given the whole query, PostgreSQL's
    planner chose to LIKE through the whole table before sorting (0.8 s at 20,000
    conversations for a common word)."""
    e = events.alias("e")
    earlier = events.alias("earlier")
    seen = events.alias("seen")
    conditions = [
        ~exists().where(earlier.c.sender_id == e.c.sender_id, earlier.c.id < e.c.id),
        # The list shows conversations the customer said something in.
        exists().where(seen.c.sender_id == e.c.sender_id, seen.c.type_name == "user"),
    ]
    if query.start:
        conditions.append(e.c.timestamp >= _day_start(query.start))
    if query.end:
        conditions.append(e.c.timestamp < _day_start(query.end + timedelta(days=1)))
    # Keyset: (timestamp, id) beyond the cursor. The plain bound on timestamp first lets
    # SQLite walk the index from the cursor on (with the OR alone and bound parameters it
    # walked it from the newest end: a page's cost grew with how deep it was).
    newest_first = after_cursor is None
    if query.before and newest_first:
        at, first_id = query.before.started, query.before.first_id
        conditions += [
            e.c.timestamp <= at,
            or_(e.c.timestamp < at, and_(e.c.timestamp == at, e.c.id < first_id)),
        ]
    if after_cursor is not None:
        at, first_id = after_cursor.started, after_cursor.first_id
        conditions += [
            e.c.timestamp >= at,
            or_(e.c.timestamp > at, and_(e.c.timestamp == at, e.c.id > first_id)),
        ]
    order = (e.c.timestamp.desc(), e.c.id.desc()) if newest_first else (e.c.timestamp, e.c.id)
    walk = (
        select(e.c.sender_id, e.c.timestamp.label("started"), e.c.id.label("first_id"))
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
        .subquery("walk")
    )
    filters = _filters(query, sealed, walk.c.sender_id)
    hit = and_(*filters) if filters else true()
    order = (
        (walk.c.started.desc(), walk.c.first_id.desc())
        if newest_first
        else (walk.c.started, walk.c.first_id)
    )
    return select(walk, hit.label("hit")).order_by(*order)


def _filters(query: ListQuery, sealed: bool, sender_id) -> list:
    """The filters the events' columns answer, and the search's LIKE, on one conversation."""
    other = events.alias("other")

    def has(*conditions):
        # OFFSET 0 keeps PostgreSQL from turning this into one pass over the whole table
        # (a hashed subplan): it tests each conversation walked, through the sender index.
        return (
            select(literal(1))
            .select_from(other)
            .where(other.c.sender_id == sender_id, *conditions)
            .offset(0)
            .exists()
        )

    filters = []
    if query.intent:
        filters.append(has(other.c.type_name == "user", other.c.intent_name == query.intent))
    if "fallback" in query.flags:
        filters.append(
            has(
                or_(
                    and_(other.c.type_name == "user", other.c.intent_name == FALLBACK_INTENT),
                    and_(
                        other.c.type_name == "action",
                        other.c.action_name.in_(sorted(FALLBACK_ACTIONS)),
                    ),
                )
            )
        )
    if "handoff" in query.flags:
        filters.append(has(other.c.type_name == "action", other.c.action_name == HANDOFF_ACTION))
    if "paused" in query.flags:
        last = events.alias("last")
        filters.append(
            select(last.c.type_name)
            .where(
                last.c.sender_id == sender_id,
                last.c.type_name.in_(["pause", "resume", "restart"]),
            )
            .order_by(last.c.id.desc())
            .limit(1)
            .scalar_subquery()
            == "pause"
        )
    if query.language and query.language != UNKNOWN:
        # Only narrows: the exact rule (shopassist.language.turns) is checked in Python.
        named = [other.c.data.like(f'%"{query.language}"%')]
        if sealed:
            named.append(other.c.data.like(at_rest.PREFIX + "%"))
        filters.append(has(other.c.type_name == "user", or_(*named)))
    if query.search:
        matches = [
            other.c.data.ilike(like_pattern(form), escape="\\")
            for form in stored_forms(query.search)
        ]
        if sealed:  # sealed rows: decided in Python, after decryption
            matches.append(other.c.data.like(at_rest.PREFIX + "%"))
        filters.append(has(other.c.type_name.in_(["user", "slot"]), or_(*matches)))
    return filters


def _rows(connection, conversations: Sequence[str]) -> Dict[str, list]:
    """The events of `conversations`, in id order, by conversation."""
    grouped: Dict[str, list] = {c: [] for c in conversations}
    if conversations:
        query = (
            select(events)
            .where(events.c.sender_id.in_(list(conversations)))
            .order_by(events.c.sender_id, events.c.id)
        )
        for row in connection.execute(query):
            grouped[row.sender_id].append(row)
    return grouped


# --------------------------------------------------------------------------- in Python


def _folded(value: Any) -> str:
    return str(value or "").casefold()


def search_hit(rows: Iterable[EventRow], term: str) -> bool:
    """The exact check behind the SQL's LIKE (which also matches JSON keys and intent
    names): a customer message's text, or an e-mail or order number slot, contains `term`."""
    wanted = term.casefold()
    for row in rows:
        data = _data(row)
        if row.type_name == "user" and wanted in _folded(data.get("text")):
            return True
        if row.type_name == "slot" and data.get("name") in EMAIL_SLOTS + ORDER_SLOTS:
            if wanted in _folded(data.get("value")):
                return True
    return False


def preview(conversation: str, started: float, first_id: int, rows: List[EventRow]) -> Preview:
    summary = summarise(conversation, rows)
    assert summary is not None  # the SQL found a user row
    slots: Dict[str, Any] = {}
    first_message = ""
    users = []
    for row in said_once(rows):
        data = _data(row)
        # The `email` slot also takes whatever was typed when the form asked for one.
        address = normalise_email(data.get("value")) if row.type_name == "slot" else None
        if data.get("name") in EMAIL_SLOTS and address:
            slots[data["name"]] = address
        elif row.type_name == "user":
            users.append({"event": "user", **data})
            first_message = first_message or str(data.get("text") or "")
    customer = slots.get("verified_email") or slots.get("email")
    fields = {k: getattr(summary, k) for k in Summary.__dataclass_fields__}
    return Preview(
        **{**fields, "started": started},
        first_message=first_message,
        customer=customer,
        proven="verified_email" in slots,
        language=read_language_of(users) or UNKNOWN,
        first_id=first_id,
    )


def wanted(item: Preview, query: ListQuery, rows: List[EventRow]) -> bool:
    """The filters that need the parsed events, and the exact search check."""
    if any(not getattr(item, flag) for flag in query.flags):
        return False
    if query.rating == "none" and item.rating:
        return False
    if query.rating and query.rating != "none" and str(item.rating or "") != query.rating:
        return False
    if query.language and item.language != query.language:
        return False
    return not query.search or search_hit(rows, query.search)


def latest_ratings(session: Session, conversations: Sequence[str]) -> Dict[str, int]:
    """The latest rating of each of `conversations` (one query, for one batch)."""
    if not conversations:
        return {}
    rows = session.execute(
        select(ConversationRating.conversation, ConversationRating.score)
        .where(ConversationRating.conversation.in_(list(conversations)))
        .order_by(ConversationRating.created_at, ConversationRating.id)
    ).all()
    return {conversation: score for conversation, score in rows}


def page_of(
    store: ConversationStore,
    query: ListQuery,
    ratings_session: Optional[Session] = None,
    size: int = PAGE_SIZE,
    scan_limit: int = SCAN_LIMIT,
    walk_limit: int = WALK_LIMIT,
) -> Page:
    """A page of the list for `query`; `ratings_session` reads the shop database's ratings.
    Blocking: call it off the event loop (shopassist.console.blocking).

    A page walks at most `walk_limit` conversations (the SQL's filters and the search) and
    reads the events of at most `scan_limit` of them (Python's checks): then it ends short
    and "Older" goes on from where it stopped."""
    sealed = store.cipher is not None
    backwards = query.after is not None and query.before is None
    # Python decides on sentiment, confidence, rating, language, and a search in sealed rows.
    python_only = bool(
        {"negative", "low_confidence"} & set(query.flags)
        or query.rating
        or query.language
        or (query.search and sealed)
    )
    sql_filters = bool(_filters(query, sealed, events.c.sender_id))
    step = WALK_STEP if sql_filters else PYTHON_STEP if python_only else size + 1
    kept: List[Preview] = []
    walked = scanned = 0
    exhausted = False
    last: Optional[Cursor] = None
    url = str(store.engine.url)
    if url not in _ensured and ensure_indexes(store.engine):
        _ensured.add(url)
    with store.engine.connect() as connection:
        if not store.engine.dialect.has_table(connection, "events"):
            return Page([], None, None)
        position = query
        while len(kept) <= size and walked < walk_limit and scanned < scan_limit:
            asked = min(step, walk_limit - walked)
            window = connection.execute(
                _window(position, sealed, asked, position.after if backwards else None)
            ).fetchall()
            hits = [w.sender_id for w in window if w.hit]
            need = min(len(hits), scan_limit - scanned)
            if not python_only:
                need = min(need, size + 1 - len(kept))
            rows = _rows(connection, hits[:need])
            ratings = latest_ratings(ratings_session, hits[:need]) if (
                ratings_session is not None
            ) else {}  # fmt: skip
            whole = True  # every conversation of the window was walked
            for walk in window:
                if walk.hit and walk.sender_id not in rows:
                    whole = False  # read as many as allowed: the page stops here
                    break
                walked += 1
                last = Cursor(walk.started, walk.first_id)
                if not walk.hit:
                    continue
                scanned += 1
                opened = store._open(walk.sender_id, rows[walk.sender_id])
                if opened is None:
                    continue  # unreadable: counted in the page's data problem
                item = preview(walk.sender_id, walk.started, walk.first_id, opened)
                item.rating = ratings.get(walk.sender_id)
                if wanted(item, query, opened):
                    kept.append(item)
                    if len(kept) > size:
                        whole = False
                        break
            if whole and len(window) < asked:
                exhausted = True  # nothing beyond this window
                break
            position = (
                replace(query, after=last, before=None)
                if backwards
                else replace(query, before=last, after=None)
            )
    more = len(kept) > size
    kept = kept[:size]
    cut_short = not exhausted and not more
    if backwards:  # walked oldest first from the cursor: newest first on the page
        kept.reverse()
        newer = kept[0].cursor if (more or cut_short) and kept else None
        older = kept[-1].cursor if kept else None
        return Page(kept, newer, older, scanned, cut_short)
    # Forwards: "Older" goes on after the last row shown, or, if the page was cut short,
    # after the last conversation walked (so the next page doesn't walk them again).
    if cut_short:
        older = last
    else:
        older = kept[-1].cursor if more and kept else None
    newer = kept[0].cursor if (query.before is not None and kept) else None
    return Page(kept, newer, older, scanned, cut_short)


@lru_cache(maxsize=4)
def _intents(path: str, stamp: int) -> Tuple[str, ...]:
    domain = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    names = {next(iter(i)) if isinstance(i, dict) else str(i) for i in domain.get("intents", [])}
    return tuple(sorted(names | {FALLBACK_INTENT}))


def domain_intents(path: Path) -> List[str]:
    """The intents of the filter's menu: the domain's (a scan of every event would grow
    with the table), with nlu_fallback."""
    try:
        return list(_intents(str(path), Path(path).stat().st_mtime_ns))
    except (OSError, yaml.YAMLError):
        return [FALLBACK_INTENT]
