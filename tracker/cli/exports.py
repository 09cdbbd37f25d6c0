"""`tracker export ...`: our data in formats other tools read."""

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.output import JsonOption, emit_record

app = typer.Typer(
    help="Export the database for other tools (FollowTheMoney).", no_args_is_help=True
)
STDIO = Path("-")


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
    summary = db(ctx).export_ftm(output)
    if output != STDIO:
        emit_record(
            f"Exported {summary.entities:,} FtM entities to {output}", "export", summary, fmt
        )
