"""Sanctions: measures imposed on a target, and lifted."""

from typing import Any

from pydantic import model_validator
from sqlmodel import Session

from tracker.dates import certainly_before
from tracker.enums import EventAction, SanctionMeasure, SanctionStatus, SubjectType
from tracker.errors import Conflict, InvalidInput
from tracker.models import Authority, Entity, Sanction, Source
from tracker.services.events import record_event
from tracker.services.sources import cite
from tracker.validation import Input, PartialDateText, Program


class SanctionCreate(Input):
    measure: SanctionMeasure
    program: Program | None = None
    legal_basis: str | None = None
    start_on: PartialDateText
    end_on: PartialDateText = None
    notes: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "SanctionCreate":
        if self.start_on and self.end_on and certainly_before(self.end_on, self.start_on):
            raise ValueError(f"end date {self.end_on} is before the start {self.start_on}")
        return self


def sanction_record(sanction: Sanction) -> dict[str, Any]:
    return {
        "measure": sanction.measure.value,
        "program": sanction.program,
        "legal_basis": sanction.legal_basis,
        "start_on": sanction.start_on,
        "end_on": sanction.end_on,
        "status": sanction.status.value,
        "notes": sanction.notes,
    }


def status_on(sanction: Sanction, day: str) -> SanctionStatus | None:
    """In force from its start (inclusive) until its end (exclusive); None before it began."""
    if sanction.start_on and sanction.start_on > day:
        return None
    if sanction.end_on and sanction.end_on <= day:
        if sanction.status == SanctionStatus.ACTIVE:
            return SanctionStatus.EXPIRED
        return sanction.status
    if sanction.status == SanctionStatus.SUSPENDED:
        return sanction.status
    return SanctionStatus.ACTIVE


def impose(
    session: Session,
    *,
    entity: Entity,
    authority: Authority,
    data: SanctionCreate,
    sources: list[Source],
) -> Sanction:
    assert entity.id is not None
    assert authority.id is not None
    sanction = Sanction(
        entity_id=entity.id,
        authority_id=authority.id,
        status=SanctionStatus.ACTIVE,
        **data.model_dump(),
    )
    session.add(sanction)
    session.flush()
    assert sanction.id is not None
    cite(session, sources, sanction_id=sanction.id)
    after = {"authority": authority.key, **sanction_record(sanction)}
    record_event(
        session,
        action=EventAction.IMPOSED,
        subject_type=SubjectType.SANCTION,
        subject_id=sanction.id,
        entity_id=entity.id,
        occurred_on=data.start_on,
        after={k: v for k, v in after.items() if v is not None},
        source_id=sources[0].id if sources else None,
    )
    return sanction


def lift(session: Session, *, sanction: Sanction, on: str, sources: list[Source]) -> Sanction:
    """Lift a sanction on a date; lifting one already lifted is a conflict."""
    if sanction.status == SanctionStatus.LIFTED:
        raise Conflict(f"sanction {sanction.id} was already lifted on {sanction.end_on}")
    if sanction.start_on and certainly_before(on, sanction.start_on):
        raise InvalidInput(f"lift date {on} is before the sanction began ({sanction.start_on})")
    before = {"status": sanction.status.value, "end_on": sanction.end_on}
    sanction.status = SanctionStatus.LIFTED
    sanction.end_on = on
    session.add(sanction)
    assert sanction.id is not None
    cite(session, sources, sanction_id=sanction.id)
    record_event(
        session,
        action=EventAction.LIFTED,
        subject_type=SubjectType.SANCTION,
        subject_id=sanction.id,
        entity_id=sanction.entity_id,
        occurred_on=on,
        before=before,
        after={"status": sanction.status.value, "end_on": on},
        source_id=sources[0].id if sources else None,
    )
    return sanction
