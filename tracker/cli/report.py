"""`tracker report ...`: status as of a date, changes over time, an entity's timeline."""

import datetime as dt
from typing import Annotated

import typer

from tracker.cli.context import reading
from tracker.cli.output import FormatOption, OutputOption, emit
from tracker.dates import as_of_day
from tracker.enums import EntityKind
from tracker.errors import InvalidInput, TrackerError
from tracker.reports.changes import changes_report, timeline_report
from tracker.reports.compare import compare_report
from tracker.reports.filters import ReportFilters
from tracker.reports.status import status_report
from tracker.services.lookup import entity_by_key

app = typer.Typer(
    help="Reports: status as of a date, changes, timelines, cross-authority comparison.",
    no_args_is_help=True,
)

AuthorityFilter = Annotated[str | None, typer.Option("--authority", help="Only this authority.")]
ListFilter = Annotated[str | None, typer.Option("--list", help="Only this list, e.g. FTO.")]
ProgramFilter = Annotated[str | None, typer.Option(help="Only this program, e.g. SDGT.")]
CountryFilter = Annotated[str | None, typer.Option(help="Only entities of this country.")]
KindFilter = Annotated[EntityKind | None, typer.Option(help="Only entities of this kind.")]


def _day(text: str | None, option: str) -> str:
    try:
        return as_of_day(text)
    except TrackerError as error:
        raise InvalidInput(f"{option}: {error}") from error


@app.command("status")
def status(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to report on (default: today).")
    ] = None,
    authority: AuthorityFilter = None,
    list_code: ListFilter = None,
    program: ProgramFilter = None,
    country: CountryFilter = None,
    kind: KindFilter = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Who is designated or sanctioned as of a date, with the latest official response.

    Example: tracker report status --as-of 2025-12-01 --authority us-state --list FTO
    """
    day = _day(as_of, "--as-of")
    filters = ReportFilters(authority, list_code, program, country, kind)
    with reading(ctx) as session:
        report = status_report(session, day=day, filters=filters)
    emit(report, fmt, output)


@app.command("changes")
def changes(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="First day of the window (real-world date).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day (default: today).")] = None,
    recorded_since: Annotated[
        dt.datetime | None,
        typer.Option(help="Instead: what was entered into the database since this moment."),
    ] = None,
    authority: AuthorityFilter = None,
    list_code: ListFilter = None,
    program: ProgramFilter = None,
    country: CountryFilter = None,
    kind: KindFilter = None,
    hide_cosmetic: Annotated[
        bool,
        typer.Option(help="Leave out list amendments that only touched formatting."),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """What changed between two dates: listings, effective dates, amendments, revocations,
    sanctions imposed and lifted, responses; in date order, each with its source.

    Example: tracker report changes --since 2025-01-01 --until 2025-12-31 --format markdown
    """
    if since is None and recorded_since is None:
        raise typer.BadParameter("give --since DATE (or --recorded-since TIMESTAMP)")
    start = _day(since, "--since") if since else None
    end = _day(until, "--until")
    if start and end < start:
        raise InvalidInput(f"--until {end} is before --since {start}")
    if recorded_since is not None and recorded_since.tzinfo is None:
        recorded_since = recorded_since.replace(tzinfo=dt.UTC)
    filters = ReportFilters(authority, list_code, program, country, kind)
    with reading(ctx) as session:
        report = changes_report(
            session,
            since=start,
            until=end,
            recorded_since=recorded_since,
            filters=filters,
            hide_cosmetic=hide_cosmetic,
        )
    emit(report, fmt, output)


@app.command("timeline")
def timeline(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The entity's key.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The whole history of one entity, oldest first, with sources.

    Example: tracker report timeline cartel-de-los-soles --format html -o soles.html
    """
    with reading(ctx) as session:
        report = timeline_report(session, entity=entity_by_key(session, key))
    emit(report, fmt, output)


@app.command("compare")
def compare(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The entity's key.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status as of this day (default: today).")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One target's status under every authority, side by side: who lists it, since when,
    under which programs, when each delisted, and how many days each lagged the first.
    The target is the entity and those linked to it (`tracker entity link`).

    Example: tracker report compare un-qdi-430 --format markdown
    """
    day = _day(as_of, "--as-of")
    with reading(ctx) as session:
        report = compare_report(session, entity=entity_by_key(session, key), day=day)
    emit(report, fmt, output)
