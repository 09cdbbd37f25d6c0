"""Schema migrations, run programmatically with one Alembic configuration builder.

The CLI, the tests and `alembic.ini` all reach the same `alembic/` scripts; the CLI passes its
own connection so a migration runs in one transaction on the engine tracker configured.
"""

from dataclasses import dataclass

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables)
from alembic import command
from tracker.db import READ_ONLY_OPTION, schema_change
from tracker.errors import DatabaseNotReady, InvalidInput
from tracker.resources import bundled


def alembic_config(url: str) -> Config:
    """The Alembic configuration for a database URL, pointing at the bundled scripts."""
    config = Config()
    config.set_main_option("script_location", str(bundled("alembic")))
    # ConfigParser interpolation: a literal % in a URL (an escaped password) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the migration scripts have no head"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with schema_change(engine) as connection:
        config.attributes["connection"] = connection
        try:
            getattr(command, action)(config, revision)
        except Exception as error:
            # Alembic raises plain CommandError / KeyError-like errors for unknown revisions.
            if type(error).__name__ in {"CommandError", "ResolutionError"}:
                raise InvalidInput(str(error).splitlines()[0]) from error
            raise


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    _run(engine, "downgrade", revision)


@dataclass(frozen=True)
class RevisionInfo:
    revision: str
    down_revision: str | None
    message: str
    is_head: bool


def history() -> list[RevisionInfo]:
    """Every revision, oldest first."""
    scripts = _scripts()
    heads = set(scripts.get_heads())
    revisions = list(scripts.walk_revisions())
    revisions.reverse()
    return [
        RevisionInfo(
            revision=script.revision,
            down_revision=script.down_revision if isinstance(script.down_revision, str) else None,
            message=script.doc or "",
            is_head=script.revision in heads,
        )
        for script in revisions
    ]


def schema_differences(engine: Engine) -> list[str]:
    """What autogenerate would change: empty when the models and the migrated schema agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [repr(diff) for diff in compare_metadata(context, SQLModel.metadata)]


def ensure_at_head(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not the one this tracker was built for."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise DatabaseNotReady(
            "database has no tracker schema: run `tracker db upgrade` (or `tracker demo`)"
        )
    if current not in {info.revision for info in history()}:
        raise DatabaseNotReady(
            f"database is at revision {current}, which this tracker does not know (it needs"
            f" {head}): a newer tracker migrated it; upgrade tracker itself"
        )
    raise DatabaseNotReady(
        f"database is at revision {current}, this tracker needs {head}: run `tracker db upgrade`"
    )
