"""Schema migrations, run programmatically with one Alembic configuration builder.

The CLI, the tests and `alembic.ini` all reach the same `alembic/` scripts; the CLI passes its
own connection so a migration runs in one transaction on the engine tracker configured.

Alembic is imported where a migration runs: opening a database at head only reads its
revision (one query), and every command pays for what it imports.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables)
from tracker.db import READ_ONLY_OPTION, is_busy, schema_change
from tracker.errors import DatabaseNotReady, InvalidInput
from tracker.resources import bundled

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

VERSION_TABLE = "alembic_version"
REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def alembic_config(url: str) -> "Config":
    """The Alembic configuration for a database URL, pointing at the bundled scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(bundled("alembic")))
    # ConfigParser interpolation: a literal % in a URL (an escaped password) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _scripts() -> "ScriptDirectory":
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://"))


@cache
def head_revision() -> str:
    """The newest revision, read from the scripts' own `revision` / `down_revision` lines:
    every command checks it, and loading the scripts through Alembic costs a tenth of a
    second (a test checks that both agree)."""
    revises: dict[str, str | None] = {}
    for script in (bundled("alembic") / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found = dict(REVISION_LINE.findall(text))
        if "revision" in found:
            revises[found["revision"]] = found.get("down_revision")
    heads = set(revises) - set(revises.values())
    assert len(heads) == 1, f"the migration scripts have {len(heads)} heads"
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: no tracker schema), as Alembic records it."""
    with engine.execution_options(**{READ_ONLY_OPTION: True}).connect() as connection:
        if not sa.inspect(connection).has_table(VERSION_TABLE):
            return None
        version = sa.table(VERSION_TABLE, sa.column("version_num"))
        return connection.execute(sa.select(version.c.version_num)).scalar_one_or_none()


def _run(engine: Engine, action: str, revision: str) -> None:
    from alembic import command

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
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [repr(diff) for diff in compare_metadata(context, SQLModel.metadata)]


def check_at_head(engine: Engine, connection: sa.Connection) -> None:
    """`ensure_at_head` in one query on the connection a call already holds (every call
    checks, so it must cost no more): only a database not at head is looked at again, on
    its own connection, to say what is wrong."""
    version = sa.table(VERSION_TABLE, sa.column("version_num"))
    try:
        current = connection.execute(sa.select(version.c.version_num)).scalar_one_or_none()
    except sa.exc.DBAPIError as error:
        if is_busy(error):
            raise
        current = None  # no version table: no tracker schema
    if current != head_revision():
        ensure_at_head(engine)
        raise DatabaseNotReady("the database's schema changed while it was opened: try again")


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
