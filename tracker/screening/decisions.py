"""A reviewer's verdict on a hit: who, when, why, and the newest change to the party they
had seen (a later change reopens it). Decisions are only added: the latest stands, the
earlier ones are its history."""

import getpass

from sqlmodel import Session, col, select

from tracker.enums import Verdict
from tracker.errors import InvalidInput, InvalidValue, NotFound
from tracker.models import Screening, ScreeningDecision, ScreeningHit, ScreeningRow
from tracker.records import EntityRef
from tracker.screening.records import DecisionRecord
from tracker.services.lookup import entity_by_key
from tracker.storable import unstorable


def verdict_of(value: str | Verdict) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        known = ", ".join(member.value for member in Verdict)
        raise InvalidValue(f"verdict: unknown value {value!r}: expected one of {known}") from None


def decide(
    session: Session,
    screening: Screening,
    row_key: str,
    entity_key: str,
    verdict: str | Verdict,
    *,
    note: str | None = None,
    by: str | None = None,
) -> DecisionRecord:
    """Record a verdict on a pair some run of the screening hit (`by` defaults to the user
    name of the process). It weighs the party as the pair's latest hit showed it: a change
    since, even one no rescreen has shown yet, reopens it."""
    chosen = verdict_of(verdict)
    row = session.exec(
        select(ScreeningRow).where(
            ScreeningRow.screening_id == screening.id, ScreeningRow.row_key == row_key
        )
    ).first()
    if row is None:
        raise NotFound(f"row in screening {screening.name!r} with id", row_key)
    entity = entity_by_key(session, entity_key)
    hit = session.exec(
        select(ScreeningHit)
        .where(ScreeningHit.row_id == row.id, ScreeningHit.entity_id == entity.id)
        .order_by(col(ScreeningHit.id).desc())
    ).first()
    if hit is None:
        raise InvalidInput(
            f"no run of screening {screening.name!r} hit {entity_key!r} for row {row_key!r}:"
            " only a hit can be decided"
        )
    decided_by = (by if by is not None else getpass.getuser()).strip()
    for text, what in ((decided_by, "--by"), (note or "", "the note")):
        if (problem := unstorable(text)) is not None:
            raise InvalidValue(f"{what} {problem}")
    if not decided_by:
        raise InvalidValue("who decided? --by is empty")
    decision = ScreeningDecision(
        row_id=row.id or 0,
        entity_id=entity.id or 0,
        verdict=chosen,
        note=note.strip() or None if note else None,
        decided_by=decided_by,
        hit_id=hit.id,
        last_event_id=hit.last_event_id,  # the party as the reviewer was shown it
    )
    session.add(decision)
    session.flush()
    return DecisionRecord(
        id=decision.id or 0, screening=screening.name, row=row.row_key,
        entity=EntityRef(entity.key, entity.name), verdict=chosen.value, note=decision.note,
        decided_by=decided_by, decided_at=decision.decided_at,
        last_event_id=decision.last_event_id,
    )  # fmt: skip
