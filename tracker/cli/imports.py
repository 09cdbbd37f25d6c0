"""`tracker import ...`: load official lists, edition after edition."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlmodel import select

from tracker import migrations
from tracker.cli.context import done, progress_enabled, reading, state, stderr
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.db import transaction
from tracker.importers import ofac
from tracker.importers.reconcile import import_edition
from tracker.importers.records import ImportOptions, ImportSummary
from tracker.models import ImportRun
from tracker.reports.render import OutputFormat, Report, Section, columns
from tracker.validation import date_option

app = typer.Typer(help="Import official lists (OFAC SDN and consolidated).", no_args_is_help=True)

SUMMARY_COLUMNS = columns(
    ("file_name", "file"),
    ("list_code", "list"),
    ("published_on", "published"),
    ("added", "added"),
    ("changed", "changed"),
    ("removed", "removed"),
    ("unchanged", "unchanged"),
    ("run_id", "run"),
)


def _sentence(summary: ImportSummary) -> str:
    name = f"{summary.file_name} ({summary.list_code} of {summary.published_on})"
    if summary.already_imported:
        return f"{name}: already imported, nothing changed ({summary.unchanged} entries)"
    counts = (
        f"{summary.added} added, {summary.changed} changed, {summary.removed} removed,"
        f" {summary.unchanged} unchanged"
    )
    if summary.dry_run:
        return f"{name}: would record {counts} (dry run: nothing written)"
    return f"{name}: {counts} (import run {summary.run_id})"


@app.command("ofac")
def import_ofac(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="sdn.xml, consolidated.xml, sdn.csv or cons_prim.csv; oldest first."),
    ],
    list_code: Annotated[
        str | None,
        typer.Option("--list", help="List code (default: CONS for cons* files, else SDN)."),
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publish date of a CSV edition (CSV files carry none).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Import an edition older than the latest imported.")
    ] = False,
    allow_mass_delisting: Annotated[
        bool, typer.Option(help="Accept an edition that delists more than 5% of the list.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Import OFAC list files (format detected from the content), recording what changed
    since the previous edition: listed, delisted, amended (field by field).

    Each file is one transaction: a broken file leaves the database as it was.

    Example: tracker import ofac sdn.csv --published 2023-04-27
    """
    published_on = date_option(published, "--published")
    options = ImportOptions(dry_run=dry_run, force=force, allow_mass_delisting=allow_mass_delisting)
    engine = state(ctx).engine()
    migrations.ensure_at_head(engine)
    summaries = []
    for path in files:
        edition = ofac.read_edition(path, list_code or ofac.default_list_code(path), published_on)
        summary = ImportSummary(
            file_name=path.name,
            format=edition.format,
            list_code=edition.list_code,
            published_on=edition.published_on,
            sha256=ofac.sha256(path),
        )
        with (
            transaction(engine, read_only=dry_run) as session,
            _progress(path.name, edition.declared_count, quiet) as advance,
        ):
            import_edition(
                session, edition=edition, spec=ofac.SPEC, summary=summary, options=options,
                progress=advance,
            )  # fmt: skip
        summaries.append(summary)
        if fmt in (None, OutputFormat.TABLE):
            done(_sentence(summary))
    if fmt not in (None, OutputFormat.TABLE):
        rows = [summary.as_dict() for summary in summaries]
        section = Section("imports", "Imports", SUMMARY_COLUMNS, rows)
        emit(Report(kind="import", title="Import", sections=[section]), fmt)


@contextmanager
def _progress(name: str, total: int | None, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; a no-op otherwise."""
    if not progress_enabled(quiet):
        yield lambda _count: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task(f"Importing {name}", total=total)
        yield lambda count: bar.advance(task, count)


@app.command("runs")
def runs(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List past imports, newest first: file, digest, publish date, what each changed.

    Example: tracker import runs --format json
    """
    with reading(ctx) as session:
        rows = [
            {
                "run_id": run.id,
                "format": run.format,
                "list_code": run.list_code,
                "file_name": run.file_name,
                "sha256": run.sha256,
                "published_on": run.published_on,
                "started_at": run.started_at.isoformat(timespec="seconds"),
                "added": run.added,
                "changed": run.changed,
                "removed": run.removed,
                "unchanged": run.unchanged,
            }
            for run in session.exec(select(ImportRun).order_by(ImportRun.id.desc()))  # type: ignore[union-attr]
        ]
    section = Section(
        "runs",
        "Import runs",
        columns(("run_id", "run"), ("format", "format"), ("file_name", "file"),
                ("published_on", "published"), ("added", "added"), ("changed", "changed"),
                ("removed", "removed"), ("unchanged", "unchanged"), ("started_at", "at")),
        rows,
    )  # fmt: skip
    emit(
        Report(kind="import-runs", title="Import runs", sections=[section],
               empty_message="no imports yet"),
        fmt,
        output,
    )  # fmt: skip
