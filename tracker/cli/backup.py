"""`tracker dump` and `tracker restore`: the whole database as portable JSON lines."""

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.context import confirmed, db
from tracker.cli.output import JsonOption, emit_record

STDIO = Path("-")
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Go ahead without asking, although data is replaced.")
]


def dump(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="File to write (*.gz is compressed; - for standard output).")
    ],
    yes: YesOption = False,
    fmt: JsonOption = None,
) -> None:
    """Write every table (events and import runs included) as versioned JSON lines.

    The dump is read in one consistent snapshot while others keep writing. Load it with
    `tracker restore` into a new database on either engine. An existing file is replaced
    only after you confirm it (or with --yes).

    Example: tracker dump backup-2026-11-28.jsonl.gz
    """
    if path != STDIO and path.exists():
        confirmed(f"{path} exists: the dump would replace it", yes)
    summary = db(ctx).dump(path)
    if path != STDIO:
        emit_record(
            f"Dumped {summary.rows:,} rows of {len(summary.counts)} tables to {path}",
            "dump",
            summary,
            fmt,
        )


def restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file written by `tracker dump` (- for stdin).")],
    yes: YesOption = False,
    fmt: JsonOption = None,
) -> None:
    """Load a dump into a database (created and migrated if it does not exist).

    All or nothing: a damaged or truncated dump is refused with nothing written. A database
    that already holds data has all of it replaced, after you confirm it (or with --yes),
    in the same transaction as the load. Moving from SQLite to PostgreSQL is a dump and a
    restore.
    A dump written by an older tracker (from a file) is loaded at its own schema revision,
    then migrated to this tracker's, and its names are indexed for search again.

    Example: tracker --db postgresql+psycopg://postgres@127.0.0.1/tracker restore backup.jsonl.gz
    """
    database = db(ctx)
    replace = database.exists() and not database.is_empty()
    if replace:
        confirmed(f"the database holds data: restoring {path} would replace all of it", yes)
    summary = database.restore(path, replace=replace)
    emit_record(
        f"Restored {summary.rows:,} rows of {len(summary.counts)} tables from {path}",
        "restore",
        summary,
        fmt,
    )
