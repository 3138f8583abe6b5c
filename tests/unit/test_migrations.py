"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shopassist.store.db import get_engine
from shopassist.store.manage import migrate
from shopassist.store.models import Base


def test_migrations_match_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.sqlite3'}"
    migrate(url)
    migrate(url)  # a second upgrade is a no-op
    with get_engine(url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
