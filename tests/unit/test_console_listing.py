"""The conversation list read with SQL: pages, order, search, filters, on SQLite and
PostgreSQL, over a tracker store Rasa's SQLTrackerStore wrote."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, inspect, select

from shopassist.console import listing
from shopassist.console.conversations import ConversationStore, events, metadata
from shopassist.console.listing import Cursor, ListQuery, like_pattern, page_of
from tests.conftest import PG_ADMIN_URL
from tests.console_kit import (
    DAY,
    T0,
    action,
    bot,
    pause,
    session_start,
    slot,
    user,
    write_tracker_store,
)

COUNT = 12  # conversations "c00".."c11", c11 the newest


def conversation(n: int):
    at = T0 + n * 3600 + (DAY if n >= 10 else 0)  # the last two a day later
    said = [
        user(f"hello number {n}", "greet", at + 1, sentiment=("neutral", 0.0)),
        bot("Hello!", at + 2),
        action("action_listen", at + 2),
    ]
    if n == 3:  # proves who they are, about an order
        said += [
            user("where is 100234", "order_status", at + 3, entities=[("100234", "order_id")]),
            slot("order_id", "100234", at + 3),
            slot("verified_email", "anna.becker@example.com", at + 4),
            slot("verified_order", "100234", at + 4),
        ]
    if n == 4:  # types an address, not proven; angry; hands off
        said += [
            user(
                "I'm cross, mail me at Bob@Example.org",
                "inform",
                at + 3,
                sentiment=("negative", -0.8),
            ),  # fmt: skip
            slot("email", "not an address, what the form took", at + 3),
            slot("email", "bob@example.org", at + 3),
            action("action_handoff", at + 4),
            pause(at + 5),
        ]
    if n == 5:  # not understood; wildcards and quotes in the words; in German
        said += [
            user('100% "sicher"_wirklich? zurück', "nlu_fallback", at + 3, 0.4, language="de"),
            action("action_default_fallback", at + 4),
        ]
    if n == 6:  # a quiet low-confidence message
        said += [user("hmm", "affirm", at + 3, 0.3)]
    if n == 7:  # on a French page, nothing clear said: French
        said += [user("ok", "affirm", at + 3, metadata={"language": "fr"})]
    if n == 8:  # wrote clear German, then picked Chinese in the chat's menu
        said += [
            user("Wo ist mein Paket", "greet", at + 3, language="de"),
            user("ok", "affirm", at + 4, metadata={"language": "zh", "language_chosen": True}),
        ]
    if n == 9:  # wrote clear English on a German page
        said += [user("where is my parcel", "greet", at + 3, language="en",
                      metadata={"language": "de"})]  # fmt: skip
    return [*session_start(at), *said]


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("listing") / "trackers.db"
    conversations = {f"c{n:02d}": conversation(n) for n in range(COUNT)}
    conversations["no-words"] = session_start(T0 + 99 * 3600)  # never said anything: not listed
    return write_tracker_store(path, conversations)


@pytest.fixture(scope="module")
def postgres_url(sqlite_url):
    """The same rows in a PostgreSQL database of the test's own."""
    from shopassist.cluster import create_database, drop_database

    name = f"shopassist_test_{uuid.uuid4().hex[:10]}"
    url = create_database(PG_ADMIN_URL, name)
    engine = create_engine(url, future=True)
    try:
        metadata.create_all(engine)
        with create_engine(sqlite_url).connect() as source, engine.begin() as target:
            rows = [dict(r._mapping) for r in source.execute(select(events).order_by(events.c.id))]
            target.execute(events.insert(), rows)
        yield url
    finally:
        engine.dispose()
        drop_database(PG_ADMIN_URL, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, sqlite_url):
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    engine = create_engine(url, future=True)
    listing.ensure_indexes(engine)
    yield ConversationStore(engine)
    engine.dispose()


def names(page):
    return [c.conversation for c in page.conversations]


