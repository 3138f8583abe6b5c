"""Alembic environment: the URL comes from the caller (shopassist.store.manage) or the env."""

from alembic import context

from shopassist.store.db import database_url, get_engine
from shopassist.store.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or database_url()

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with get_engine(url).connect() as connection:
        # render_as_batch: SQLite can only alter tables by copying them.
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
