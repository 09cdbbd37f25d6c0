"""`tracker sanction ...`: measures imposed on a target, and lifted."""

from typing import Annotated, Any

import typer
from sqlmodel import Session, col

from tracker.cli.context import reading, writing
from tracker.cli.designation import SourceOption
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import SanctionMeasure, SanctionStatus
from tracker.models import Sanction
from tracker.reports.records import SANCTION_COLUMNS, sanction_rows
from tracker.reports.render import Report, Section
from tracker.services import sanctions as service
from tracker.services.lookup import authority_by_key, by_id, entity_by_key
from tracker.services.sources import resolve_sources
from tracker.validation import date_option, validated

app = typer.Typer(
    help="Sanctions: asset freezes, travel bans and other measures.", no_args_is_help=True
)


def _one(session: Session, sanction_id: int) -> dict[str, Any]:
    return sanction_rows(session, lambda s: s.where(Sanction.id == sanction_id))[0]


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
    data = validated(
        service.SanctionCreate,
        measure=measure,
        program=program,
        legal_basis=basis,
        start_on=start,
        end_on=end,
        notes=notes,
    )
    with writing(ctx) as session:
        sanction = service.impose(
            session=session,
            entity=entity_by_key(session, key),
            authority=authority_by_key(session, authority),
            data=data,
            sources=resolve_sources(session=session, refs=source or []),
        )
        assert sanction.id is not None
        record = _one(session, sanction.id)
    emit_record(
        f"Recorded {measure.value} on {key} by {authority} (sanction {record['id']})",
        record,
        fmt,
        "sanction",
    )


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
    lifted_on = date_option(on, "--on")
    assert lifted_on is not None
    with writing(ctx) as session:
        service.lift(
            session=session,
            sanction=by_id(session, Sanction, sanction_id),
            on=lifted_on,
            sources=resolve_sources(session=session, refs=source or []),
        )
        record = _one(session, sanction_id)
    emit_record(f"Lifted sanction {sanction_id} on {lifted_on}", record, fmt, "sanction")


@app.command("list")
def list_(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(help="Only this target (key).")] = None,
    authority: Annotated[str | None, typer.Option(help="Only this authority (key).")] = None,
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
    with reading(ctx) as session:
        conditions = []
        if entity is not None:
            conditions.append(Sanction.entity_id == entity_by_key(session, entity).id)
        if authority is not None:
            conditions.append(Sanction.authority_id == authority_by_key(session, authority).id)
        if measure is not None:
            conditions.append(col(Sanction.measure) == measure)
        if status is not None:
            conditions.append(col(Sanction.status) == status)
        rows = sanction_rows(session, lambda s: s.where(*conditions))
    emit(
        Report(
            kind="sanctions",
            title="Sanctions",
            sections=[Section("sanctions", "Sanctions", SANCTION_COLUMNS, rows)],
            empty_message="no sanctions matched",
        ),
        fmt,
        output,
    )