def test_pages_are_newest_first_by_start_and_link_both_ways(store):
    first = page_of(store, ListQuery(), size=5)
    assert names(first) == ["c11", "c10", "c09", "c08", "c07"]
    assert first.newer is None and first.older == first.conversations[-1].cursor
    second = page_of(store, ListQuery(before=first.older), size=5)
    assert names(second) == ["c06", "c05", "c04", "c03", "c02"]
    last = page_of(store, ListQuery(before=second.older), size=5)
    assert names(last) == ["c01", "c00"] and last.older is None  # "no-words" is left out
    back = page_of(store, ListQuery(after=second.newer), size=5)
    assert names(back) == names(first) and back.newer is None


def test_a_row_previews_the_conversation(store):
    rows = {c.conversation: c for c in page_of(store, ListQuery()).conversations}
    proven, typed, german = rows["c03"], rows["c04"], rows["c05"]
    assert proven.first_message == "hello number 3"
    assert (proven.customer, proven.proven) == ("anna.becker@example.com", True)
    assert (typed.customer, typed.proven) == ("bob@example.org", False)
    assert typed.handoff and typed.negative and typed.paused and not typed.fallback
    assert german.fallback and rows["c00"].customer is None
    assert rows["c00"].language == "unknown" and rows["c00"].user_messages == 1
    assert [rows[c].language for c in ("c05", "c07", "c08", "c09")] == ["de", "fr", "zh", "en"]
    assert rows["c00"].started == T0  # its first event, action_session_start


@pytest.mark.parametrize(
    "search, found",
    [
        ("anna.becker@example.com", ["c03"]),  # the proven e-mail
        ("BOB@example", ["c04"]),  # an e-mail typed, any case
        ("100234", ["c03"]),  # an order number
        ("hello number 7", ["c07"]),  # words of a message
        ("100%", ["c05"]),  # wildcards are characters
        ("_wirk", ["c05"]),
        ('"sicher"', ["c05"]),  # quotes, as JSON stores them
        ("zurück", ["c05"]),  # non-ASCII, stored as \u escapes
        ("greet", []),  # an intent's name is not in the words
        ("verified_email", []),  # nor a slot's name
        ("%", ["c05"]),
        ("x' OR '1'='1", []),  # a value, never SQL
        ("'; DROP TABLE events; --", []),
    ],
)
def test_search_finds_e_mails_order_numbers_and_words(store, search, found):
    assert names(page_of(store, ListQuery(search=search))) == found
    with store.engine.connect() as connection:  # and the table is still there
        assert inspect(connection).has_table("events")


@pytest.mark.parametrize(
    "query, found",
    [
        (ListQuery(flags=["handoff"]), ["c04"]),
        (ListQuery(flags=["fallback"]), ["c05"]),
        (ListQuery(flags=["paused"]), ["c04"]),
        (ListQuery(flags=["negative"]), ["c04"]),
        (ListQuery(flags=["low_confidence"]), ["c06", "c05"]),
        (ListQuery(intent="order_status"), ["c03"]),
        (ListQuery(start=date(2026, 11, 21)), ["c11", "c10"]),
        (ListQuery(end=date(2026, 11, 20), search="number 1"), ["c01"]),
        (ListQuery(search="hello", flags=["negative"]), ["c04"]),
        # The conversation's language as the assistant reads it, not every language named:
        # c08 wrote German before picking Chinese, c09 wrote English on a German page.
        (ListQuery(language="de"), ["c05"]),
        (ListQuery(language="zh"), ["c08"]),
        (ListQuery(language="fr"), ["c07"]),
        (ListQuery(language="en"), ["c09"]),
        (ListQuery(language="es"), []),
        (
            ListQuery(language="unknown", end=date(2026, 11, 20)),
            ["c06", "c04", "c03", "c02", "c01", "c00"],
        ),
        (ListQuery(language="de", flags=["fallback"]), ["c05"]),
    ],
)
def test_the_filters_still_work(store, query, found):
    assert names(page_of(store, query)) == found


