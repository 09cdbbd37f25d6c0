""" "Who is designated or sanctioned as of D": the status report.

As of D (a full day), a designation is *active* when it took effect on or before D and had not
ended by D (one ended on D is no longer in force on D); announced by D but not yet effective, it
is *pending*. A sanction is in force from its start until (not including) its end. Partial dates
count from their first day (see `tracker.dates`). The SQL narrows the rows; `tracker.status`
decides.

A listing an import saw without a stated start counts from the first edition that showed it,
and the report says so (`since_stated`). For each imported list, the report states what the
editions cover: before the first one imported, the list's status is unknown, not empty.
"""

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tracker.gc_pause import without_collector_pauses
from tracker.models import Designation, Entity, ImportRun, Response, Sanction
from tracker.records import (
    Coverage,
    DesignationRecord,
    EntityRecord,
    EntityRef,
    Filters,
    ResponseRef,
    StatusReport,
    Target,
    Total,
)
from tracker.reports.filters import FilterSql
from tracker.reports.rows import (
    citations,
    designation_record,
    designations_statement,
    fetch,
    sanction_record,
    sanctions_statement,
    where_in,
)
from tracker.services.links import targets
from tracker.status import IN_FORCE_OR_PENDING

# Lists whose listings name their own authorities: their coverage speaks for none in particular.
MULTI_AUTHORITY = {"ftm"}
IN_FORCE = {"active", "suspended"}


def begun(start: Any, announced: Any, first_seen: Any, day: str) -> ColumnElement[bool]:
    """Begun by `day`: stated so, or (no stated date) first seen by then, or never dated."""
    stated = [start <= day] + ([announced <= day] if announced is not None else [])
    undated = [start.is_(None)] + ([announced.is_(None)] if announced is not None else [])
    return or_(*stated, and_(*undated, or_(first_seen.is_(None), first_seen <= day)))


def not_ended(end: Any, removed: Any, day: str) -> ColumnElement[bool]:
    """Not ended by `day`: no stated end by then, and not gone from an edition by then."""
    return and_(or_(end.is_(None), end > day), or_(removed.is_(None), removed > day))


Owned = tuple[int, Any]  # (entity id, record): which entity each row in force belongs to


def _designations(session: Session, sql: FilterSql, day: str) -> list[Owned]:
    conditions = [
        begun(col(Designation.effective_on), col(Designation.announced_on),
              col(Designation.first_seen_on), day),
        not_ended(col(Designation.ended_on), col(Designation.removed_on), day),
        *sql.designations(),
    ]  # fmt: skip
    statement = designations_statement().where(*conditions).order_by(Entity.key, Designation.id)
    rows = fetch(session, statement)
    cited = citations(session, "designation_id", [row.id for row in rows])
    records = ((row.entity_id, designation_record(row, day, cited.get(row.id, ()))) for row in rows)
    return [(owner, record) for owner, record in records if record.status in IN_FORCE_OR_PENDING]


def _sanctions(session: Session, sql: FilterSql, day: str) -> list[Owned]:
    own = sql.sanctions()
    if own is None:
        return []
    conditions = [
        begun(col(Sanction.start_on), None, col(Sanction.first_seen_on), day),
        not_ended(col(Sanction.end_on), col(Sanction.removed_on), day),
        *own,
    ]
    statement = sanctions_statement().where(*conditions).order_by(Entity.key, Sanction.id)
    rows = fetch(session, statement)
    cited = citations(session, "sanction_id", [row.id for row in rows])
    records = ((row.entity_id, sanction_record(row, day, cited.get(row.id, ()))) for row in rows)
    return [(owner, record) for owner, record in records if record.status in IN_FORCE]


