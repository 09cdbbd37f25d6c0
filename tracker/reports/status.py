""" "Who is designated or sanctioned as of D": the status report.

As of D (a full day), a designation is *active* when it took effect on or before D and had not
ended by D (one ended on D is no longer in force on D); announced by D but not yet effective, it
is *pending*. A sanction is in force from its start until (not including) its end. Partial dates
count from their first day (see `tracker.dates`). The SQL narrows the rows; `status_on` decides.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tracker.enums import DesignationStatus, EntityKind
from tracker.models import Authority, Designation, Entity, Response, Sanction
from tracker.reports.chart import Mark
from tracker.reports.records import citations_for, designation_label
from tracker.reports.render import Report, Section, columns
from tracker.services import designations as designation_service
from tracker.services import sanctions as sanction_service
from tracker.services.lookup import authority_by_key

IN_FORCE_OR_PENDING = {
    DesignationStatus.ACTIVE,
    DesignationStatus.PENDING,
    DesignationStatus.SUSPENDED,
}


@dataclass(frozen=True)
class StatusFilters:
    authority: str | None = None
    list_code: str | None = None
    program: str | None = None
    country: str | None = None
    kind: EntityKind | None = None


ENTITY_COLUMNS = columns(
    ("entity", "entity"),
    ("name", "name"),
    ("kind", "kind"),
    ("country", "country"),
    ("designations", "designations"),
    ("sanctions", "sanctions"),
    ("latest_response", "latest response"),
)
DESIGNATION_COLUMNS = columns(
    ("entity", "entity"),
    ("authority", "authority"),
    ("list", "list"),
    ("program", "program"),
    ("since", "since"),
    ("status", "status"),
    ("designation_id", "id"),
    ("sources", "sources"),
)
SANCTION_COLUMNS = columns(
    ("entity", "entity"),
    ("authority", "authority"),
    ("measure", "measure"),
    ("program", "program"),
    ("since", "since"),
    ("sanction_id", "id"),
    ("sources", "sources"),
)
TOTAL_COLUMNS = columns(
    ("authority", "authority"), ("list", "list"), ("active", "active"), ("pending", "pending")
)


def _entity_conditions(filters: StatusFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.country:
        conditions.append(col(Entity.country) == filters.country.upper())
    if filters.kind:
        conditions.append(col(Entity.kind) == filters.kind)
    return conditions


def _designations(
    session: Session, day: str, filters: StatusFilters, authority_id: int | None
) -> Iterator[tuple[Designation, Entity, str, DesignationStatus]]:
    started = or_(
        col(Designation.effective_on) <= day,
        col(Designation.announced_on) <= day,
        and_(col(Designation.effective_on).is_(None), col(Designation.announced_on).is_(None)),
    )
    statement = (
        select(Designation, Entity, Authority.key)
        .join(Entity, Entity.id == Designation.entity_id)
        .join(Authority, Authority.id == Designation.authority_id)
        .where(started, or_(col(Designation.ended_on).is_(None), col(Designation.ended_on) > day))
        .where(*_entity_conditions(filters))
        .order_by(Entity.key, Designation.id)
    )
    if authority_id is not None:
        statement = statement.where(Designation.authority_id == authority_id)
    if filters.list_code:
        statement = statement.where(Designation.list_code == filters.list_code)
    if filters.program:
        statement = statement.where(Designation.program == filters.program)
    for designation, entity, authority_key in session.exec(statement):
        status = designation_service.status_on(designation, day)
        if status in IN_FORCE_OR_PENDING:
            yield designation, entity, authority_key, status


def _sanctions(
    session: Session, day: str, filters: StatusFilters, authority_id: int | None
) -> Iterator[tuple[Sanction, Entity, str]]:
    statement = (
        select(Sanction, Entity, Authority.key)
        .join(Entity, Entity.id == Sanction.entity_id)
        .join(Authority, Authority.id == Sanction.authority_id)
        .where(col(Sanction.start_on) <= day)
        .where(or_(col(Sanction.end_on).is_(None), col(Sanction.end_on) > day))
        .where(*_entity_conditions(filters))
        .order_by(Entity.key, Sanction.id)
    )
    if authority_id is not None:
        statement = statement.where(Sanction.authority_id == authority_id)
    if filters.program:
        statement = statement.where(Sanction.program == filters.program)
    if filters.list_code:
        # Sanctions belong to no list: a list filter asks about designations only.
        return
    for sanction, entity, authority_key in session.exec(statement):
        if sanction_service.status_on(sanction, day) is not None:
            yield sanction, entity, authority_key


@dataclass(frozen=True)
class _LatestResponse:
    responder: str
    stance: str
    stated_on: str

    def __str__(self) -> str:
        return f"{self.responder} {self.stance} {self.stated_on}"


def _latest_responses(
    session: Session, day: str, entity_ids: set[int]
) -> dict[int, _LatestResponse]:
    """The latest response (on or before D) concerning each entity."""
    if not entity_ids:
        return {}
    responder = aliased(Entity)
    owner = func.coalesce(Response.about_entity_id, Designation.entity_id, Sanction.entity_id)
    rows = session.exec(
        select(Response, responder.key, owner)
        .join(responder, responder.id == Response.responder_id)
        .outerjoin(Designation, Designation.id == Response.designation_id)
        .outerjoin(Sanction, Sanction.id == Response.sanction_id)
        .where(col(Response.stated_on) <= day)
        .order_by(Response.stated_on, Response.id)
    )
    latest: dict[int, _LatestResponse] = {}
    for response, responder_key, owner_id in rows:
        if owner_id in entity_ids:
            latest[owner_id] = _LatestResponse(
                responder_key, response.stance.value, response.stated_on
            )
    return latest


def status_report(session: Session, *, day: str, filters: StatusFilters) -> Report:
    """Every entity with a designation or sanction in force (or pending) on `day`."""
    authority_id = authority_by_key(session, filters.authority).id if filters.authority else None
    designations = list(_designations(session, day, filters, authority_id))
    sanctions = list(_sanctions(session, day, filters, authority_id))
    designation_sources = citations_for(
        session, "designation_id", [d.id for d, _, _, _ in designations if d.id]
    )
    sanction_sources = citations_for(
        session, "sanction_id", [s.id for s, _, _ in sanctions if s.id]
    )

    entities: dict[int, dict[str, Any]] = {}

    def entity_entry(entity: Entity) -> dict[str, Any]:
        assert entity.id is not None
        return entities.setdefault(
            entity.id,
            {
                "entity": entity.key,
                "name": entity.name,
                "kind": entity.kind.value,
                "country": entity.country,
                "designations": [],
                "sanctions": [],
                "latest_response": None,
            },
        )

    designation_rows = []
    totals: Counter[tuple[str, str, str]] = Counter()
    for designation, entity, authority_key, status in designations:
        since = designation.effective_on or designation.announced_on
        label = designation_label(authority_key, designation.list_code, designation.program)
        entity_entry(entity)["designations"].append(
            f"{label} since {since}"
            if status == DesignationStatus.ACTIVE
            else f"{label} ({status.value})"
        )
        totals[(authority_key, designation.list_code, status.value)] += 1
        designation_rows.append(
            {
                "entity": entity.key,
                "authority": authority_key,
                "list": designation.list_code,
                "program": designation.program,
                "since": since,
                "status": status.value,
                "designation_id": designation.id,
                "sources": designation_sources.get(designation.id or 0, []),
            }
        )
    sanction_rows = []
    for sanction, entity, authority_key in sanctions:
        entity_entry(entity)["sanctions"].append(
            f"{authority_key} {sanction.measure.value} since {sanction.start_on}"
        )
        sanction_rows.append(
            {
                "entity": entity.key,
                "authority": authority_key,
                "measure": sanction.measure.value,
                "program": sanction.program,
                "since": sanction.start_on,
                "sanction_id": sanction.id,
                "sources": sanction_sources.get(sanction.id or 0, []),
            }
        )
    marks = [
        Mark(row["since"] or "", row["authority"], row["authority"], "designation",
             f"{row['entity']}: {row['authority']} {row['list']} ({row['status']})")
        for row in designation_rows
    ] + [
        Mark(row["since"] or "", row["authority"], row["authority"], "sanction",
             f"{row['entity']}: {row['authority']} {row['measure']}")
        for row in sanction_rows
    ]  # fmt: skip
    for entity_id, response in _latest_responses(session, day, set(entities)).items():
        entities[entity_id]["latest_response"] = str(response)
        marks.append(
            Mark(response.stated_on, response.responder, response.stance, "response",
                 f"{entities[entity_id]['entity']}: {response}")
        )  # fmt: skip

    total_rows = [
        {
            "authority": authority,
            "list": list_code,
            "active": totals[(authority, list_code, "active")],
            "pending": totals[(authority, list_code, "pending")],
        }
        for authority, list_code in sorted({(key[0], key[1]) for key in totals})
    ]
    return Report(
        kind="status",
        title=f"Designations and sanctions in force as of {day}",
        meta={"as_of": day, "filters": {k: v for k, v in vars(filters).items() if v is not None}},
        sections=[
            Section(
                "entities",
                "Entities",
                ENTITY_COLUMNS,
                sorted(entities.values(), key=lambda e: e["entity"]),
            ),
            Section("designations", "Designations", DESIGNATION_COLUMNS, designation_rows),
            Section("sanctions", "Sanctions", SANCTION_COLUMNS, sanction_rows),
            Section("totals", "Totals by authority and list", TOTAL_COLUMNS, total_rows),
        ],
        empty_message=f"nothing in force as of {day} matched",
        marks=marks,
    )
