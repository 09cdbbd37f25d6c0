"""`tracker designate` and `tracker designation ...`: list, amend, revoke designations."""

from typing import Annotated

import typer

from tracker.cli.context import db
from tracker.cli.filters import AuthorityFilter, ListFilter, ProgramFilter
from tracker.cli.output import FormatOption, JsonOption, OutputOption, emit, emit_record
from tracker.enums import DesignationStatus
from tracker.records import Filters
from tracker.reports.views import designations_view

app = typer.Typer(help="Designations: listings of an entity by an authority.", no_args_is_help=True)

SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", help="A URL or the id of a known source (repeatable)."),
]
IdArgument = Annotated[int, typer.Argument(help="The designation's id.")]


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
    record = db(ctx).designate(
        key,
        authority=authority,
        list=list_code,
        program=program,
        basis=basis,
        announced=announced,
        effective=effective,
        reason=reason,
        sources=source or (),
    )
    message = (
        f"Designated {key} on {authority} {list_code} (designation {record.id}, {record.status})"
    )
    emit_record(message, "designation", record, fmt)


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
    record = db(ctx).revoke_designation(designation_id, on=on, reason=reason, sources=source or ())
    emit_record(
        f"Revoked designation {designation_id} on {record.ended_on}", "designation", record, fmt
    )


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
    record, changed = db(ctx).amend_designation(
        designation_id,
        list=list_code,
        program=program,
        basis=basis,
        announced=announced,
        effective=effective,
        reason=reason,
        notes=notes,
        on=on,
        sources=source or (),
    )
    message = (
        f"Amended designation {designation_id}: "
        + ", ".join(f"{field} -> {value}" for field, value in changed.items())
        if changed
        else f"No change to designation {designation_id}"
    )
    emit_record(message, "designation", record, fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option(help="Only this entity (key).")] = None,
    authority: AuthorityFilter = None,
    list_code: ListFilter = None,
    program: ProgramFilter = None,
    status: Annotated[
        DesignationStatus | None, typer.Option(help="Only this recorded status.")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List designations (status column: as of today).

    Example: tracker designation list --authority us-state --list FTO --format csv
    """
    records = db(ctx).designations(
        entity=entity,
        filters=Filters(authority=authority, list=list_code, program=program),
        status=status,
    )
    emit("designations", records, designations_view(records), fmt, output)
