"""`tracker sanction add|show|list|lift`: measures imposed on a target, and lifted."""

from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import db
from tracker.cli.designation import AllowDuplicateOption, SourceOption
from tracker.cli.filters import AuthorityFilter, filters, renamed
from tracker.cli.output import (
    FormatOption,
    JsonOption,
    OutputOption,
    emit,
    emit_record,
    show_record,
)
from tracker.enums import SanctionMeasure, SanctionStatus

if TYPE_CHECKING:
    from tracker.records import SanctionRecord

app = typer.Typer(
    help="Sanctions: asset freezes, travel bans and other measures.", no_args_is_help=True
)

RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="SANCTION",
        help="Its id, or KEY/AUTHORITY/MEASURE(/PROGRAM), e.g. cartel-de-los-soles/us-ofac.",
    ),
]


def described(record: "SanctionRecord") -> str:
    """ "sanction 1 (cartel-de-los-soles: us-ofac asset-freeze SDGT)"."""
    measure = " ".join(part for part in (record.authority, record.measure, record.program) if part)
    return f"sanction {record.id} ({record.entity.key}: {measure})"


@app.command("add")
def add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The target entity's key.")],
    authority: Annotated[str, typer.Option(help="Who imposes it, e.g. us-ofac.")],
    measure: Annotated[SanctionMeasure, typer.Option(help="The measure.")],
    effective: Annotated[
        str | None, typer.Option(help="In force from (YYYY[-MM[-DD]]); required.", metavar="DATE")
    ] = None,
    ends: Annotated[
        str | None,
        typer.Option(help="Ends on (YYYY[-MM[-DD]]), if the source says.", metavar="DATE"),
    ] = None,
    program: Annotated[str | None, typer.Option(help="Program, e.g. SDGT.")] = None,
    basis: Annotated[str | None, typer.Option(help="Legal basis, e.g. 'E.O. 13224'.")] = None,
    notes: Annotated[str | None, typer.Option(help="Free-text notes.")] = None,
    source: SourceOption = None,
    allow_duplicate: AllowDuplicateOption = False,
    fmt: JsonOption = None,
    old_from: Annotated[str | None, typer.Option("--from", hidden=True)] = None,
    old_until: Annotated[str | None, typer.Option("--until", hidden=True)] = None,
) -> None:
    """Record a sanction imposed on an entity. The same measure again, not yet lifted, is
    refused unless --allow-duplicate.

    Example: tracker sanction add cartel-de-los-soles --authority us-ofac
    --measure asset-freeze --program SDGT --effective 2025-07-25
    """
    start = renamed(effective, old_from, new="--effective", old="--from")
    if start is None:
        raise typer.BadParameter("give --effective DATE: when the measure took effect")
    record = db(ctx).impose_sanction(
        key,
        authority=authority,
        measure=measure,
        start=start,
        end=renamed(ends, old_until, new="--ends", old="--until"),
        program=program,
        basis=basis,
        notes=notes,
        sources=source or (),
        allow_duplicate=allow_duplicate,
    )
    message = f"Recorded {measure.value} on {key} by {authority} (sanction {record.id})"
    emit_record(message, "sanction", record, fmt)


@app.command("lift")
def lift(
    ctx: typer.Context,
    sanction: RefArgument,
    on: Annotated[str, typer.Option(help="Date it was lifted (YYYY[-MM[-DD]]).", metavar="DATE")],
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Lift a sanction on a date.

    Example: tracker sanction lift cartel-de-los-soles/us-ofac/asset-freeze --on 2026-01-15
    """
    record = db(ctx).lift_sanction(sanction, on=on, sources=source or ())
    emit_record(f"Lifted {described(record)} on {record.end_on}", "sanction", record, fmt)


@app.command("show")
def show(
    ctx: typer.Context, sanction: RefArgument, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """One sanction: its measure, dates stated and observed, status and sources.

    Example: tracker sanction show cartel-de-los-soles/us-ofac --format json
    """
    record = db(ctx).sanction(sanction)
    show_record("sanction", described(record), record, fmt, output)


@app.command("list")
def list_(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(help="Only this target (key).")] = None,
    authority: AuthorityFilter = None,
    measure: Annotated[SanctionMeasure | None, typer.Option(help="Only this measure.")] = None,
    status: Annotated[
        SanctionStatus | None, typer.Option(help="Only this recorded status.")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List sanctions (status column: as of today).

    Example: tracker sanction list --authority us-ofac --format json
    """
    from tracker.reports.views import sanctions_view

    records = db(ctx).sanctions(
        entity=entity,
        filters=filters(authority),
        measure=measure,
        status=status.value if status else None,
    )
    emit("sanctions", records, sanctions_view(records), fmt, output)
