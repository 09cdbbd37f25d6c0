"""Alembic environment: the tables of `tracker.models`, the URL from tracker's settings.

`tracker db ...` and the tests hand over an open connection through `config.attributes`;
plain `alembic upgrade head` from the repository root opens its own from the same settings.
Batch mode lets SQLite alter tables by copy-and-move.
"""

from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from alembic import context
from tracker.config import database_url
from tracker.db import create_engine, schema_change

config = context.config
target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    engine = create_engine(url, must_exist=False)
    with schema_change(engine) as connection:
        run_migrations(connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