def test_ratings_come_from_the_shop_database_the_latest_counting(store, tmp_path):
    from sqlalchemy.orm import Session

    from shopassist.store import support
    from shopassist.store.models import ConversationRating

    shop = create_engine(f"sqlite:///{tmp_path / 'shop.db'}", future=True)
    ConversationRating.__table__.create(shop)
    with Session(shop, future=True) as session:
        for conversation, score in [("c02", 2), ("c02", 4), ("c07", 5)]:
            support.record_rating(session, conversation, score)
        session.commit()
        assert names(page_of(store, ListQuery(rating="4"), session)) == ["c02"]
        assert names(page_of(store, ListQuery(rating="2"), session)) == []
        unrated = names(page_of(store, ListQuery(rating="none"), session))
        assert "c02" not in unrated and "c07" not in unrated and len(unrated) == COUNT - 2
        rows = {c.conversation: c for c in page_of(store, ListQuery(), session).conversations}
        assert rows["c07"].rating == 5 and rows["c00"].rating is None


def test_a_page_reads_at_most_the_scan_limit_and_says_where_to_go_on(store):
    page = page_of(store, ListQuery(flags=["negative"]), size=5, scan_limit=4)
    assert names(page) == [] and page.cut_short and page.scanned == 4
    assert page.older == Cursor(T0 + 8 * 3600, page.older.first_id)  # c08, the last read
    on = page_of(store, ListQuery(flags=["negative"], before=page.older), size=5, scan_limit=4)
    assert names(on) == ["c04"]


def test_a_search_walks_at_most_the_walk_limit_then_goes_on_from_there(store):
    first = page_of(store, ListQuery(search="hello number 1"), walk_limit=5)
    assert names(first) == ["c11", "c10"] and first.cut_short  # c07-c11 walked
    on = page_of(store, ListQuery(search="hello number 1", before=first.older), walk_limit=5)
    assert names(on) == [] and on.cut_short  # c02-c06 walked, no hit
    last = page_of(store, ListQuery(search="hello number 1", before=on.older), walk_limit=5)
    assert names(last) == ["c01"] and not last.cut_short and last.older is None


def test_like_wildcards_are_escaped():
    assert like_pattern("a%b_c\\d") == "%a\\%b\\_c\\\\d%"


def test_a_missing_table_is_an_empty_list(tmp_path):
    empty = ConversationStore(create_engine(f"sqlite:///{tmp_path / 'none.db'}"))
    listing.ensure_indexes(empty.engine)
    assert page_of(empty, ListQuery()).conversations == []


def test_the_start_index_is_created_once_and_when_rasa_made_the_table_after_the_start(
    tmp_path,
):
    url = f"sqlite:///{tmp_path / 'later.db'}"
    store = ConversationStore(create_engine(url))
    assert not listing.ensure_indexes(store.engine)  # the console starts first
    write_tracker_store(tmp_path / "later.db", {"c00": conversation(0)})
    assert names(page_of(store, ListQuery())) == ["c00"]
    assert listing.ensure_indexes(store.engine)
    indexes = [i["name"] for i in inspect(store.engine).get_indexes("events")]
    assert indexes.count(listing.START_INDEX.name) == 1


def test_a_search_reads_sealed_rows_after_decrypting_them(sqlite_url, tmp_path):
    import shutil

    from cryptography.fernet import Fernet

    from shopassist import at_rest

    path = tmp_path / "sealed.db"
    shutil.copy(sqlite_url.removeprefix("sqlite:///"), path)
    engine = create_engine(f"sqlite:///{path}", future=True)
    cipher = at_rest.Cipher([Fernet.generate_key().decode()])
    assert at_rest.reseal(engine, cipher) > 0
    store = ConversationStore(engine, cipher)
    assert names(page_of(store, ListQuery(search="anna.becker@"))) == ["c03"]
    assert names(page_of(store, ListQuery(search="zurück"))) == ["c05"]
    assert page_of(store, ListQuery()).conversations[0].first_message == "hello number 11"
