"""`tracker import ...`: load official lists, edition after edition."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import db, done, progress_enabled, stderr
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.errors import InvalidValue
from tracker.importers import FTM_LIST
from tracker.reports.formats import OutputFormat

if TYPE_CHECKING:
    from tracker.records import ImportSummary

app = typer.Typer(
    help="Import official lists: OFAC, UN, UK, EU, and FollowTheMoney data.", no_args_is_help=True
)


def _sentence(summary: "ImportSummary") -> str:
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


DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
]
ForceOption = Annotated[
    bool, typer.Option(help="Import an edition older than the latest imported.")
]
MassDelistingOption = Annotated[
    bool, typer.Option(help="Accept an edition that delists more than 5% of the list.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
PublishedOption = Annotated[
    str | None,
    typer.Option(help="Publish date of the edition, when the file carries none.", metavar="DATE"),
]
UrlOption = Annotated[
    str | None,
    typer.Option(help="Where this edition was downloaded from (default: the list's official URL)."),
]


def _import(
    ctx: typer.Context,
    paths: list[Path],
    list_format: str,
    quiet: bool,
    fmt: OutputFormat | None,
    list_code: str | None = None,
    published: str | None = None,
    *,
    dry_run: bool,
    force: bool,
    allow_mass_delisting: bool,
    url: str | None,
) -> None:
    """Import files in order, each in its own transaction, and report what each changed."""
    if list_code is not None and not list_code.strip():
        raise InvalidValue("--list: the list code is empty")
    summaries = []
    for path in paths:
        with _progress(path.name, quiet) as advance:
            summary = db(ctx).import_list(
                path,
                format=list_format,
                list=list_code,
                published=published,
                dry_run=dry_run,
                force=force,
                allow_mass_delisting=allow_mass_delisting,
                url=url,
                progress=advance,
            )
        summaries.append(summary)
        if fmt in (None, OutputFormat.TABLE):
            done(_sentence(summary))
    if fmt not in (None, OutputFormat.TABLE):
        from tracker.reports.views import import_summaries_view

        emit("import", {"imports": summaries}, import_summaries_view(summaries), fmt)


@app.command("ofac")
def import_ofac(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="SDN_ENHANCED.XML, sdn.xml, consolidated.xml, sdn.csv or cons_prim.csv;"
            " oldest first."
        ),
    ],
    list_code: Annotated[
        str | None,
        typer.Option("--list", help="List code (default: CONS for cons* files, else SDN)."),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publish date of a CSV edition (CSV files carry none).", metavar="DATE"),
    ] = None,
    dry_run: DryRunOption = False,
    force: ForceOption = False,
    allow_mass_delisting: MassDelistingOption = False,
    url: UrlOption = None,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
) -> None:
    """Import OFAC list files (format detected from the content: the enhanced XML, the
    legacy XML or the CSV family), recording what changed since the previous edition:
    listed, delisted, amended (field by field). The enhanced XML states when each entry was
    listed; the legacy files do not, so their listings count from the first edition that
    showed them (reported as a sighting, not a listing date).

    Each file is one transaction: a broken file leaves the database as it was.

    Example: tracker import ofac sdn.csv --published 2023-04-27
    """
    _import(
        ctx,
        paths,
        "ofac",
        quiet,
        fmt,
        list_code,
        published,
        dry_run=dry_run,
        force=force,
        allow_mass_delisting=allow_mass_delisting,
        url=url,
    )


def _official_list(name: str, files_help: str, doc: str) -> None:
    """Register `tracker import NAME`: a list whose files carry their own date."""

    def command(
        ctx: typer.Context,
        paths: Annotated[list[Path], typer.Argument(help=files_help)],
        dry_run: DryRunOption = False,
        force: ForceOption = False,
        allow_mass_delisting: MassDelistingOption = False,
        url: UrlOption = None,
        quiet: QuietOption = False,
        fmt: FormatOption = None,
    ) -> None:
        _import(
            ctx,
            paths,
            name,
            quiet,
            fmt,
            dry_run=dry_run,
            force=force,
            allow_mass_delisting=allow_mass_delisting,
            url=url,
        )

    command.__doc__ = doc
    app.command(name)(command)


_official_list(
    "un",
    "UN consolidated.xml files; oldest first.",
    """Import the UN Security Council Consolidated List (XML): authority un-sc, list UNSC,
    one designation per committee (1267, 1718...) since LISTED_ON, keyed by the UN reference
    number (identifier un-ref, entity keys like un-qdi-430).

    Example: tracker import un consolidated.xml
    """,
)
_official_list(
    "uk",
    "HM Treasury sanctionsconlist.csv files; oldest first.",
    """Import HM Treasury's Consolidated List (the legacy CSV): authority uk, list CONLIST,
    one entity per Group ID with its other names as aliases, one designation per regime
    since "Listed On". A row naming a UN reference ("UN Ref QDi.430") joins the UN entity.

    Example: tracker import uk sanctionsconlist.csv
    """,
)
_official_list(
    "eu",
    "EU Financial Sanctions Files (CSV 1.0); oldest first.",
    """Import the EU Financial Sanctions Files CSV: authority eu, list FSF, one entity per
    Entity_logical_id, one designation per programme since its first regulation's
    publication date (the regulation is the legal basis).

    Example: tracker import eu sanctions.csv
    """,
)


@app.command("ftm")
def import_ftm(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="FtM entities (JSON lines) or delta files; apply deltas in order."),
    ],
    list_code: Annotated[
        str, typer.Option("--list", help="The list (dataset) these files are editions of.")
    ] = FTM_LIST,
    published: PublishedOption = None,
    dry_run: DryRunOption = False,
    force: ForceOption = False,
    allow_mass_delisting: MassDelistingOption = False,
    url: UrlOption = None,
    quiet: QuietOption = False,
    fmt: FormatOption = None,
) -> None:
    """Import FollowTheMoney entities (OpenSanctions' format): people, organisations,
    companies, vessels and aircraft become entities (identifier ftm); each Sanction becomes a
    designation under the authority it names. A delta file (ADD / MOD / DEL) changes only
    what it names, a Sanction changed or withdrawn on its own included. An edition is dated
    by --published, else by the version id in its path (20240528014702-pfh), else by the
    latest last_seen inside.

    Example: tracker import ftm */entities.delta.json --list opensanctions
    """
    _import(
        ctx,
        paths,
        "ftm",
        quiet,
        fmt,
        list_code,
        published,
        dry_run=dry_run,
        force=force,
        allow_mass_delisting=allow_mass_delisting,
        url=url,
    )


@contextmanager
def _progress(name: str, quiet: bool) -> Iterator[Callable[[int, int | None], None]]:
    """A progress bar on stderr when it is a terminal (its total once the file says it); a
    no-op otherwise."""
    if not progress_enabled(quiet):
        yield lambda _count, _total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task(f"Importing {name}", total=None)

        def advance(count: int, total: int | None) -> None:
            bar.update(task, advance=count, total=total)

        yield advance


@app.command("runs")
def runs(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List past imports, newest first: file, digest, publish date, what each changed.

    Example: tracker import runs --format json
    """
    from tracker.reports.views import import_runs_view

    records = db(ctx).import_runs()
    emit("import-runs", {"runs": records}, import_runs_view(records), fmt, output)
