"""`tracker designate` and `tracker designation ...`: list, amend, revoke designations."""

from typing import Annotated, Any

import typer
from sqlmodel import Session, col

from tracker.cli.context import reading, writing
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import DesignationStatus
from tracker.models import Designation
from tracker.reports.records import DESIGNATION_COLUMNS, designation_rows
from tracker.reports.render import Report, Section
from tracker.services import designations as service
from tracker.services.lookup import authority_by_key, by_id, entity_by_key
from tracker.services.sources import resolve_sources
from tracker.validation import date_option, validated

app = typer.Typer(help="Designations: listings of an entity by an authority.", no_args_is_help=True)

SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", help="A URL or the id of a known source (repeatable)."),
]
IdArgument = Annotated[int, typer.Argument(help="The designation's id.")]


def _one(session: Session, designation_id: int) -> dict[str, Any]:
    """The designation as `designation list` shows it."""
    return designation_rows(session, lambda s: s.where(Designation.id == designation_id))[0]


def designate(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The designated entity's key.")],
    authority: Annotated[str, typer.Option(help="Who designates, e.g. us-state, us-ofac.")],
    list_code: Annotated[str, typer.Option("--list", help="The list, e.g. FTO, SDGT, SDN.")],
    program: Annotated[
        str | None, typer.Option(help="Program, e.g. SDGT, VENEZUELA-EO13850.")
    ] = None,
    basis: Annotated[str | None, typer.Option(help="Legal basis, e.g. 'INA §219'.")] = None,
    announced: Annotated[
        str | None, typer.Option(help="Announced / signed (YYYY[-MM[-DD]]).")
    ] = None,
    effective: Annotated[str | None, typer.Option(help="In force from (YYYY[-MM[-DD]]).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why, in the authority's words.")] = None,
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Record that an authority designated an entity on a list.

    Announced without an effective date, the designation is pending until it takes effect
    (give it later with `designation amend ID --effective DATE`).

    Example: tracker designate cartel-de-los-soles --authority us-state --list FTO
    --basis "INA §219" --announced 2025-11-16 --effective 2025-11-24
    --source https://www.federalregister.gov/d/2025-20750
    """
    data = validated(
        service.DesignationCreate,
        list_code=list_code,
        program=program,
        legal_basis=basis,
        announced_on=announced,
        effective_on=effective,
        reason=reason,
    )
    with writing(ctx) as session:
        entity = entity_by_key(session, key)
        designation = service.designate(
            session=session,
            entity=entity,
            authority=authority_by_key(session, authority),
            data=data,
            sources=resolve_sources(session=session, refs=source or []),
        )
        assert designation.id is not None
        record = _one(session, designation.id)
    emit_record(
        f"Designated {key} on {authority} {list_code}"
        f" (designation {record['id']}, {record['status']})",
        record,
        fmt,
        "designation",
    )


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    designation_id: IdArgument,
    on: Annotated[str, typer.Option(help="Date of revocation (YYYY[-MM[-DD]]).")],
    reason: Annotated[str | None, typer.Option(help="Why it was revoked.")] = None,
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Revoke a designation on a date.

    Example: tracker designation revoke 12 --on 2021-02-16 --source https://www.state.gov/...
    """
    ended_on = date_option(on, "--on")
    assert ended_on is not None
    with writing(ctx) as session:
        designation = by_id(session, Designation, designation_id)
        service.revoke(
            session=session,
            designation=designation,
            on=ended_on,
            reason=reason,
            sources=resolve_sources(session=session, refs=source or []),
        )
        record = _one(session, designation_id)
    emit_record(f"Revoked designation {designation_id} on {ended_on}", record, fmt, "designation")


@app.command("amend")
def amend(
    ctx: typer.Context,
    designation_id: IdArgument,
    list_code: Annotated[str | None, typer.Option("--list", help="New list code.")] = None,
    program: Annotated[str | None, typer.Option(help="New program.")] = None,
    basis: Annotated[str | None, typer.Option(help="New legal basis.")] = None,
    announced: Annotated[str | None, typer.Option(help="New announcement date.")] = None,
    effective: Annotated[str | None, typer.Option(help="New effective date.")] = None,
    reason: Annotated[str | None, typer.Option(help="New reason.")] = None,
    notes: Annotated[str | None, typer.Option(help="New notes.")] = None,
    on: Annotated[str | None, typer.Option(help="When the amendment happened.")] = None,
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Change fields of a designation, recording each field's before and after.

    Example: tracker designation amend 12 --effective 2025-11-24 --source 3
    """
    given = {
        field: value
        for field, value in {
            "list_code": list_code,
            "program": program,
            "legal_basis": basis,
            "announced_on": announced,
            "effective_on": effective,
            "reason": reason,
            "notes": notes,
        }.items()
        if value is not None
    }
    data = validated(service.DesignationAmend, **given)
    amended_on = date_option(on, "--on")
    with writing(ctx) as session:
        designation = by_id(session, Designation, designation_id)
        changed = service.amend(
            session=session,
            designation=designation,
            data=data,
            on=amended_on,
            sources=resolve_sources(session=session, refs=source or []),
        )
        record = _one(session, designation_id)
    message = (
        f"Amended designation {designation_id}: "
        + ", ".join(f"{field} -> {value}" for field, value in changed.items())
        if changed
        else f"No change to designation {designation_id}"
    )
    emit_record(message, record, fmt, "designation")


@app.command("list")
def list_(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(help="Only this entity (key).")] = None,
    authority: Annotated[str | None, typer.Option(help="Only this authority (key).")] = None,
    list_code: Annotated[str | None, typer.Option("--list", help="Only this list.")] = None,
    program: Annotated[str | None, typer.Option(help="Only this program.")] = None,
    status: Annotated[
        DesignationStatus | None, typer.Option(help="Only this recorded status.")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List designations (status column: as of today).

    Example: tracker designation list --authority us-state --list FTO --format csv
    """
    with reading(ctx) as session:
        conditions = []
        if entity is not None:
            conditions.append(Designation.entity_id == entity_by_key(session, entity).id)
        if authority is not None:
            conditions.append(Designation.authority_id == authority_by_key(session, authority).id)
        if list_code is not None:
            conditions.append(col(Designation.list_code) == list_code)
        if program is not None:
            conditions.append(col(Designation.program) == program)
        if status is not None:
            conditions.append(col(Designation.status) == status)
        rows = designation_rows(session, lambda s: s.where(*conditions))
    emit(
        Report(
            kind="designations",
            title="Designations",
            sections=[Section("designations", "Designations", DESIGNATION_COLUMNS, rows)],
            empty_message="no designations matched",
        ),
        fmt,
        output,
    )
