"""`tracker db ...`: schema migrations on SQLite or PostgreSQL."""

from typing import Annotated

import typer

from tracker.cli.context import confirmed, db, done
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.errors import DatabaseNotReady

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
    database = db(ctx)
    before = database.revision() if database.exists() else None
    after = database.upgrade(revision)
    if before == after:
        done(f"Database already at {after}")
    else:
        done(f"Upgraded database from {before or 'empty'} to {after}")


@app.command("downgrade")
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision, -1 or base.")] = "-1",
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Go ahead without asking, although data is lost.")
    ] = False,
) -> None:
    """Migrate the database down (default: one revision; `base` removes every table).

    What later revisions added is dropped with its data, so it asks first (or give --yes).

    Example: tracker db downgrade base --yes
    """
    database = db(ctx)
    before = database.revision()
    if before is None:
        raise DatabaseNotReady("the database has no tracker schema: nothing to downgrade")
    target = "every table" if revision == "base" else "what later revisions added"
    confirmed(f"downgrading from {before} to {revision} drops {target}, with its data", yes)
    after = database.downgrade(revision)
    done(f"Downgraded database from {before} to {after or 'base'}")


@app.command("current")
def current(ctx: typer.Context) -> None:
    """Print the database's revision, and whether it is the newest.

    Example: tracker db current
    """
    revision = db(ctx).revision()
    head = db(ctx).head()
    if revision is None:
        done("base (no tracker schema yet)")
    else:
        done(f"{revision} (head)" if revision == head else f"{revision} (head is {head})")


@app.command("history")
def history(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List every migration, oldest first.

    Example: tracker db history --format json
    """
    from tracker.reports.views import revisions_view

    records = db(ctx).migrations()
    emit("migrations", {"revisions": records}, revisions_view(records), fmt, output)


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Check that the database is at the newest revision and matches the models.

    Exit code 1 when it is not, with the differences.

    Example: tracker db check
    """
    differences = db(ctx).check()
    if differences:
        raise DatabaseNotReady("database schema differs from the models: " + "; ".join(differences))
    done(f"Database is at {db(ctx).head()} (head) and matches the models")
