"""`tracker export ...`: our data in formats other tools read."""

from pathlib import Path
from typing import Annotated

import typer

from tracker import migrations
from tracker.backup import STDIO, open_text
from tracker.cli.context import state
from tracker.cli.output import JsonOption, emit_record
from tracker.db import transaction
from tracker.exporters import ftm

app = typer.Typer(
    help="Export the database for other tools (FollowTheMoney).", no_args_is_help=True
)


@app.command("ftm")
def export_ftm(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="File to write (*.gz compressed; - for stdout)."),
    ] = STDIO,
    fmt: JsonOption = None,
) -> None:
    """Write every entity, identifier, designation, sanction and response as FollowTheMoney
    entities (JSON lines), read in one consistent snapshot. `tracker import ftm` reads the
    file back: the same entities (keys kept), designations and sanctions.

    Example: tracker export ftm -o tracker.ftm.json (or `| ftm validate`, from followthemoney)
    """
    engine = state(ctx).engine()
    migrations.ensure_at_head(engine)
    with transaction(engine, read_only=True) as session, open_text(output, "w") as out:
        summary = ftm.export(session, out)
    if output != STDIO:
        emit_record(
            f"Exported {summary.total:,} FtM entities to {output}",
            {"file": str(output), "entities": summary.total, "counts": summary.counts},
            fmt,
            "export",
        )
