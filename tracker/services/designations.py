"""Designations recorded by hand: listing, amending and revoking, through the same writer
(and so with the same events) as designations an import reads from a list."""

from typing import Any

from pydantic import model_validator
from sqlmodel import Session, col, select

from tracker.dates import certainly_before
from tracker.enums import DesignationStatus, EventAction
from tracker.errors import INSIST, Conflict, InvalidInput, InvalidValue
from tracker.models import Authority, Designation, Entity, Source
from tracker.services.events import changed_fields, record_event
from tracker.services.listings import (
    DESIGNATION,
    Amendment,
    Ending,
    NewListing,
    add_listings,
    amend_listings,
    end_listings,
)
from tracker.status import ENDED_DESIGNATION
from tracker.validation import Input, ListCode, PartialDateText, Program


def check_order(announced: str | None, effective: str | None, ended: str | None) -> None:
    """Dates must not be certainly out of order (the same rule as the CHECK constraints)."""
    if announced and effective and certainly_before(effective, announced):
        raise InvalidInput(f"effective date {effective} is before the announcement {announced}")
    start = effective or announced
    if ended and start and certainly_before(ended, start):
        raise InvalidInput(f"end date {ended} is before the designation began ({start})")


class DesignationCreate(Input):
    list_code: ListCode
    program: Program | None = None
    legal_basis: str | None = None
    announced_on: PartialDateText = None
    effective_on: PartialDateText = None
    ended_on: PartialDateText = None
    status: DesignationStatus | None = None
    status_text: str | None = None
    reason: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "DesignationCreate":
        try:
            check_order(self.announced_on, self.effective_on, self.ended_on)
        except InvalidInput as error:
            raise ValueError(str(error)) from error
        return self


class DesignationAmend(Input):
    """Fields `designation amend` may change; what is not given stays as it is."""

    list_code: ListCode | None = None
    program: Program | None = None
    legal_basis: str | None = None
    announced_on: PartialDateText = None
    effective_on: PartialDateText = None
    status_text: str | None = None
    reason: str | None = None
    notes: str | None = None


def initial_status(data: DesignationCreate) -> DesignationStatus:
    """The recorded status: announced without an effective date is pending; ended is revoked."""
    if data.status is not None:
        return data.status
    if data.ended_on:
        return DesignationStatus.REVOKED
    if data.announced_on and not data.effective_on:
        return DesignationStatus.PENDING
    return DesignationStatus.ACTIVE


def designation_record(designation: Designation) -> dict[str, Any]:
    """The editable fields as JSON-ready values (what events store before / after)."""
    return {
        "list_code": designation.list_code,
        "program": designation.program,
        "legal_basis": designation.legal_basis,
        "announced_on": designation.announced_on,
        "effective_on": designation.effective_on,
        "ended_on": designation.ended_on,
        "status": DesignationStatus(designation.status).value,
        "status_text": designation.status_text,
        "reason": designation.reason,
        "notes": designation.notes,
    }


def designate(
    *,
    session: Session,
    entity: Entity,
    authority: Authority,
    data: DesignationCreate,
    sources: list[Source],
    allow_duplicate: bool = False,
) -> Designation:
    """Record a listing: a `listed` event, and an `effective` one when it took effect later.

    The same listing again (entity, authority, list and program, not ended) is a conflict
    naming the one recorded, unless `allow_duplicate`.
    """
    assert entity.id is not None
    assert authority.id is not None
    if not allow_duplicate and data.ended_on is None:
        same = session.exec(
            select(Designation).where(
                Designation.entity_id == entity.id,
                Designation.authority_id == authority.id,
                Designation.list_code == data.list_code,
                Designation.program == data.program,
                col(Designation.status).not_in([s.value for s in ENDED_DESIGNATION]),
            )
        ).first()
        if same is not None:
            raise Conflict(
                f"{entity.key} is already designated by {authority.key} on {data.list_code}"
                + (f" {data.program}" if data.program else "")
                + f" (designation {same.id}, {DesignationStatus(same.status).value}):"
                f" see `tracker designation show {same.id}`; {INSIST}"
            )
    listing = NewListing(
        entity_id=entity.id,
        authority_id=authority.id,
        authority_key=authority.key,
        status=initial_status(data).value,
        list_code=data.list_code,
        program=data.program,
        legal_basis=data.legal_basis,
        announced_on=data.announced_on,
        start=data.effective_on,
        end=data.ended_on,
        status_text=data.status_text,
        reason=data.reason,
        notes=data.notes,
    )
    [designation_id] = add_listings(
        session=session, listings=[listing], source_ids=[s.id for s in sources if s.id]
    )
    designation = session.get(Designation, designation_id)
    assert designation is not None
    return designation


