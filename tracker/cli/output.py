"""The shared output options (`--format`, `-o`, `--section`) and how a result reaches the
user: JSON is the records themselves; table, CSV, Markdown and HTML render their view.

A person at a terminal gets the first page of a long table and how to get the rest (like
`git log` without its pager: nobody reads 50,000 rows scrolling past); a pipe, a file or any
other format gets every row.

The renderers and the views load when a command first writes something, never at the top of
a command module: `tracker --help`, `--version` and usage errors load none of them."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from tracker.cli.context import done, note, stdout
from tracker.errors import InvalidInput
from tracker.reports.formats import OutputFormat, format_for

if TYPE_CHECKING:
    from tracker.reports.render import Report

# Rows of a section shown on a terminal before "N more": about a screen and a half.
FIRST_PAGE_ROWS = 40

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
SectionOption = Annotated[
    str | None,
    typer.Option(
        "--section",
        help="With --format csv: this section (e.g. sanctions) instead of the main one.",
        show_default=False,
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
    view: "Report",
    fmt: OutputFormat | None,
    output: Path | None = None,
    section: str | None = None,
    **meta: Any,
) -> None:
    """Write a result in the chosen format to the file or to stdout: JSON from the data
    itself, any other format from its view."""
    from tracker.reports.json import to_json
    from tracker.reports.render import print_table, render_text

    chosen = format_for(output, fmt)
    if section is not None:
        view = replace(view, sections=[view.section(section)])
    if chosen == OutputFormat.CSV:
        _emit_csv(view, output)
        return
    if chosen == OutputFormat.JSON:
        text = to_json(kind, data, **meta)
    elif chosen == OutputFormat.TABLE and output is None:
        _print_first_page(view) if stdout.is_terminal else print_table(view, stdout)
        return
    else:
        text = render_text(view, chosen)
    with written(output) as out:
        out.write(text)
    if output is not None:
        done(f"Wrote {output} ({chosen.value})")


def _emit_csv(view: "Report", output: Path | None) -> None:
    """One table per CSV: the main section to stdout or `output`; to a file, every other
    section with rows goes beside it as STEM-SECTION.csv."""
    from tracker.reports.render import section_csv

    main = view.main
    others = [s for s in view.sections if s is not main and s.rows]
    if output is None:
        stdout.file.write(section_csv(main))
        if others:
            names = ", ".join(s.key for s in others)
            note(f"CSV is one table: {main.key}. Also: {names} (--section NAME, or -o FILE)")
        return
    files = [(output, main), *((output.with_name(f"{output.stem}-{s.key}.csv"), s) for s in others)]
    for path, section in files:
        with written(path) as out:
            out.write(section_csv(section))
    done("Wrote " + ", ".join(f"{path} ({section.key})" for path, section in files) + " (csv)")


def _print_first_page(view: "Report") -> None:
    """The view with each long section cut to its first rows, then how to see the rest."""
    from tracker.reports.render import Section, print_table

    cut: list[tuple[Section, int]] = []
    sections = []
    for section in view.sections:
        if len(section.rows) > FIRST_PAGE_ROWS and not section.single:
            cut.append((section, len(section.rows) - FIRST_PAGE_ROWS))
            section = replace(section, rows=section.rows[:FIRST_PAGE_ROWS])
        sections.append(section)
    print_table(replace(view, sections=sections), stdout)
    for section, more in cut:
        note(
            f"{more:,} more {section.key} not shown (first {FIRST_PAGE_ROWS} of"
            f" {len(section.rows):,}): see them all with -o FILE, --format csv, or | less"
        )


def emit_record(message: str, kind: str, record: Any, fmt: OutputFormat | None) -> None:
    """What a recording command prints: a sentence, or with `--format json` the record it
    wrote under its kind (`{"kind": "designation", "designation": {...}}`)."""
    from tracker.reports.json import jsonable, to_json
    from tracker.reports.render import render_text
    from tracker.reports.views import record_view

    if fmt is None or fmt == OutputFormat.TABLE:
        done(message)
        return
    if fmt == OutputFormat.JSON:
        stdout.file.write(to_json(kind, {kind: record}))
        return
    stdout.file.write(render_text(record_view(kind, message, jsonable(record)), fmt))


def show_record(
    kind: str, title: str, record: Any, fmt: OutputFormat | None, output: Path | None
) -> None:
    """What a `show` command prints: one record as fields, or under its kind in JSON
    (`{"kind": "designation", "designation": {...}}`, as the recording commands write it)."""
    from tracker.reports.json import jsonable
    from tracker.reports.views import record_view

    emit(kind, {kind: record}, record_view(kind, title, jsonable(record)), fmt, output)


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
