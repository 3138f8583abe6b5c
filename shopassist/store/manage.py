"""Database commands: `python -m shopassist.store.manage {migrate,seed,ensure,reset,revision}`.

`ensure` (used by `make run`) migrates to the newest schema and seeds an empty database.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from shopassist.store.db import DEFAULT_SQLITE_PATH, database_url, session_scope
from shopassist.store.models import Order
from shopassist.store.seed import seed

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def migrate(url: str | None = None) -> None:
    url = url or database_url()
    if url.startswith("sqlite:///") and url == f"sqlite:///{DEFAULT_SQLITE_PATH}":
        DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


def ensure(url: str | None = None, anchor: date | None = None) -> str:
    """Migrates, then seeds if there are no orders. Returns what it did, for the log."""
    migrate(url)
    with session_scope(url) as session:
        if session.execute(select(func.count(Order.id))).scalar_one():
            return "database up to date"
        products, customers, orders = seed(session, anchor)
    return f"database seeded: {products} products, {customers} customers, {orders} orders"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopassist.store.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the schema to the newest migration")
    ensure_p = sub.add_parser("ensure", help="migrate, and seed the demo data if empty")
    ensure_p.add_argument(
        "--anchor", type=date.fromisoformat, help="date the demo data is relative to"
    )
    sub.add_parser("reset", help="delete the embedded SQLite demo database, then ensure")
    rev = sub.add_parser("revision", help="write a new migration from the models (developers)")
    rev.add_argument("message")
    args = parser.parse_args(argv)

    url = database_url()
    try:
        if args.command == "migrate":
            migrate(url)
            print("schema up to date")
        elif args.command == "ensure":
            print(ensure(url, args.anchor))
        elif args.command == "reset":
            if not url.startswith("sqlite:///"):
                print(
                    "reset only deletes the embedded SQLite database; drop other databases yourself"
                )
                return 2
            Path(url[len("sqlite:///") :]).unlink(missing_ok=True)
            print(ensure(url))
        elif args.command == "revision":
            command.revision(alembic_config(url), message=args.message, autogenerate=True)
    except OperationalError as error:
        print(f"database error at {url.split('@')[-1]}: {error.orig}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
