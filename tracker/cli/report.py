"""`tracker report ...`: status as of a date, changes over time, an entity's timeline."""

import datetime as dt
from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.filters import (
    AuthorityFilter,
    CountryFilter,
    KindFilter,
    ListFilter,
    ProgramFilter,
    day_option,
    filters,
)
from tracker.cli.output import FormatOption, OutputOption, SectionOption, emit
from tracker.dates import as_of_day
from tracker.errors import InvalidValue

app = typer.Typer(
    help="Reports: status as of a date, changes, timelines, cross-authority comparison.",
    no_args_is_help=True,
)


@app.command("status")
def status(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The day to report on (default: today).", metavar="DATE"),
    ] = None,
    authority: AuthorityFilter = None,
    list_code: ListFilter = None,
    program: ProgramFilter = None,
    country: CountryFilter = None,
    kind: KindFilter = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    section: SectionOption = None,
) -> None:
    """Who is designated or sanctioned as of a date, with the latest official response and
    what the imported editions cover.

    Example: tracker report status --as-of 2025-12-01 --authority us-state --list FTO
    """
    from tracker.reports.views import status_view

    report = db(ctx).status(
        as_of=day_option(as_of, "--as-of"),
        filters=filters(authority, list_code, program, country, kind),
    )
    emit("status", report, status_view(report), fmt, output, section)


@app.command("changes")
def changes(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="First day of the window (real-world date).", metavar="DATE")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last day (default: today).", metavar="DATE")
    ] = None,
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
    section: SectionOption = None,
) -> None:
    """What changed between two dates: listings, effective dates, amendments, revocations,
    sanctions imposed and lifted, responses; in date order, each with its source.

    Example: tracker report changes --since 2025-01-01 --until 2025-12-31 --format markdown
    """
    from tracker.reports.views import changes_view

    if since is None and recorded_since is None:
        raise typer.BadParameter("give --since DATE (or --recorded-since TIMESTAMP)")
    start, end = day_option(since, "--since"), day_option(until, "--until", last=True)
    if start is not None and end is not None and end < start:
        raise InvalidValue(f"--until {until} is before --since {since}")
    if start is not None and end is None and as_of_day(None) < start:
        raise InvalidValue(f"--since {since} is after today ({as_of_day(None)}): give --until")
    report = db(ctx).changes(
        since=start,
        until=end,
        recorded_since=recorded_since,
        filters=filters(authority, list_code, program, country, kind),
        hide_cosmetic=hide_cosmetic,
    )
    emit("changes", report, changes_view(report), fmt, output, section)


@app.command("timeline")
def timeline(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The entity's key.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
    section: SectionOption = None,
) -> None:
    """The whole history of one entity, oldest first, with sources.

    Example: tracker report timeline cartel-de-los-soles --format html -o soles.html
    """
    from tracker.reports.views import timeline_view

    report = db(ctx).timeline(key)
    emit("timeline", report, timeline_view(report), fmt, output, section)


@app.command("compare")
def compare(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The entity's key.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Status as of this day (default: today).", metavar="DATE"),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    section: SectionOption = None,
) -> None:
    """One target's status under every authority, side by side: who lists it, since when,
    under which programs, when each delisted, and how many days each lagged the first
    (from stated dates only: a listing known only from sightings has no lag).
    The target is the entity and those linked to it (`tracker entity link`).

    Example: tracker report compare un-qdi-430 --format markdown
    """
    from tracker.reports.views import compare_view

    report = db(ctx).compare(key, as_of=day_option(as_of, "--as-of"))
    emit("compare", report, compare_view(report), fmt, output, section)
