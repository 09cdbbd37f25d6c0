""" "Who is designated or sanctioned as of D": the status report.

As of D (a full day), a designation is *active* when it took effect on or before D and had not
ended by D (one ended on D is no longer in force on D); announced by D but not yet effective, it
is *pending*. A sanction is in force from its start until (not including) its end. Partial dates
count from their first day (see `tracker.dates`). The SQL narrows the rows; `tracker.status`
decides.

A listing an import saw without a stated start counts from the first edition that showed it,
and the report says so ("first seen"). For each imported list, the report states what the
editions cover: before the first one imported, the list's status is unknown, not empty.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tracker.enums import DesignationStatus
from tracker.models import (
    Authority,
    Citation,
    Designation,
    Entity,
    ImportRun,
    Response,
    Sanction,
    Source,
)
from tracker.reports.chart import MAX_MARKS, Mark
from tracker.reports.filters import ReportFilters
from tracker.reports.records import bulk_build, citations_for, designation_label
from tracker.reports.render import Report, Section, columns
from tracker.services.links import targets
from tracker.services.lookup import authority_by_key
from tracker.status import (
    IN_FORCE_OR_PENDING,
    Since,
    designation_since,
    designation_status,
    sanction_since,
    sanction_status,
)

# How a source is named: a list edition (all share the list's URL) by its title, else its URL.
SOURCE_LABEL = case(
    (col(Source.sha256).is_not(None), Source.title), else_=func.coalesce(Source.url, Source.title)
)
# Lists whose listings name their own authorities: their coverage speaks for none in particular.
MULTI_AUTHORITY = {"ftm"}


ENTITY_COLUMNS = columns(
    ("entity", "entity"),
    ("name", "name"),
    ("kind", "kind"),
    ("country", "country"),
    ("linked", "same target as"),
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
COVERAGE_COLUMNS = columns(
    ("authority", "authority"),
    ("list", "list"),
    ("observed_from", "observed from"),
    ("observed_until", "observed until"),
    ("note", "note"),
)


def _entity_conditions(filters: ReportFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.country:
        conditions.append(col(Entity.country) == filters.country.upper())
    if filters.kind:
        conditions.append(col(Entity.kind) == filters.kind)
    return conditions


ENTITY_FIELDS = (Entity.id, Entity.key, Entity.name, Entity.kind, Entity.country)


def _designation_conditions(
    day: str, filters: ReportFilters, authority_id: int | None
) -> list[ColumnElement[bool]]:
    """Begun by D and not ended by D, plus the filters (the status rule then decides)."""
    conditions = [
        or_(
            col(Designation.effective_on) <= day,
            col(Designation.announced_on) <= day,
            and_(
                col(Designation.effective_on).is_(None),
                col(Designation.announced_on).is_(None),
                or_(
                    col(Designation.first_seen_on).is_(None), col(Designation.first_seen_on) <= day
                ),
            ),
        ),
        or_(col(Designation.ended_on).is_(None), col(Designation.ended_on) > day),
        or_(col(Designation.removed_on).is_(None), col(Designation.removed_on) > day),
        *_entity_conditions(filters),
    ]
    if authority_id is not None:
        conditions.append(col(Designation.authority_id) == authority_id)
    if filters.list_code:
        conditions.append(col(Designation.list_code) == filters.list_code)
    if filters.program:
        conditions.append(col(Designation.program) == filters.program)
    return conditions


def _designations(
    session: Session, conditions: list[ColumnElement[bool]], day: str
) -> Iterator[tuple[Any, DesignationStatus]]:
    """Rows (columns, not ORM objects: a status report can hold 100,000s) with their status."""
    statement = (
        select(
            Designation.id,
            Designation.list_code,
            Designation.program,
            Designation.announced_on,
            Designation.effective_on,
            Designation.ended_on,
            Designation.first_seen_on,
            Designation.removed_on,
            Designation.status,
            Authority.key.label("authority"),  # type: ignore[attr-defined]
            *(field.label(f"entity_{field.key}") for field in ENTITY_FIELDS),  # type: ignore[attr-defined]
        )
        .join(Entity, Entity.id == Designation.entity_id)
        .join(Authority, Authority.id == Designation.authority_id)
        .where(*conditions)
        .order_by(Entity.key, Designation.id)
    )
    for row in session.connection().execute(statement):
        status = designation_status(row, day)
        if status in IN_FORCE_OR_PENDING:
            yield row, status


def _sanctions(
    session: Session, day: str, filters: ReportFilters, authority_id: int | None
) -> list[Any]:
    if filters.list_code:
        return []  # sanctions belong to no list: a list filter asks about designations only
    statement = (
        select(
            Sanction.id,
            Sanction.measure,
            Sanction.program,
            Sanction.start_on,
            Sanction.end_on,
            Sanction.first_seen_on,
            Sanction.removed_on,
            Sanction.status,
            Authority.key.label("authority"),  # type: ignore[attr-defined]
            *(field.label(f"entity_{field.key}") for field in ENTITY_FIELDS),  # type: ignore[attr-defined]
        )
        .join(Entity, Entity.id == Sanction.entity_id)
        .join(Authority, Authority.id == Sanction.authority_id)
        .where(
            or_(
                col(Sanction.start_on) <= day,
                and_(
                    col(Sanction.start_on).is_(None),
                    or_(col(Sanction.first_seen_on).is_(None), col(Sanction.first_seen_on) <= day),
                ),
            )
        )
        .where(or_(col(Sanction.end_on).is_(None), col(Sanction.end_on) > day))
        .where(or_(col(Sanction.removed_on).is_(None), col(Sanction.removed_on) > day))
        .where(*_entity_conditions(filters))
        .order_by(Entity.key, Sanction.id)
    )
    if authority_id is not None:
        statement = statement.where(Sanction.authority_id == authority_id)
    if filters.program:
        statement = statement.where(Sanction.program == filters.program)
    rows = session.connection().execute(statement)
    return [row for row in rows if sanction_status(row, day)]


def _sources(
    session: Session, fact: Any, join: Any, conditions: list[ColumnElement[bool]]
) -> dict[int, list[str]]:
    """Source labels of every fact the report's conditions select, in one joined query."""
    labels: dict[int, list[str]] = {}
    statement = (
        select(fact, SOURCE_LABEL)
        .join(Source, Source.id == Citation.source_id)
        .join(*join)
        .join(Entity, Entity.id == join[0].entity_id)
        .where(*conditions)
        .order_by(Citation.id)
    )
    for owner, label in session.connection().execute(statement):
        labels.setdefault(owner, []).append(label)
    return labels


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


