"""Reading screenings back: the list of them, and one screening's open hits and decisions.

A row's hits are those of the latest run that screened it; a decision taken after that run
settles its hit until the next run weighs it again."""

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.enums import HitState, Verdict
from tracker.models import (
    Entity,
    Screening,
    ScreeningDecision,
    ScreeningHit,
    ScreeningRow,
    ScreeningRun,
)
from tracker.records import EntityRecord, EntityRef
from tracker.screening.records import (
    OPEN_STATES,
    DecisionRecord,
    HitRecord,
    ScreeningRecord,
    ScreeningReport,
)
from tracker.screening.states import VERDICT_STATES, changes_after


def screening_list(session: Session) -> list[ScreeningRecord]:
    """Every screening, by name."""
    screenings = list(session.exec(select(Screening).order_by(col(Screening.name))))
    return [_record(session, screening) for screening in screenings]


def _record(session: Session, screening: Screening) -> ScreeningRecord:
    rows = session.execute(
        sa.select(sa.func.count()).where(ScreeningRow.screening_id == screening.id)
    ).scalar_one()
    runs, last_run, last_at = session.execute(
        sa.select(sa.func.count(), sa.func.max(ScreeningRun.id),
                  sa.func.max(ScreeningRun.started_at))
        .where(ScreeningRun.screening_id == screening.id)
    ).one()  # fmt: skip
    open_hits = len(current_hits(session, screening, only_open=True))
    return ScreeningRecord(
        name=screening.name, threshold=screening.threshold, hits_per_row=screening.hits_per_row,
        follow=screening.follow, created_at=screening.created_at, rows=rows, runs=runs,
        last_run=last_run, last_run_at=last_at, open_hits=open_hits,
    )  # fmt: skip


def screening_report(session: Session, screening: Screening) -> ScreeningReport:
    return ScreeningReport(
        screening=_record(session, screening),
        open=tuple(current_hits(session, screening, only_open=True)),
        decisions=tuple(decision_history(session, screening)),
    )


def current_hits(
    session: Session, screening: Screening, *, only_open: bool = False
) -> list[HitRecord]:
    """Each row's hits in its latest run, in row and rank order, each in the state the
    decisions since that run leave it."""
    statement = (
        sa.select(ScreeningHit, ScreeningRow.row_key, ScreeningRow.name, ScreeningRun.started_at,
                  Entity)
        .join(ScreeningRow, col(ScreeningRow.id) == ScreeningHit.row_id)
        .join(ScreeningRun, col(ScreeningRun.id) == ScreeningHit.run_id)
        .join(Entity, col(Entity.id) == ScreeningHit.entity_id)
        .where(ScreeningRow.screening_id == screening.id,
               ScreeningHit.run_id == ScreeningRow.last_run_id)
        .order_by(col(ScreeningRow.id), col(ScreeningHit.id))
    )  # fmt: skip
    standing = _standing(session, screening)
    weighed: list[tuple[ScreeningHit, str, str, Entity, int, HitState, DecisionRecord | None]] = []
    rank: dict[int, int] = defaultdict(int)
    for hit, row_key, row_name, run_started, entity in session.execute(statement):
        rank[hit.row_id] += 1
        decision = standing.get((hit.row_id, hit.entity_id))
        state = HitState(hit.state)
        if decision is not None and _after(decision.decided_at, run_started):
            state = VERDICT_STATES[Verdict(decision.verdict)]
        if not only_open or state in OPEN_STATES:
            weighed.append((hit, row_key, row_name, entity, rank[hit.row_id], state, decision))
    changes = changes_after(session, {
        (hit.entity_id, decision.last_event_id)
        for hit, *_rest, state, decision in weighed
        if state == HitState.CHANGED and decision is not None
    })  # fmt: skip
    return [
        HitRecord(
            run=hit.run_id, row=row_key, input=row_name, rank=position,
            entity=EntityRecord(entity.key, entity.name, entity.kind.value, entity.country,
                                entity.description),
            score=hit.score, matched=hit.matched, why=hit.why, state=state.value,
            listings=tuple(hit.entity_state.get("listings", ())),
            last_event_id=hit.last_event_id,
            changes=changes.get((hit.entity_id, decision.last_event_id), ())
            if state == HitState.CHANGED and decision is not None else (),
            decision=decision,
        )
        for hit, row_key, row_name, entity, position, state, decision in weighed
    ]  # fmt: skip


def _after(first: dt.datetime, second: dt.datetime) -> bool:
    """`first` later than `second` (SQLite hands timestamps back without their zone)."""
    return first.replace(tzinfo=None) > second.replace(tzinfo=None)


def decision_history(session: Session, screening: Screening) -> list[DecisionRecord]:
    """Every decision of the screening: per pair the one that stands, then the ones before
    it, newest first; pairs in the order of their latest decision, newest first."""
    return [decision for history in _histories(session, screening).values() for decision in history]


def _standing(session: Session, screening: Screening) -> dict[tuple[int, int], DecisionRecord]:
    """The decision that stands for each (row id, entity id)."""
    return {pair: history[0] for pair, history in _histories(session, screening).items()}


def _histories(
    session: Session, screening: Screening
) -> dict[tuple[int, int], list[DecisionRecord]]:
    statement = (
        sa.select(ScreeningDecision, ScreeningRow.row_key, Entity.key, Entity.name)
        .join(ScreeningRow, col(ScreeningRow.id) == ScreeningDecision.row_id)
        .join(Entity, col(Entity.id) == ScreeningDecision.entity_id)
        .where(ScreeningRow.screening_id == screening.id)
        .order_by(col(ScreeningDecision.id).desc())
    )
    pairs: dict[tuple[int, int], list[DecisionRecord]] = {}
    for decision, row_key, entity_key, entity_name in session.execute(statement):
        history = pairs.setdefault((decision.row_id, decision.entity_id), [])
        history.append(
            DecisionRecord(
                id=decision.id or 0, screening=screening.name, row=row_key,
                entity=EntityRef(entity_key, entity_name), verdict=decision.verdict.value,
                note=decision.note, decided_by=decision.decided_by,
                decided_at=decision.decided_at, last_event_id=decision.last_event_id,
                current=not history,
            )
        )  # fmt: skip
    return pairs
