"""Where a hit stands: against the reviewers' decisions, and the changes to the listed party
since (events about it or the entities linked to it as the same target).

A change is what a reviewer would look at again: a new alias or listing, a delisting, amended
details. Cosmetic amendments (whitespace in remarks), responses and bookkeeping are not.
"""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col

from tracker.batching import in_chunks
from tracker.enums import COSMETIC_NOTE, EventAction, HitState, Verdict
from tracker.models import SAME_TARGET, EntityLink, Event
from tracker.reports.rows import event_records, events_statement
from tracker.reports.text import describe

NOT_A_CHANGE = (EventAction.RESPONDED, EventAction.SOURCE_ADDED, EventAction.AUTHORITY_ADDED)
VERDICT_STATES = {Verdict.FALSE_POSITIVE: HitState.FALSE_POSITIVE, Verdict.MATCH: HitState.MATCH}


def _is_change() -> list[sa.ColumnElement[bool]]:
    return [
        col(Event.action).not_in(NOT_A_CHANGE),
        sa.or_(col(Event.note).is_(None), col(Event.note) != COSMETIC_NOTE),
    ]


def parties(session: Session, entity_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each entity with the entities linked to it as the same target (itself included)."""
    found: dict[int, set[int]] = {entity_id: {entity_id} for entity_id in entity_ids}
    for batch in in_chunks(sorted(found)):
        links = session.execute(
            sa.select(EntityLink.entity_id, EntityLink.linked_entity_id).where(
                EntityLink.relation == SAME_TARGET,
                sa.or_(col(EntityLink.entity_id).in_(batch),
                       col(EntityLink.linked_entity_id).in_(batch)),
            )
        )  # fmt: skip
        for first, second in links:
            if first in found:
                found[first].add(second)
            if second in found:
                found[second].add(first)
    return found


def latest_changes(session: Session, entity_ids: Iterable[int]) -> dict[int, int | None]:
    """The id of the newest change to each entity or the entities linked to it."""
    party = parties(session, entity_ids)
    members = sorted({member for group in party.values() for member in group})
    newest: dict[int, int] = {}
    for batch in in_chunks(members):
        newest.update(
            session.execute(
                sa.select(Event.entity_id, sa.func.max(Event.id))
                .where(col(Event.entity_id).in_(batch), *_is_change())
                .group_by(Event.entity_id)
            ).all()
        )
    return {
        entity_id: max((newest[m] for m in group if m in newest), default=None)
        for entity_id, group in party.items()
    }


def changes_after(
    session: Session, wanted: Iterable[tuple[int, int | None]]
) -> dict[tuple[int, int | None], tuple[str, ...]]:
    """For each (entity, event id) asked for: what changed about the entity (or its linked
    ones) after that event, one line per change, oldest first ("2018-06-21: alias 'X'
    added"). Each entity's events are read once, from the earliest id asked for."""
    asked = set(wanted)
    earliest: dict[int, int] = {}
    for entity_id, after in asked:
        earliest[entity_id] = min(earliest.get(entity_id, after or 0), after or 0)
    lines: dict[int, list[tuple[int, str]]] = {}
    for entity_id, group in parties(session, earliest).items():
        statement = (
            events_statement()
            .where(col(Event.entity_id).in_(sorted(group)), col(Event.id) > earliest[entity_id],
                   *_is_change())
            .order_by(Event.id)
        )  # fmt: skip
        lines[entity_id] = [
            (event.id, f"{event.occurred_on or 'undated'}: {describe(event)}")
            for event in event_records(session, statement)
        ]
    return {
        (entity_id, after): tuple(text for event_id, text in lines[entity_id]
                                  if event_id > (after or 0))
        for entity_id, after in asked
    }  # fmt: skip


def changed_entities(session: Session, after_event_id: int) -> set[int]:
    """Entities some event after this id is about, any change at all (a rescreen looks at
    their names again), and those linked to them as the same target."""
    touched = set(
        session.scalars(
            sa.select(col(Event.entity_id))
            .where(col(Event.id) > after_event_id, col(Event.entity_id).is_not(None))
            .distinct()
        )
    )
    linked = parties(session, (entity_id for entity_id in touched if entity_id is not None))
    return {member for group in linked.values() for member in group}


def newest_event(session: Session) -> int | None:
    return session.execute(sa.select(sa.func.max(Event.id))).scalar_one()


def hit_state(
    *, decision_verdict: Verdict | None, seen_before: bool, changes: tuple[str, ...]
) -> HitState:
    """New (never seen for this row) or open without a decision; the verdict while nothing
    changed since it; changed since the decision otherwise."""
    if decision_verdict is None:
        return HitState.OPEN if seen_before else HitState.NEW
    return HitState.CHANGED if changes else VERDICT_STATES[Verdict(decision_verdict)]