def _since_text(since: Since) -> str:
    if since.day is None:
        return "(undated)"
    return f"since {since.day}" if since.stated else f"first seen {since.day}"


def coverage_rows(session: Session, day: str, filters: ReportFilters) -> list[dict[str, Any]]:
    """Per imported list (within the filters): the first and the latest edition imported,
    and whether the day falls within them."""
    rows = []
    for list_key, first, latest in session.connection().execute(
        select(
            ImportRun.list_key, func.min(ImportRun.published_on), func.max(ImportRun.published_on)
        )
        .group_by(ImportRun.list_key)
        .order_by(ImportRun.list_key)
    ):
        keeper, _, list_code = list_key.partition("/")
        authority = None if keeper in MULTI_AUTHORITY else keeper
        if filters.list_code and filters.list_code != list_code:
            continue
        if filters.authority and authority not in (None, filters.authority):
            continue
        if first and day < first:
            note = f"observed from {first}; status before that is unknown"
        elif latest and day > latest:
            note = f"observed until {latest}; later changes are not known"
        else:
            note = None
        rows.append(
            {
                "authority": authority,
                "list": list_code,
                "observed_from": first,
                "observed_until": latest,
                "covers_as_of": note is None,
                "note": note,
            }
        )
    return rows


@bulk_build
def status_report(session: Session, *, day: str, filters: ReportFilters) -> Report:
    """Every entity with a designation or sanction in force (or pending) on `day`."""
    authority_id = authority_by_key(session, filters.authority).id if filters.authority else None
    conditions = _designation_conditions(day, filters, authority_id)
    designations = list(_designations(session, conditions, day))
    sanctions = _sanctions(session, day, filters, authority_id)
    designation_sources = _sources(
        session,
        Citation.designation_id,
        (Designation, Designation.id == Citation.designation_id),
        conditions,
    )
    sanction_sources = citations_for(session, "sanction_id", [s.id for s in sanctions])

    # One row per real-world target: entities linked as one share the row of the first.
    target_of = targets(session)
    entities: dict[int, dict[str, Any]] = {}

    def entity_entry(row: Any) -> dict[str, Any]:
        target = target_of.get(row.entity_id, row.entity_id)
        entry = entities.get(target)
        if entry is None:
            entry = entities[target] = {
                "entity": row.entity_key,
                "name": row.entity_name,
                "kind": row.entity_kind.value,
                "country": row.entity_country,
                "linked": [],
                "designations": [],
                "sanctions": [],
                "latest_response": None,
            }
        elif row.entity_key != entry["entity"] and row.entity_key not in entry["linked"]:
            entry["linked"].append(row.entity_key)
        return entry

    designation_rows = []
    totals: Counter[tuple[str, str, str]] = Counter()
    for row, status in designations:
        since = designation_since(row)
        label = designation_label(row.authority, row.list_code, row.program)
        entity_entry(row)["designations"].append(
            f"{label} {_since_text(since)}"
            if status == DesignationStatus.ACTIVE
            else f"{label} ({status.value})"
        )
        totals[(row.authority, row.list_code, status.value)] += 1
        designation_rows.append(
            {
                "entity": row.entity_key,
                "authority": row.authority,
                "list": row.list_code,
                "program": row.program,
                "since": since.day,
                "since_stated": since.stated,
                "status": status.value,
                "designation_id": row.id,
                "sources": designation_sources.get(row.id, []),
            }
        )
    sanction_rows = []
    for row in sanctions:
        since = sanction_since(row)
        entity_entry(row)["sanctions"].append(
            f"{row.authority} {row.measure.value} {_since_text(since)}"
        )
        sanction_rows.append(
            {
                "entity": row.entity_key,
                "authority": row.authority,
                "measure": row.measure.value,
                "program": row.program,
                "since": since.day,
                "since_stated": since.stated,
                "sanction_id": row.id,
                "sources": sanction_sources.get(row.id, []),
            }
        )
    members = {entity_id for entity_id, target in target_of.items() if target in entities}
    responses = _latest_responses(session, day, set(entities) | members)
    for entity_id, response in responses.items():
        entities[target_of.get(entity_id, entity_id)]["latest_response"] = str(response)
    marks: list[Mark] = []
    if len(designation_rows) + len(sanction_rows) + len(responses) <= MAX_MARKS:
        marks = [
            Mark(row["since"] or "", row["authority"], row["authority"], "designation",
                 f"{row['entity']}: {row['authority']} {row['list']} ({row['status']})")
            for row in designation_rows
        ] + [
            Mark(row["since"] or "", row["authority"], row["authority"], "sanction",
                 f"{row['entity']}: {row['authority']} {row['measure']}")
            for row in sanction_rows
        ] + [
            Mark(response.stated_on, response.responder, response.stance, "response",
                 f"{entities[target_of.get(entity_id, entity_id)]['entity']}: {response}")
            for entity_id, response in responses.items()
        ]  # fmt: skip

    total_rows = [
        {
            "authority": authority,
            "list": list_code,
            "active": totals[(authority, list_code, "active")],
            "pending": totals[(authority, list_code, "pending")],
        }
        for authority, list_code in sorted({(key[0], key[1]) for key in totals})
    ]
    coverage = coverage_rows(session, day, filters)
    return Report(
        kind="status",
        title=f"Designations and sanctions in force as of {day}",
        meta={"as_of": day, "filters": filters.given()},
        sections=[
            Section(
                "coverage",
                "What the imported editions cover",
                COVERAGE_COLUMNS,
                coverage,
                context=True,
            ),
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
