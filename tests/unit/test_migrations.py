"""The Alembic migrations build exactly the schema the models describe, on both engines."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