def _latest_responses(session: Session, day: str, entity_ids: set[int]) -> dict[int, ResponseRef]:
    """The latest response (on or before D) concerning each entity."""
    if not entity_ids:
        return {}
    responder = aliased(Entity)
    owner = func.coalesce(Response.about_entity_id, Designation.entity_id, Sanction.entity_id)
    rows = session.connection().execute(
        select(
            Response.id, Response.stance, Response.stated_on, responder.key, responder.name, owner
        )
        .join(responder, responder.id == Response.responder_id)
        .outerjoin(Designation, Designation.id == Response.designation_id)
        .outerjoin(Sanction, Sanction.id == Response.sanction_id)
        .where(col(Response.stated_on) <= day)
        .order_by(Response.stated_on, Response.id)
    )
    latest: dict[int, ResponseRef] = {}
    for response_id, stance, stated_on, responder_key, responder_name, owner_id in rows:
        if owner_id in entity_ids:
            latest[owner_id] = ResponseRef(
                response_id, EntityRef(responder_key, responder_name), stance.value, stated_on
            )
    return latest


def coverage(session: Session, day: str, filters: Filters) -> list[Coverage]:
    """Per imported list (within the filters): the first and the latest edition imported,
    and whether the day falls within them."""
    found = []
    for list_key, first, latest in session.connection().execute(
        select(ImportRun.list_key, func.min(ImportRun.published_on),
               func.max(ImportRun.published_on))
        .group_by(ImportRun.list_key)
        .order_by(ImportRun.list_key)
    ):  # fmt: skip
        keeper, _, list_code = list_key.partition("/")
        authority = None if keeper in MULTI_AUTHORITY else keeper
        if filters.list and filters.list != list_code:
            continue
        if filters.authority and authority not in (None, filters.authority):
            continue
        within = bool(first and first <= day and (not latest or day <= latest))
        found.append(Coverage(authority, list_code, first, latest, within))
    return found


def _entity_rows(session: Session, ids: set[int]) -> dict[int, EntityRecord]:
    statement = select(Entity.id, Entity.key, Entity.name, Entity.kind, Entity.country,
                       Entity.description)  # fmt: skip
    return {
        entity_id: EntityRecord(key, name, kind.value, country, description)
        for entity_id, key, name, kind, country, description in where_in(session, statement, ids)
    }


@without_collector_pauses
def status_report(session: Session, *, day: str, filters: Filters) -> StatusReport:
    """Every target with a designation or sanction in force (or pending) on `day`; entities
    linked as one target share the row of the first."""
    sql = FilterSql(session, filters)
    designations = _designations(session, sql, day)
    sanctions = _sanctions(session, sql, day)
    target_of = targets(session)
    listed: dict[int, tuple[list[int], list[int], set[int]]] = {}
    for index, rows in enumerate((designations, sanctions)):
        for owner, record in rows:
            target = target_of.get(owner, owner)
            entry = listed.setdefault(target, ([], [], set()))
            entry[index].append(record.id)
            entry[2].add(owner)
    related = {e for e in (*listed, *target_of) if target_of.get(e, e) in listed}
    entities = _entity_rows(session, related)
    responses = _latest_responses(session, day, related)
    latest_of: dict[int, list[ResponseRef]] = {}
    for concerned, response in responses.items():
        latest_of.setdefault(target_of.get(concerned, concerned), []).append(response)
    found = []
    for target, (designation_ids, sanction_ids, owners) in listed.items():
        latest = latest_of.get(target, [])
        found.append(
            Target(
                entity=entities[target],
                linked=tuple(sorted(entities[e].key for e in owners if e != target)),
                designations=tuple(designation_ids),
                sanctions=tuple(sanction_ids),
                latest_response=max(latest, key=lambda r: (r.stated_on, r.id), default=None),
            )
        )
    return StatusReport(
        as_of=day,
        filters=filters,
        coverage=tuple(coverage(session, day, filters)),
        targets=tuple(sorted(found, key=lambda target: target.entity.key)),
        designations=tuple(record for _, record in designations),
        sanctions=tuple(record for _, record in sanctions),
        totals=tuple(_totals([record for _, record in designations])),
    )


def _totals(designations: list[DesignationRecord]) -> list[Total]:
    counts: Counter[tuple[str, str, str]] = Counter(
        (record.authority, record.list, record.status) for record in designations
    )
    return [
        Total(authority, list_code, counts[(authority, list_code, "active")],
              counts[(authority, list_code, "pending")])
        for authority, list_code in sorted({(key[0], key[1]) for key in counts})
    ]  # fmt: skip
