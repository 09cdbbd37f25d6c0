"""`tracker sanction ...`: measures imposed on a target, and lifted."""

from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.designation import SourceOption
from tracker.cli.filters import AuthorityFilter
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import SanctionMeasure, SanctionStatus
from tracker.records import Filters
from tracker.reports.views import sanctions_view

app = typer.Typer(
    help="Sanctions: asset freezes, travel bans and other measures.", no_args_is_help=True
)


@app.command("add")
def add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The target entity's key.")],
    authority: Annotated[str, typer.Option(help="Who imposes it, e.g. us-ofac.")],
    measure: Annotated[SanctionMeasure, typer.Option(help="The measure.")],
    start: Annotated[str, typer.Option("--from", help="In force from (YYYY[-MM[-DD]]).")],
    end: Annotated[str | None, typer.Option("--until", help="Ends on (if known).")] = None,
    program: Annotated[str | None, typer.Option(help="Program, e.g. SDGT.")] = None,
    basis: Annotated[str | None, typer.Option(help="Legal basis, e.g. 'E.O. 13224'.")] = None,
    notes: Annotated[str | None, typer.Option(help="Free-text notes.")] = None,
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Record a sanction imposed on an entity.

    Example: tracker sanction add cartel-de-los-soles --authority us-ofac
    --measure asset-freeze --program SDGT --from 2025-07-25
    """
    record = db(ctx).impose_sanction(
        key,
        authority=authority,
        measure=measure,
        start=start,
        end=end,
        program=program,
        basis=basis,
        notes=notes,
        sources=source or (),
    )
    message = f"Recorded {measure.value} on {key} by {authority} (sanction {record.id})"
    emit_record(message, "sanction", record, fmt)


@app.command("lift")
def lift(
    ctx: typer.Context,
    sanction_id: Annotated[int, typer.Argument(help="The sanction's id.")],
    on: Annotated[str, typer.Option(help="Date it was lifted (YYYY[-MM[-DD]]).")],
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Lift a sanction on a date.

    Example: tracker sanction lift 4 --on 2026-01-15
    """
    record = db(ctx).lift_sanction(sanction_id, on=on, sources=source or ())
    emit_record(f"Lifted sanction {sanction_id} on {record.end_on}", "sanction", record, fmt)


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
    records = db(ctx).sanctions(
        entity=entity,
        filters=Filters(authority=authority),
        measure=measure,
        status=status.value if status else None,
    )
    emit("sanctions", records, sanctions_view(records), fmt, output)
