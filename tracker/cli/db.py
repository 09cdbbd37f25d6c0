"""`tracker db ...`: schema migrations on SQLite or PostgreSQL."""

from typing import Annotated

import typer

from tracker import migrations
from tracker.cli.context import done, state
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.errors import DatabaseNotReady
from tracker.reports.render import Report, Section, columns

app = typer.Typer(
    help="Schema migrations: upgrade, downgrade, current, history, check.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Migrate the database up to a revision (default: the newest), creating it if needed.

    Example: tracker --db postgresql+psycopg://postgres@127.0.0.1/tracker db upgrade
    """
    engine = state(ctx).engine(must_exist=False)
    before = migrations.current_revision(engine)
    migrations.upgrade(engine, revision)
    after = migrations.current_revision(engine)
    if before == after:
        done(f"Database already at {after}")
    else:
        done(f"Upgraded database from {before or 'empty'} to {after}")


@app.command("downgrade")
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision, -1 or base.")] = "-1",
) -> None:
    """Migrate the database down (default: one revision; `base` removes every table).

    Example: tracker db downgrade base
    """
    engine = state(ctx).engine()
    before = migrations.current_revision(engine)
    migrations.downgrade(engine, revision)
    done(f"Downgraded database from {before} to {migrations.current_revision(engine) or 'base'}")


@app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the database's revision, and whether it is the newest.

    Example: tracker db current
    """
    revision = migrations.current_revision(state(ctx).engine())
    head = migrations.head_revision()
    if revision is None:
        done("base (no tracker schema yet)")
    else:
        done(f"{revision} (head)" if revision == head else f"{revision} (head is {head})")


@app.command("history")
def history(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List every migration, oldest first.

    Example: tracker db history --format json
    """
    rows = [
        {
            "revision": info.revision,
            "down_revision": info.down_revision,
            "message": info.message,
            "head": info.is_head,
        }
        for info in migrations.history()
    ]
    section = Section(
        "revisions",
        "Migrations",
        columns(
            ("revision", "revision"),
            ("down_revision", "after"),
            ("message", "message"),
            ("head", "head"),
        ),
        rows,
    )
    emit(Report(kind="migrations", title="Migrations", sections=[section]), fmt, output)


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Check that the database is at the newest revision and matches the models.

    Exit code 1 when it is not, with the differences.

    Example: tracker db check
    """
    engine = state(ctx).engine()
    migrations.ensure_at_head(engine)
    differences = migrations.schema_differences(engine)
    if differences:
        raise DatabaseNotReady("database schema differs from the models: " + "; ".join(differences))
    done(f"Database is at {migrations.head_revision()} (head) and matches the models")
