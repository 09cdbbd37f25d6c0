"""`tracker designation add|show|list|amend|revoke` (and `tracker designate`, the shortcut
for `designation add`)."""

from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import db
from tracker.cli.filters import AuthorityFilter, ListFilter, ProgramFilter, filters
from tracker.cli.output import (
    FormatOption,
    JsonOption,
    OutputOption,
    emit,
    emit_record,
    show_record,
)
from tracker.enums import DesignationStatus

if TYPE_CHECKING:
    from tracker.records import DesignationRecord

app = typer.Typer(help="Designations: listings of an entity by an authority.", no_args_is_help=True)

SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", help="A URL or the id of a known source (repeatable)."),
]
RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="DESIGNATION",
        help="Its id, or KEY/AUTHORITY/LIST(/PROGRAM), e.g. cartel-de-los-soles/us-state/FTO.",
    ),
]
AllowDuplicateOption = Annotated[
    bool,
    typer.Option("--allow-duplicate", help="Record it even if the same fact is already recorded."),
]


def described(record: "DesignationRecord") -> str:
    """ "designation 122 (cartel-de-los-soles: us-state FTO)": which row a command touched."""
    listing = " ".join(part for part in (record.authority, record.list, record.program) if part)
    return f"designation {record.id} ({record.entity.key}: {listing})"


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
        str | None, typer.Option(help="Announced / signed (YYYY[-MM[-DD]]).", metavar="DATE")
    ] = None,
    effective: Annotated[
        str | None, typer.Option(help="In force from (YYYY[-MM[-DD]]).", metavar="DATE")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why, in the authority's words.")] = None,
    source: SourceOption = None,
    allow_duplicate: AllowDuplicateOption = False,
    fmt: JsonOption = None,
) -> None:
    """Record that an authority designated an entity on a list (`tracker designate` is
    the same command).

    Announced without an effective date, the designation is pending until it takes effect
    (give it later with `designation amend KEY/AUTHORITY/LIST --effective DATE`). The same
    listing again, not yet ended, is refused unless --allow-duplicate.

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
        allow_duplicate=allow_duplicate,
    )
    message = (
        f"Designated {key} on {authority} {list_code} (designation {record.id}, {record.status})"
    )
    emit_record(message, "designation", record, fmt)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    designation: RefArgument,
    on: Annotated[str, typer.Option(help="Date of revocation (YYYY[-MM[-DD]]).", metavar="DATE")],
    reason: Annotated[str | None, typer.Option(help="Why it was revoked.")] = None,
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Revoke a designation on a date.

    Example: tracker designation revoke cuba/us-state/SST --on 2015-05-29
    --source https://www.state.gov/...
    """
    record = db(ctx).revoke_designation(designation, on=on, reason=reason, sources=source or ())
    emit_record(f"Revoked {described(record)} on {record.ended_on}", "designation", record, fmt)


@app.command("amend")
def amend(
    ctx: typer.Context,
    designation: RefArgument,
    list_code: Annotated[str | None, typer.Option("--list", help="New list code.")] = None,
    program: Annotated[str | None, typer.Option(help="New program.")] = None,
    basis: Annotated[str | None, typer.Option(help="New legal basis.")] = None,
    announced: Annotated[
        str | None, typer.Option(help="New announcement date.", metavar="DATE")
    ] = None,
    effective: Annotated[
        str | None, typer.Option(help="New effective date.", metavar="DATE")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="New reason.")] = None,
    notes: Annotated[str | None, typer.Option(help="New notes.")] = None,
    on: Annotated[
        str | None, typer.Option(help="When the amendment happened.", metavar="DATE")
    ] = None,
    source: SourceOption = None,
    fmt: JsonOption = None,
) -> None:
    """Change fields of a designation, recording each field's before and after.

    Example: tracker designation amend cartel-de-los-soles/us-state/FTO --effective 2025-11-24
    """
    record, changed = db(ctx).amend_designation(
        designation,
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
        f"Amended {described(record)}: "
        + ", ".join(f"{field} -> {value}" for field, value in changed.items())
        if changed
        else f"No change to {described(record)}"
    )
    emit_record(message, "designation", record, fmt)


@app.command("show")
def show(
    ctx: typer.Context,
    designation: RefArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One designation: its dates stated and observed, status, basis and sources.

    Example: tracker designation show cartel-de-los-soles/us-state/FTO --format json
    """
    record = db(ctx).designation(designation)
    show_record("designation", described(record), record, fmt, output)


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
    from tracker.reports.views import designations_view

    records = db(ctx).designations(
        entity=entity,
        filters=filters(authority, list_code, program),
        status=status,
    )
    emit("designations", records, designations_view(records), fmt, output)
