"""`tracker sync ...`: follow official lists at their publishers' addresses."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tracker.cli.context import db, done, stderr
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.errors import InvalidValue, TrackerError

if TYPE_CHECKING:
    from tracker.sync.records import SyncRunRecord
    from tracker.sync.sources import ListSource

FORMATS = ("ofac", "un", "uk", "eu", "ftm")  # tracker.importers.formats.FORMATS, unimported


class SyncGroup(TyperGroup):
    """`tracker sync [NAME...]` is `tracker sync run [NAME...]`: anything that is not one of
    the group's commands (or its --help) goes to `run`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=SyncGroup,
    help=(
        "Follow official lists: download each new edition, check it, import it, archive it."
        " `tracker sync [NAME...]` is short for `tracker sync run [NAME...]`.\n\n"
        "Example: tracker sync ofac-sdn un-sc"
    ),
)


@app.command("run")
def run(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Lists of the sources file to follow (default: all of them).", show_default=False
        ),
    ] = None,
    sources_file: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="Sources file (YAML; default: the shipped one).",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Follow this one list instead (with --format).")
    ] = None,
    list_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=f"With --url: the list's format ({', '.join(FORMATS)}).",
            metavar="FORMAT",
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="With --url: the list's name (default: from the URL).")
    ] = None,
    list_code: Annotated[
        str | None, typer.Option("--list", help="With --url: the list code, if not detected.")
    ] = None,
    sha256: Annotated[
        str | None, typer.Option(help="With --url: the SHA-256 the file must have.")
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            help="Archive folder (default: $TRACKER_ARCHIVE_DIR, else <db>.archive/"
            " beside a SQLite file).",
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds a connection or a read may wait.", min=0.01)
    ] = 60.0,
    retries: Annotated[
        int, typer.Option(help="Retries after a connection error, a timeout or a 5xx.", min=0)
    ] = 3,
    retry_wait: Annotated[
        float, typer.Option(help="Seconds before the first retry, doubled before each next.", min=0)
    ] = 2.0,
    max_size: Annotated[
        int, typer.Option(help="Largest download accepted, in MiB.", min=1, metavar="MIB")
    ] = 1024,
    allow_mass_delisting: Annotated[
        bool, typer.Option(help="Accept an edition that delists more than 5% of the list.")
    ] = False,
    every: Annotated[
        str | None,
        typer.Option(
            help="Sync again every DURATION (90s, 30m, 6h, 1d) until Ctrl-C.", metavar="DURATION"
        ),
    ] = None,
) -> None:
    """Download the lists; import and archive each new edition.

    Each download is a conditional GET (an unchanged list costs a 304), with a timeout and
    retries. Each file is checked: the sources' SHA-256, the length announced, then the
    import's own checks (the file's record count, no mass delisting). A new edition is
    imported as `tracker import` would, citing its URL, and the exact file is kept in the
    archive, named by list, publish date and SHA-256. One line per list; a failed list
    changes nothing and the command exits 1. One sync at a time per archive: a second is
    refused.

    Example: tracker sync

    Example: tracker sync --url https://example.org/sdn.xml --format ofac --archive lists/

    Example: tracker sync un-sc --every 6h
    """
    from tracker.sync.fetch import Limits
    from tracker.sync.runner import every as loop
    from tracker.sync.runner import parse_interval

    chosen = _sources(names or [], sources_file, url, list_format, name, list_code, sha256)
    limits = Limits(
        timeout=timeout, retries=retries, retry_wait=retry_wait, max_bytes=max_size << 20
    )
    tracker = db(ctx)

    def one_round() -> bool:
        records = tracker.sync(
            chosen, archive=archive, limits=limits, allow_mass_delisting=allow_mass_delisting
        )
        return _report(records)

    if every is None:
        if not one_round():
            raise typer.Exit(1)
        return
    interval = parse_interval(every)

    def guarded_round() -> bool:
        try:
            return one_round()
        except TrackerError as error:  # this round's; the next may succeed
            stderr.print(f"Error: {error}", highlight=False, markup=False)
            return False

    try:
        loop(interval, guarded_round)
    except KeyboardInterrupt:
        stderr.print("Stopped.", highlight=False, markup=False)


def _sources(
    names: list[str],
    sources_file: Path | None,
    url: str | None,
    list_format: str | None,
    name: str | None,
    list_code: str | None,
    sha256: str | None,
) -> "list[ListSource]":
    """The lists to follow: those named in the sources file, or the one --url gives."""
    from tracker.sync.sources import chosen_sources, list_source, load_sources, name_for_url

    if url is None:
        if list_format or name or list_code or sha256:
            raise InvalidValue("--format, --name, --list and --sha256 go with --url")
        return chosen_sources(load_sources(sources_file), names)
    if names or sources_file:
        raise InvalidValue("--url follows one list: give no list names and no --sources")
    if list_format is None:
        raise InvalidValue("--url needs --format (one of " + ", ".join(FORMATS) + ")")
    return [
        list_source(
            name=name or name_for_url(url, list_format),
            format=list_format,
            url=url,
            list=list_code,
            sha256=sha256,
        )
    ]


def _report(records: "list[SyncRunRecord]") -> bool:
    """One line per list; whether none failed."""
    ok = True
    for record in records:
        line = f"{record.name}: {record.outcome.value}"
        if record.outcome == "ok":
            edition = f"edition of {record.published_on or 'unknown date'}"
            counts = f"{record.added} added, {record.changed} changed, {record.removed} removed"
            done(f"{line}: {edition}: {counts} (import run {record.import_run_id};"
                 f" archived as {record.archive_path})")  # fmt: skip
        elif record.outcome == "unchanged":
            done(f"{line}: {record.reason}")
        else:
            ok = False
            stderr.print(f"Error: {line}: {record.reason}", highlight=False, markup=False)
    return ok


@app.command("runs")
def runs(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Only this list's runs.")] = None,
    outcome: Annotated[
        str | None, typer.Option(help="Only runs that ended so: ok, unchanged or failed.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many runs.", min=1)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List sync runs, newest first.

    Each run: list, URL, outcome and reason, HTTP status, bytes, SHA-256, archive file, the
    import run and what it changed.

    Example: tracker sync runs --name ofac-sdn --format json
    """
    from tracker.reports.views import sync_runs_view

    records = db(ctx).sync_runs(name=name, outcome=outcome, limit=limit)
    emit("sync-runs", {"runs": records}, sync_runs_view(records), fmt, output)