def revoke(
    *,
    session: Session,
    designation: Designation,
    on: str,
    reason: str | None,
    sources: list[Source],
    status: DesignationStatus = DesignationStatus.REVOKED,
) -> Designation:
    """End a designation on a date; ending one already ended is a conflict. One an import
    saw removed from its list may still be given the date its source states."""
    if designation.status in ENDED_DESIGNATION - {DesignationStatus.DELISTED}:
        raise Conflict(
            f"designation {designation.id} is already {DesignationStatus(designation.status).value}"
            + (f" (since {designation.ended_on})" if designation.ended_on else "")
        )
    check_order(designation.announced_on, designation.effective_on, on)
    assert designation.id is not None
    ending = Ending(
        kind=DESIGNATION,
        listing_id=designation.id,
        entity_id=designation.entity_id,
        status=DesignationStatus(designation.status).value,
        previous_end=designation.ended_on,
        on=on,
        new_status=status.value,
        reason=reason,
        previous_reason=designation.reason,
    )
    end_listings(session=session, endings=[ending], source_ids=[s.id for s in sources if s.id])
    session.refresh(designation)
    return designation


def amend(
    *,
    session: Session,
    designation: Designation,
    data: DesignationAmend,
    on: str | None,
    sources: list[Source],
) -> dict[str, Any]:
    """Change the given fields, recording exactly what changed; returns the changed fields.

    Giving an effective date to a pending designation makes it active, with an `effective`
    event dated that day.
    """
    proposed = data.model_dump(exclude_unset=True)
    if not proposed:
        raise InvalidValue("nothing to amend: give at least one field to change")
    before, after = changed_fields(designation_record(designation), proposed)
    if not after:
        return {}
    check_order(
        after.get("announced_on", designation.announced_on),
        after.get("effective_on", designation.effective_on),
        designation.ended_on,
    )
    becomes_effective = (
        after.get("effective_on") is not None and designation.status == DesignationStatus.PENDING
    )
    if becomes_effective:
        before["status"] = DesignationStatus.PENDING.value
        after["status"] = DesignationStatus.ACTIVE.value
    assert designation.id is not None
    amendment = Amendment(
        kind=DESIGNATION,
        listing_id=designation.id,
        entity_id=designation.entity_id,
        before=before,
        after=after,
        occurred_on=after["effective_on"] if becomes_effective else on,
        action=EventAction.EFFECTIVE if becomes_effective else EventAction.AMENDED,
    )
    amend_listings(
        session=session, amendments=[amendment], source_ids=[s.id for s in sources if s.id]
    )
    session.refresh(designation)
    return after


def record_amendment(
    *,
    session: Session,
    designation: Designation,
    on: str | None,
    note: str,
    source: Source | None,
) -> None:
    """Record an amendment known only as text (e.g. "alias X added" from a compiled list)."""
    assert designation.id is not None
    record_event(
        session=session,
        action=EventAction.AMENDED,
        subject_type=DESIGNATION.subject,
        subject_id=designation.id,
        entity_id=designation.entity_id,
        occurred_on=on,
        after={"amendment": note},
        source_id=source.id if source else None,
        note=note,
    )


def find_designation(
    *,
    session: Session,
    entity: Entity,
    authority: Authority,
    list_code: str,
    program: str | None,
    start: str | None,
) -> Designation | None:
    """The designation with this natural key, `start` being its effective or announcement date.

    Seeds use it to load the same fact twice without duplicating it.
    """
    candidates = session.exec(
        select(Designation).where(
            Designation.entity_id == entity.id,
            Designation.authority_id == authority.id,
            Designation.list_code == list_code,
            Designation.program == program,
        )
    )
    for designation in candidates:
        if (designation.effective_on or designation.announced_on) == start:
            return designation
    return None
