"""The shared output options (`--format`, `-o`) and how a report reaches the user."""

from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli.context import done, stdout
from tracker.reports.render import (
    OutputFormat,
    Report,
    Section,
    columns,
    format_for,
    print_table,
    render_text,
)

FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table (default on a terminal), json, csv, markdown or html.",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file; its suffix (.json .csv .md .html) picks the format.",
        dir_okay=False,
    ),
]
JsonOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="`json` prints the record as JSON for scripts; default: a sentence.",
        case_sensitive=False,
    ),
]


def emit(report: Report, fmt: OutputFormat | None, output: Path | None = None) -> None:
    """Render the report in the chosen format to the file or to stdout."""
    chosen = format_for(output, fmt)
    if output is not None:
        output.write_text(render_text(report, chosen), encoding="utf-8")
        done(f"Wrote {output} ({chosen.value})")
        return
    if chosen == OutputFormat.TABLE:
        print_table(report, stdout)
        return
    stdout.file.write(render_text(report, chosen))


def emit_record(message: str, record: dict[str, Any], fmt: OutputFormat | None, kind: str) -> None:
    """What a recording command prints: a sentence, or with `--format json` the record."""
    if fmt is None or fmt == OutputFormat.TABLE:
        done(message)
        return
    report = Report(
        kind=kind,
        title=message,
        sections=[
            Section(kind, message, columns(*((k, k) for k in record)), [record], single=True)
        ],
    )
    stdout.file.write(render_text(report, fmt))
