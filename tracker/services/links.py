"""Links between entities: the user's word that two are one real-world target, and the
relationships lists state between their entries.

Lists that share an identifier already land on one entity when imported (a UK row naming
"UN Ref QDi.430" joins the UN entry). Where lists share none, only a person can say that the
OFAC, UN and EU entries are the same group: `link` records that as a pair (and an event on
each side), `unlink` takes it back exactly. Names alone never link anything. A relationship
a list states ("Owned or Controlled By") is a link of that relation (`add_relations`): it
never makes the two one target.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import or_
from sqlmodel import Session, col, select

from tracker.dates import PartialDate
from tracker.enums import EventAction, SubjectType
from tracker.errors import Conflict, InvalidInput
from tracker.models import SAME_TARGET, Entity, EntityLink, utc_now
from tracker.services.core import core, insert_rows
from tracker.services.events import event_row, insert_events, record_event


@dataclass(frozen=True)
class LinkedEntity:
    entity: Entity
    linked_at: str
    note: str | None


def _pair(first: Entity, second: Entity) -> tuple[int, int]:
    assert first.id is not None
    assert second.id is not None
    if first.id == second.id:
        raise InvalidInput(f"cannot link {first.key} to itself")
    return (first.id, second.id) if first.id < second.id else (second.id, first.id)


def _find(session: Session, pair: tuple[int, int]) -> EntityLink | None:
    return session.exec(
        select(EntityLink).where(
            EntityLink.entity_id == pair[0],
            EntityLink.linked_entity_id == pair[1],
            EntityLink.relation == SAME_TARGET,
        )
    ).first()


def _events(
    session: Session, action: EventAction, first: Entity, second: Entity, note: str | None
) -> None:
    today = str(PartialDate.today())
    for entity, other in ((first, second), (second, first)):
        assert entity.id is not None
        record_event(
            session=session,
            action=action,
            subject_type=SubjectType.ENTITY,
            subject_id=entity.id,
            entity_id=entity.id,
            occurred_on=today,
            before=None if action == EventAction.LINKED else {"linked_to": other.key},
            after={"linked_to": other.key} if action == EventAction.LINKED else None,
            note=note,
        )


def link(*, session: Session, first: Entity, second: Entity, note: str | None = None) -> EntityLink:
    """Say that two entities are the same target."""
    pair = _pair(first, second)
    if _find(session, pair) is not None:
        raise Conflict(f"{first.key} and {second.key} are already linked")
    entity_link = EntityLink(
        entity_id=pair[0], linked_entity_id=pair[1], linked_at=utc_now(), note=note
    )
    session.add(entity_link)
    _events(session, EventAction.LINKED, first, second, note)
    session.flush()
    return entity_link


def unlink(*, session: Session, first: Entity, second: Entity, note: str | None = None) -> None:
    """Take a link back; both entities keep the history of it."""
    entity_link = _find(session, _pair(first, second))
    if entity_link is None:
        raise Conflict(f"{first.key} and {second.key} are not linked")
    session.delete(entity_link)
    _events(session, EventAction.UNLINKED, first, second, note)
    session.flush()


def target_of(session: Session, entity: Entity) -> list[LinkedEntity]:
    """Every entity linked to this one, directly or through others (not itself)."""
    assert entity.id is not None
    seen = {entity.id}
    frontier = {entity.id}
    found: list[tuple[int, EntityLink]] = []
    while frontier:
        links = session.exec(
            select(EntityLink).where(
                EntityLink.relation == SAME_TARGET,
                or_(
                    col(EntityLink.entity_id).in_(frontier),
                    col(EntityLink.linked_entity_id).in_(frontier),
                ),
            )
        ).all()
        frontier = set()
        for entity_link in links:
            for other in (entity_link.entity_id, entity_link.linked_entity_id):
                if other not in seen:
                    seen.add(other)
                    frontier.add(other)
                    found.append((other, entity_link))
    entities = {e.id: e for e in session.exec(select(Entity).where(col(Entity.id).in_(seen)))}
    return sorted(
        (
            LinkedEntity(
                entities[other], entity_link.linked_at.date().isoformat(), entity_link.note
            )
            for other, entity_link in found
        ),
        key=lambda linked: linked.entity.key,
    )


def targets(session: Session) -> dict[int, int]:
    """entity id -> the id of its target's first entity (lowest id), for every linked entity."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for first, second in session.exec(
        select(EntityLink.entity_id, EntityLink.linked_entity_id).where(
            EntityLink.relation == SAME_TARGET
        )
    ):
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {node: root(node) for node in parent}


@dataclass(frozen=True)
class Relation:
    """A relationship a list states: `entity_id` is `relation` of `linked_entity_id`."""

    entity_id: int
    relation: str
    linked_entity_id: int


def add_relations(
    *,
    session: Session,
    relations: Sequence[Relation],
    source_id: int | None = None,
    import_run_id: int | None = None,
    recorded_at: dt.datetime | None = None,
) -> int:
    """Record relationships not yet held, each with a `linked` event on its first entity;
    returns how many were new."""
    wanted = {
        (r.entity_id, r.linked_entity_id, r.relation[:64]): r
        for r in relations
        if r.entity_id != r.linked_entity_id and r.relation != SAME_TARGET
    }
    if not wanted:
        return 0
    connection = core(session)
    held = set(
        connection.execute(
            sa.select(EntityLink.entity_id, EntityLink.linked_entity_id, EntityLink.relation).where(
                col(EntityLink.entity_id).in_({key[0] for key in wanted})
            )
        )
    )
    new = [key for key in wanted if key not in held]
    if not new:
        return 0
    when = recorded_at or utc_now()
    insert_rows(
        connection,
        EntityLink.__table__,  # type: ignore[attr-defined]
        [
            {
                "entity_id": first,
                "linked_entity_id": second,
                "relation": relation,
                "linked_at": when,
                "source_id": source_id,
            }
            for first, second, relation in new
        ],
    )
    keys = dict(  # .all(): dict() would take a Result, which has keys(), for a mapping
        connection.execute(
            sa.select(Entity.id, Entity.key).where(col(Entity.id).in_({key[1] for key in new}))
        ).all()
    )
    insert_events(
        session=session,
        events=[
            event_row(
                action=EventAction.LINKED,
                subject_type=SubjectType.ENTITY,
                subject_id=first,
                entity_id=first,
                occurred_on=None,
                after={"relation": relation, "linked_to": keys[second]},
                source_id=source_id,
                import_run_id=import_run_id,
                recorded_at=when,
            )
            for first, second, relation in new
        ],
    )
    return len(new)
