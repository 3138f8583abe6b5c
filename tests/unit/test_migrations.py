"""The Alembic migrations build exactly the schema the models describe, on both engines."""

import uuid
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from shopassist.store.db import get_engine
from shopassist.store.manage import alembic_config, migrate
from shopassist.store.models import Base


def schema_diff(url):
    with get_engine(url).connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_migrated_database_matches_models(db_url):
    migrate(db_url)  # already at head: a no-op
    assert schema_diff(db_url) == []


def test_migrations_go_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.sqlite3'}"
    migrate(url)
    command.downgrade(alembic_config(url), "base")
    migrate(url)
    assert schema_diff(url) == []


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    """An empty database of the test's own on each engine (PostgreSQL's dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    from shopassist.cluster import create_database, drop_database
    from tests.conftest import PG_ADMIN_URL

    name = f"shopassist_test_{uuid.uuid4().hex[:10]}"
    url = create_database(PG_ADMIN_URL, name)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        drop_database(PG_ADMIN_URL, name)


def test_product_copy_goes_up_with_its_rows_and_down_without_touching_products(empty_db):
    config = alembic_config(empty_db)
    command.upgrade(config, "0011")
    engine = get_engine(empty_db)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO products (id, sku, name, category, subcategory, price_cents, "
                "stock, warranty_months, returnable) VALUES (1, 'HO-0001', 'Kettle', 'home', "
                "'kitchen', 3999, 3, 24, true)"
            )
        )
    command.upgrade(config, "0012")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO product_copy (product_id, text, written_by, edited_by, verdict, "
                "created_at) VALUES (1, 'Words.', 'template', 'alex', 'passed', :at)"
            ),
            {"at": datetime(2026, 12, 8, 1, 0)},
        )
        row = connection.execute(text("SELECT flagged, verdict FROM product_copy")).one()
    assert tuple(row) == ("[]", "passed")  # the server default keeps a row's flags a list
    command.downgrade(config, "0011")
    tables = inspect(engine).get_table_names()
    assert "product_copy" not in tables and "products" in tables
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM products")).scalar_one() == "Kettle"
    engine.dispose()
