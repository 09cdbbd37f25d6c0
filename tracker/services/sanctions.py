"""Sanctions recorded by hand: measures imposed on a target, and lifted, through the same
writer (and so with the same events) as sanctions an import reads from a list."""

from typing import Any

from pydantic import model_validator
from sqlmodel import Session, select

from tracker.dates import certainly_before
from tracker.enums import SanctionMeasure, SanctionStatus
from tracker.errors import INSIST, Conflict, InvalidInput
from tracker.models import Authority, Entity, Sanction, Source
from tracker.services.listings import SANCTION, Ending, NewListing, add_listings, end_listings
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
        "measure": SanctionMeasure(sanction.measure).value,
        "program": sanction.program,
        "legal_basis": sanction.legal_basis,
        "start_on": sanction.start_on,
        "end_on": sanction.end_on,
        "status": SanctionStatus(sanction.status).value,
        "notes": sanction.notes,
    }


def impose(
    *,
    session: Session,
    entity: Entity,
    authority: Authority,
    data: SanctionCreate,
    sources: list[Source],
    allow_duplicate: bool = False,
) -> Sanction:
    """Record a measure; the same one again (target, authority, measure and program, not
    lifted) is a conflict naming the one recorded, unless `allow_duplicate`."""
    assert entity.id is not None
    assert authority.id is not None
    if not allow_duplicate:
        same = session.exec(
            select(Sanction).where(
                Sanction.entity_id == entity.id,
                Sanction.authority_id == authority.id,
                Sanction.measure == data.measure,
                Sanction.program == data.program,
                Sanction.status != SanctionStatus.LIFTED,
            )
        ).first()
        if same is not None:
            raise Conflict(
                f"{entity.key} is already under {data.measure.value} by {authority.key}"
                + (f" ({data.program})" if data.program else "")
                + f" (sanction {same.id}): see `tracker sanction show {same.id}`; {INSIST}"
            )
    listing = NewListing(
        entity_id=entity.id,
        authority_id=authority.id,
        authority_key=authority.key,
        status=SanctionStatus.ACTIVE.value,
        measure=data.measure,
        program=data.program,
        legal_basis=data.legal_basis,
        start=data.start_on,
        end=data.end_on,
        notes=data.notes,
    )
    [sanction_id] = add_listings(
        session=session, listings=[listing], source_ids=[s.id for s in sources if s.id]
    )
    sanction = session.get(Sanction, sanction_id)
    assert sanction is not None
    return sanction


def lift(*, session: Session, sanction: Sanction, on: str, sources: list[Source]) -> Sanction:
    """Lift a sanction on a date; lifting one already lifted is a conflict."""
    if sanction.status == SanctionStatus.LIFTED:
        raise Conflict(f"sanction {sanction.id} was already lifted on {sanction.end_on}")
    if sanction.start_on and certainly_before(on, sanction.start_on):
        raise InvalidInput(f"lift date {on} is before the sanction began ({sanction.start_on})")
    assert sanction.id is not None
    ending = Ending(
        kind=SANCTION,
        listing_id=sanction.id,
        entity_id=sanction.entity_id,
        status=SanctionStatus(sanction.status).value,
        previous_end=sanction.end_on,
        on=on,
    )
    end_listings(session=session, endings=[ending], source_ids=[s.id for s in sources if s.id])
    session.refresh(sanction)
    return sanction
