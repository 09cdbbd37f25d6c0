"""`tracker screen FILE --record NAME`, `tracker decide`, `tracker rescreen`, `tracker screen
report` and `tracker screen list`: screenings that remember their hits and decisions."""

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tracker.cli.context import db, done, stderr
from tracker.cli.output import (
    FormatOption,
    JsonOption,
    OutputOption,
    SectionOption,
    emit,
    emit_record,
    written,
)
from tracker.errors import InvalidValue

if TYPE_CHECKING:
    from tracker.screening.files import Columns
    from tracker.screening.records import HitRecord, ScreeningRunRecord


class ScreenGroup(TyperGroup):
    """`tracker screen FILE ...` is `tracker screen file FILE ...`: anything that is not one
    of the group's commands (or its --help) goes to `file`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["file", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        """`file` first in --help: it is what `tracker screen FILE` runs."""
        return sorted(super().list_commands(ctx), key=lambda name: name != "file")


app = typer.Typer(
    cls=ScreenGroup,
    help=(
        "Screen a file of names against the lists; with --record NAME, remember the run, its"
        " hits and the decisions on them. `tracker screen FILE ...` is short for"
        " `tracker screen file FILE ...`.\n\n"
        "Example: tracker screen customers.csv --id-column id --record customers"
    ),
)

RECORDED_COLUMNS = ["id", "input", "rank", "state", "score", "key", "name", "matched", "why",
                    "in_force", "changes"]  # fmt: skip


def write_recorded(
    run: "ScreeningRunRecord", output: Path | None, json_lines: bool, quiet: bool
) -> None:
    """A recorded run as `tracker screen` writes it: one row per (input, hit) with the hit's
    state, leaving out hits decided false-positive (the summary on stderr counts them)."""
    from tracker.reports.json import to_json_line

    shown = [hit for hit in run.hits if hit.state != "false-positive"]
    with written(output) as out:
        if json_lines:
            for hit in shown:
                out.write(to_json_line(hit))
        else:
            writer = csv.DictWriter(out, fieldnames=RECORDED_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for hit in shown:
                writer.writerow(_csv_row(hit))
    from tracker.screening.views import run_summary

    message = f"Screened and recorded {run_summary(run)}"
    if output is not None:
        done(f"{message}; wrote {output}")
    elif not quiet or run.suppressed:
        stderr.print(message, highlight=False, markup=False)


def _csv_row(hit: "HitRecord") -> dict[str, Any]:
    return {
        "id": hit.row, "input": hit.input, "rank": hit.rank, "state": hit.state,
        "score": f"{hit.score:.3f}", "key": hit.entity.key, "name": hit.entity.name,
        "matched": hit.matched, "why": hit.why, "in_force": "; ".join(hit.listings),
        "changes": "; ".join(hit.changes),
    }  # fmt: skip


def record_screen(
    ctx: typer.Context,
    path: Path,
    *,
    name: str,
    columns: "Columns",
    threshold: float | None,
    limit: int | None,
    follow: bool | None,
    output: Path | None,
    json_lines: bool,
    quiet: bool,
) -> None:
    """`tracker screen FILE --record NAME`: read and check every row, then screen and record
    them in one transaction."""
    from tracker.screening.files import read_rows

    if columns.id is None:
        raise InvalidValue("--record needs --id-column: decisions name rows by their id")
    given = read_rows(path, columns)
    run = db(ctx).screen_and_record(name, given.rows, threshold=threshold, limit=limit,
                                    follow=follow, file_name=given.file_name,
                                    sha256=given.sha256)  # fmt: skip
    write_recorded(run, output, json_lines, quiet)


@app.command("report")
def report(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The screening (or the id of one of its runs).")],
    fmt: FormatOption = None,
    output: OutputOption = None,
    section: SectionOption = None,
) -> None:
    """Show a screening's open hits and its decisions with their history.

    Open hits are the rows' hits in their latest run that are new, open (seen before, not
    decided) or changed since their decision, with what changed. Every decision follows:
    the one that stands for each row and party, then the earlier ones (who, when, verdict,
    note).

    Example: tracker screen report customers --format html -o customers.html
    """
    from tracker.screening.views import report_view

    found = db(ctx).screening_report(name)
    data = {"screening": found.screening, "open": found.open, "decisions": found.decisions}
    emit("screening-report", data, report_view(found), fmt, output, section)


@app.command("list")
def list_screenings(
    ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """List the remembered screenings: settings, rows, runs and open hits.

    Example: tracker screen list --format json
    """
    from tracker.screening.views import list_view

    found = db(ctx).screenings()
    emit("screenings", {"screenings": found}, list_view(found), fmt, output)


def decide(
    ctx: typer.Context,
    screening: Annotated[
        str, typer.Argument(help="The screening's name, or the id of one of its runs.")
    ],
    row: Annotated[str, typer.Argument(help="The row's id (from --id-column).")],
    entity: Annotated[str, typer.Argument(help="The listed party's key.")],
    false_positive: Annotated[
        bool, typer.Option("--false-positive", help="Not the listed party.")
    ] = False,
    match: Annotated[bool, typer.Option("--match", help="The listed party indeed.")] = False,
    note: Annotated[str | None, typer.Option(help="Why, for whoever reads it later.")] = None,
    by: Annotated[str | None, typer.Option(help="Who decided (default: your user name).")] = None,
    fmt: JsonOption = None,
) -> None:
    """Decide a hit of a remembered screening: a false positive, or a match.

    A hit decided false-positive is no longer raised by later runs, unless the listed party
    changes (a new alias or listing, a delisting, amended details): then it comes back
    marked changed-since-decision. The latest decision on a row and party stands; the
    earlier ones stay as its history (`tracker screen report`).

    Example: tracker decide customers C-1042 un-qdi-414 --false-positive --note "born 1990"
    """
    if false_positive == match:
        raise InvalidValue("give --false-positive or --match (one of them)")
    verdict = "false-positive" if false_positive else "match"
    record = db(ctx).decide(screening, row, entity, verdict, note=note, by=by)
    message = (f"Decided {record.verdict}: row {record.row} of {record.screening} and"
               f" {record.entity.key} ({record.entity.name}), by {record.decided_by}")  # fmt: skip
    emit_record(message, "decision", record, fmt)


def rescreen(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The screening to screen again.")],
    full: Annotated[
        bool, typer.Option("--full", help="Score every row afresh, not only those changes touch.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Screen a remembered screening's rows again against the database as it is now.

    Shows only what the run raised: hits new for their row, and decided hits whose party
    changed since the decision (with what changed); each also raises an alert
    (`tracker alerts`). Hits decided and unchanged stay decided. Rows are scored afresh only
    where an event since the last run could change their hits (`--full`: every row).

    Example: tracker rescreen customers
    """
    from tracker.screening.views import run_summary, run_view

    run = db(ctx).rescreen(name, full=full)
    raised = [hit for hit in run.hits if hit.raised]
    emit("screening-run", {"run": run, "raised": raised}, run_view(run, raised), fmt, output)
    stderr.print(
        f"Rescreened {run_summary(run)}; {run.screened:,} rows scored afresh,"
        f" {run.alerts:,} alerts raised",
        highlight=False,
        markup=False,
    )
