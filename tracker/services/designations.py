"""Designations: listing, amending and revoking, each with its event."""

from typing import Any

from pydantic import model_validator
from sqlmodel import Session, select

from tracker.dates import certainly_before
from tracker.enums import DesignationStatus, EventAction, SubjectType
from tracker.errors import Conflict, InvalidInput
from tracker.models import Authority, Designation, Entity, Source
from tracker.services.events import changed_fields, record_event
from tracker.services.sources import cite
from tracker.validation import Input, ListCode, PartialDateText, Program

ENDED_STATUSES = {
    DesignationStatus.EXPIRED,
    DesignationStatus.REVOKED,
    DesignationStatus.ANNULLED,
    DesignationStatus.SUPERSEDED,
}


def _check_order(announced: str | None, effective: str | None, ended: str | None) -> None:
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
            _check_order(self.announced_on, self.effective_on, self.ended_on)
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


def status_on(designation: Designation, day: str) -> DesignationStatus | None:
    """The designation's status on `day` (ISO text), from its dates; None if not yet announced.

    A designation effective on D is in force on D; one ended on D is no longer in force on D.
    One with no dates at all is taken at its recorded status.
    """
    if designation.ended_on and designation.ended_on <= day:
        if designation.status in ENDED_STATUSES:
            return designation.status
        return DesignationStatus.EXPIRED
    if designation.effective_on:
        if designation.effective_on <= day:
            if designation.status == DesignationStatus.SUSPENDED:
                return designation.status
            return DesignationStatus.ACTIVE
        if designation.announced_on and designation.announced_on <= day:
            return DesignationStatus.PENDING
        return None
    if designation.announced_on and designation.announced_on > day:
        return None
    return designation.status


def designation_record(designation: Designation) -> dict[str, Any]:
    """The editable fields as JSON-ready values (what events store before / after)."""
    return {
        "list_code": designation.list_code,
        "program": designation.program,
        "legal_basis": designation.legal_basis,
        "announced_on": designation.announced_on,
        "effective_on": designation.effective_on,
        "ended_on": designation.ended_on,
        "status": designation.status.value,
        "status_text": designation.status_text,
        "reason": designation.reason,
        "notes": designation.notes,
    }


def designate(
    session: Session,
    *,
    entity: Entity,
    authority: Authority,
    data: DesignationCreate,
    sources: list[Source],
    import_run_id: int | None = None,
) -> Designation:
    """Record a listing: a `listed` event, and an `effective` one when it took effect later."""
    assert entity.id is not None
    assert authority.id is not None
    designation = Designation(
        entity_id=entity.id,
        authority_id=authority.id,
        status=initial_status(data),
        **data.model_dump(exclude={"status"}),
    )
    session.add(designation)
    session.flush()
    assert designation.id is not None
    cite(session, sources, designation_id=designation.id)
    source_id = sources[0].id if sources else None
    common = {
        "subject_type": SubjectType.DESIGNATION,
        "subject_id": designation.id,
        "entity_id": entity.id,
        "source_id": source_id,
        "import_run_id": import_run_id,
    }
    after = {"authority": authority.key, **designation_record(designation)}
    record_event(
        session,
        action=EventAction.LISTED,
        occurred_on=data.announced_on or data.effective_on,
        after={k: v for k, v in after.items() if v is not None},
        **common,
    )
    if data.announced_on and data.effective_on and data.effective_on != data.announced_on:
        record_event(
            session,
            action=EventAction.EFFECTIVE,
            occurred_on=data.effective_on,
            after={"effective_on": data.effective_on},
            **common,
        )
    if data.ended_on:
        record_event(
            session,
            action=EventAction.REVOKED,
            occurred_on=data.ended_on,
            after={"status": designation.status.value, "ended_on": data.ended_on},
            **common,
        )
    return designation


def revoke(
    session: Session,
    *,
    designation: Designation,
    on: str,
    reason: str | None,
    sources: list[Source],
    status: DesignationStatus = DesignationStatus.REVOKED,
    action: EventAction = EventAction.REVOKED,
    import_run_id: int | None = None,
) -> Designation:
    """End a designation on a date; ending one already ended is a conflict."""
    if designation.status in ENDED_STATUSES:
        raise Conflict(
            f"designation {designation.id} is already {designation.status.value}"
            + (f" (since {designation.ended_on})" if designation.ended_on else "")
        )
    _check_order(designation.announced_on, designation.effective_on, on)
    before = {"status": designation.status.value, "ended_on": designation.ended_on}
    designation.ended_on = on
    designation.status = status
    if reason:
        before["reason"] = designation.reason
        designation.reason = reason
    session.add(designation)
    assert designation.id is not None
    cite(session, sources, designation_id=designation.id)
    after = {"status": status.value, "ended_on": on}
    if reason:
        after["reason"] = reason
    record_event(
        session,
        action=action,
        subject_type=SubjectType.DESIGNATION,
        subject_id=designation.id,
        entity_id=designation.entity_id,
        occurred_on=on,
        before=before,
        after=after,
        source_id=sources[0].id if sources else None,
        import_run_id=import_run_id,
    )
    return designation


def amend(
    session: Session,
    *,
    designation: Designation,
    data: DesignationAmend,
    on: str | None,
    sources: list[Source],
    import_run_id: int | None = None,
) -> dict[str, Any]:
    """Change the given fields, recording exactly what changed; returns the changed fields.

    Giving an effective date to a pending designation makes it active, with an `effective`
    event dated that day.
    """
    proposed = data.model_dump(exclude_unset=True)
    if not proposed:
        raise InvalidInput("nothing to amend: give at least one field to change")
    before, after = changed_fields(designation_record(designation), proposed)
    if not after:
        return {}
    _check_order(
        after.get("announced_on", designation.announced_on),
        after.get("effective_on", designation.effective_on),
        designation.ended_on,
    )
    becomes_effective = (
        "effective_on" in after
        and after["effective_on"] is not None
        and designation.status == DesignationStatus.PENDING
    )
    for field, value in after.items():
        setattr(designation, field, value)
    if becomes_effective:
        before["status"] = designation.status.value
        designation.status = DesignationStatus.ACTIVE
        after["status"] = designation.status.value
    session.add(designation)
    assert designation.id is not None
    cite(session, sources, designation_id=designation.id)
    record_event(
        session,
        action=EventAction.EFFECTIVE if becomes_effective else EventAction.AMENDED,
        subject_type=SubjectType.DESIGNATION,
        subject_id=designation.id,
        entity_id=designation.entity_id,
        occurred_on=designation.effective_on if becomes_effective else on,
        before=before,
        after=after,
        source_id=sources[0].id if sources else None,
        import_run_id=import_run_id,
    )
    return after


def record_amendment(
    session: Session,
    *,
    designation_id: int,
    entity_id: int | None,
    on: str | None,
    note: str,
    source: Source | None,
) -> None:
    """Record an amendment known only as text (e.g. "alias X added" from a compiled list)."""
    record_event(
        session,
        action=EventAction.AMENDED,
        subject_type=SubjectType.DESIGNATION,
        subject_id=designation_id,
        entity_id=entity_id,
        occurred_on=on,
        after={"amendment": note},
        source_id=source.id if source else None,
        note=note,
    )


def find_designation(
    session: Session,
    *,
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
