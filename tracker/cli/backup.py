"""`tracker dump` and `tracker restore`: the whole database as portable JSON lines."""

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.output import JsonOption, emit_record

STDIO = Path("-")


def dump(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="File to write (*.gz is compressed; - for standard output).")
    ],
    fmt: JsonOption = None,
) -> None:
    """Write every table (events and import runs included) as versioned JSON lines.

    The dump is read in one consistent snapshot while others keep writing. Load it with
    `tracker restore` into a new database on either engine.

    Example: tracker dump backup-2026-11-28.jsonl.gz
    """
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
    fmt: JsonOption = None,
) -> None:
    """Load a dump into a new, empty database (created and migrated if it does not exist).

    All or nothing: a damaged or truncated dump, or a database that already holds data, is
    refused with nothing written. Moving from SQLite to PostgreSQL is a dump and a restore.
    A dump written by an older tracker (from a file) is loaded at its own schema revision,
    then migrated to this tracker's, and its names are indexed for search again.

    Example: tracker --db postgresql+psycopg://postgres@127.0.0.1/tracker restore backup.jsonl.gz
    """
    summary = db(ctx).restore(path)
    emit_record(
        f"Restored {summary.rows:,} rows of {len(summary.counts)} tables from {path}",
        "restore",
        summary,
        fmt,
    )
