"""The shared output options (`--format`, `-o`) and how a result reaches the user: JSON is the
records themselves; table, CSV, Markdown and HTML render their view."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from tracker.cli.context import done, stdout
from tracker.errors import InvalidInput
from tracker.reports.json import jsonable, to_json
from tracker.reports.render import OutputFormat, Report, format_for, print_table, render_text
from tracker.reports.views import record_view

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


def emit(
    kind: str,
    data: Any,
    view: Report,
    fmt: OutputFormat | None,
    output: Path | None = None,
    **meta: Any,
) -> None:
    """Write a result in the chosen format to the file or to stdout: JSON from the data
    itself, any other format from its view."""
    chosen = format_for(output, fmt)
    if chosen == OutputFormat.JSON:
        text = to_json(kind, data, **meta)
    elif chosen == OutputFormat.TABLE and output is None:
        print_table(view, stdout)
        return
    else:
        text = render_text(view, chosen)
    with written(output) as out:
        out.write(text)
    if output is not None:
        done(f"Wrote {output} ({chosen.value})")


def emit_record(message: str, kind: str, record: Any, fmt: OutputFormat | None) -> None:
    """What a recording command prints: a sentence, or with `--format json` the record it
    wrote under its kind (`{"kind": "designation", "designation": {...}}`)."""
    if fmt is None or fmt == OutputFormat.TABLE:
        done(message)
        return
    if fmt == OutputFormat.JSON:
        stdout.file.write(to_json(kind, {kind: record}))
        return
    stdout.file.write(render_text(record_view(kind, message, jsonable(record)), fmt))


@contextmanager
def written(output: Path | None) -> Iterator[IO[str]]:
    """Standard output, or `output` written whole or not at all: rows go to a temporary file
    beside it, which replaces it once every name is screened (an error leaves no partial
    file, and an existing file as it was)."""
    if output is None:
        yield stdout.file
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        out = partial.open("w", encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot write {output}: {error.strerror or error}") from error
    try:
        with out:
            yield out
        partial.replace(output)
    except OSError as error:
        raise InvalidInput(f"cannot write {output}: {error.strerror or error}") from error
    finally:
        partial.unlink(missing_ok=True)
