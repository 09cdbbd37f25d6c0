"""Records built from rows: the columns every report selects of a designation, a sanction,
an event or a source, and the one function that turns each into its `tracker.records` type.
Reports select plain columns (not ORM objects: a status report can hold 100,000s of rows)."""

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.batching import IN_CHUNK, in_chunks
from tracker.enums import DesignationStatus, SanctionStatus
from tracker.gc_pause import without_collector_pauses
from tracker.models import Authority, Citation, Designation, Entity, Event, Sanction, Source
from tracker.records import (
    DesignationRecord,
    EntityRef,
    EventRecord,
    ListingRef,
    Observed,
    SanctionRecord,
    SourceRef,
)
from tracker.status import designation_since, designation_status, sanction_since, sanction_status

SOURCE_COLUMNS = (
    Source.id, Source.title, Source.url, Source.publisher, Source.document_number,
    Source.published_on, Source.file_name, Source.sha256,
)  # fmt: skip
DESIGNATION_COLUMNS = (
    Designation.id, Designation.list_code, Designation.program, Designation.legal_basis,
    Designation.announced_on, Designation.effective_on, Designation.ended_on,
    Designation.first_seen_on, Designation.last_seen_on, Designation.removed_on,
    Designation.status, Designation.status_text, Designation.reason, Designation.notes,
    Designation.record_id, Designation.entity_id,
    col(Authority.key).label("authority"), col(Entity.key).label("entity_key"),
    col(Entity.name).label("entity_name"),
)  # fmt: skip
SANCTION_COLUMNS = (
    Sanction.id, Sanction.measure, Sanction.program, Sanction.legal_basis, Sanction.start_on,
    Sanction.end_on, Sanction.first_seen_on, Sanction.last_seen_on, Sanction.removed_on,
    Sanction.status, Sanction.notes, Sanction.record_id, Sanction.entity_id,
    col(Authority.key).label("authority"), col(Entity.key).label("entity_key"),
    col(Entity.name).label("entity_name"),
)  # fmt: skip


@cache
def _row_type(names: tuple[str, ...]) -> Any:
    return namedtuple("Row", names)  # type: ignore[misc]


def fetch(session: Session, statement: Any) -> list[Any]:
    """Every row of a statement, as named tuples. SQLAlchemy's `Row` finds an attribute by
    name in about a microsecond; a record reads twenty, and a status report builds
    100,000s of records: a named tuple reads them some twenty times faster."""
    result = session.connection().execute(statement)
    shape = _row_type(tuple(result.keys()))
    return [shape._make(row) for row in result.all()]


def source_ref(row: Any) -> SourceRef:
    return SourceRef(
        id=row.id,
        title=row.title,
        url=row.url,
        publisher=row.publisher,
        document_number=row.document_number,
        published_on=row.published_on,
        file_name=row.file_name,
        sha256=row.sha256,
    )


def where_in(session: Session, statement: Any, ids: Iterable[Any]) -> list[Any]:
    """The rows of `statement` whose first column is one of `ids`. A few ids go in IN
    (...) lists; many (a whole status report's) read the rows without one and keep those
    wanted here: binding tens of thousands of parameters costs more than the scan."""
    wanted = set(ids)
    wanted.discard(None)
    column = statement.selected_columns[0]
    if len(wanted) > IN_CHUNK:
        return [row for row in fetch(session, statement.where(column.is_not(None)))
                if row[0] in wanted]  # fmt: skip
    return [
        row
        for batch in in_chunks(wanted)
        for row in fetch(session, statement.where(column.in_(batch)))
    ]


def sources_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, SourceRef]:
    return {row.id: source_ref(row) for row in where_in(session, sa.select(*SOURCE_COLUMNS), ids)}


def citations(
    session: Session, column: str, ids: Sequence[int]
) -> dict[int, tuple[SourceRef, ...]]:
    """The sources each fact (`column`: designation_id, sanction_id, response_id) cites."""
    fact = getattr(Citation, column)
    statement = sa.select(fact.label("fact"), Citation.source_id).order_by(Citation.id)
    pairs = where_in(session, statement, ids)
    sources = sources_by_id(session, {source_id for _, source_id in pairs})
    found: dict[int, list[SourceRef]] = defaultdict(list)
    for fact_id, source_id in pairs:
        found[fact_id].append(sources[source_id])
    return {fact_id: tuple(cited) for fact_id, cited in found.items()}


def designations_statement() -> Any:
    return (
        sa.select(*DESIGNATION_COLUMNS)
        .join(Entity, Entity.id == Designation.entity_id)
        .join(Authority, Authority.id == Designation.authority_id)
    )


def sanctions_statement() -> Any:
    return (
        sa.select(*SANCTION_COLUMNS)
        .join(Entity, Entity.id == Sanction.entity_id)
        .join(Authority, Authority.id == Sanction.authority_id)
    )


def observed(row: Any) -> Observed:
    return Observed(row.first_seen_on, row.last_seen_on, row.removed_on)


def designation_record(
    row: Any, day: str, sources: tuple[SourceRef, ...] = ()
) -> DesignationRecord:
    """A designation row (DESIGNATION_COLUMNS) with its status as of `day`."""
    since = designation_since(row)
    return DesignationRecord(
        id=row.id,
        entity=EntityRef(row.entity_key, row.entity_name),
        authority=row.authority,
        list=row.list_code,
        program=row.program,
        legal_basis=row.legal_basis,
        announced_on=row.announced_on,
        effective_on=row.effective_on,
        ended_on=row.ended_on,
        observed=observed(row),
        since=since.day,
        since_stated=since.stated,
        status=(designation_status(row, day) or DesignationStatus.PENDING).value,
        recorded_status=DesignationStatus(row.status).value,
        status_text=row.status_text,
        reason=row.reason,
        notes=row.notes,
        record_id=row.record_id,
        sources=sources,
    )


def sanction_record(row: Any, day: str, sources: tuple[SourceRef, ...] = ()) -> SanctionRecord:
    since = sanction_since(row)
    return SanctionRecord(
        id=row.id,
        entity=EntityRef(row.entity_key, row.entity_name),
        authority=row.authority,
        measure=str(getattr(row.measure, "value", row.measure)),
        program=row.program,
        legal_basis=row.legal_basis,
        start_on=row.start_on,
        end_on=row.end_on,
        observed=observed(row),
        since=since.day,
        since_stated=since.stated,
        status=(sanction_status(row, day) or SanctionStatus.ACTIVE).value,
        recorded_status=SanctionStatus(row.status).value,
        notes=row.notes,
        record_id=row.record_id,
        sources=sources,
    )


@without_collector_pauses
def designation_records(
    session: Session, day: str, conditions: Sequence[Any] = (), order: Any = None
) -> list[DesignationRecord]:
    """Designations matching the conditions, with their sources and status as of `day`."""
    statement = designations_statement().where(*conditions)
    rows = fetch(session, statement.order_by(order or Designation.id))
    cited = citations(session, "designation_id", [row.id for row in rows])
    return [designation_record(row, day, cited.get(row.id, ())) for row in rows]


@without_collector_pauses
def sanction_records(
    session: Session, day: str, conditions: Sequence[Any] = (), order: Any = None
) -> list[SanctionRecord]:
    statement = sanctions_statement().where(*conditions)
    rows = fetch(session, statement.order_by(order or Sanction.id))
    cited = citations(session, "sanction_id", [row.id for row in rows])
    return [sanction_record(row, day, cited.get(row.id, ())) for row in rows]


EVENT_COLUMNS = (*Event.__table__.columns, col(Entity.key).label("entity_key"),  # type: ignore[attr-defined]
                 col(Entity.name).label("entity_name"))  # fmt: skip


def events_statement() -> Any:
    return sa.select(*EVENT_COLUMNS).outerjoin(Entity, Entity.id == Event.entity_id)


@without_collector_pauses
def event_records(session: Session, statement: Any) -> list[EventRecord]:
    """Events of a statement (from `events_statement`), with their sources and the listings
    they are about."""
    rows = fetch(session, statement)
    sources = sources_by_id(session, (row.source_id for row in rows))
    listings = listing_refs(session, rows)
    others = _other_entities(session, rows)
    return [
        EventRecord(
            id=row.id,
            action=str(getattr(row.action, "value", row.action)),
            subject_type=str(getattr(row.subject_type, "value", row.subject_type)),
            subject_id=row.subject_id,
            entity=EntityRef(row.entity_key, row.entity_name) if row.entity_key else None,
            occurred_on=row.occurred_on,
            recorded_at=row.recorded_at,
            before=row.before,
            after=row.after,
            note=row.note,
            source=sources.get(row.source_id) if row.source_id else None,
            import_run=row.import_run_id,
            listing=listings.get(_listing_key(row)),
            other=others.get(_other_key(row) or ""),
        )
        for row in rows
    ]


def _other_key(row: Any) -> str | None:
    """The key of the other entity an event names: a response's responder, a link's other
    end (in `before` for an unlink)."""
    for values in (row.after, row.before):
        if isinstance(values, dict):
            key = values.get("responder") or values.get("linked_to")
            if isinstance(key, str):
                return key
    return None


def _other_entities(session: Session, rows: Sequence[Any]) -> dict[str, EntityRef]:
    """The other entities the events name, by key, fetched in bulk."""
    keys = sorted({key for row in rows if (key := _other_key(row)) is not None})
    return {
        key: EntityRef(key, name)
        for batch in in_chunks(keys)
        for key, name in session.connection().execute(
            sa.select(Entity.key, Entity.name).where(col(Entity.key).in_(batch))
        )
    }


def _listing_key(row: Any) -> tuple[str, int] | None:
    """The designation or sanction an event is about: its subject, or for a response the
    listing the response answers."""
    kind = str(getattr(row.subject_type, "value", row.subject_type))
    if kind in ("designation", "sanction"):
        return kind, row.subject_id
    if kind == "response" and row.after:
        for listing in ("designation", "sanction"):
            if isinstance(row.after.get(f"{listing}_id"), int):
                return listing, row.after[f"{listing}_id"]
    return None


def listing_refs(session: Session, rows: Sequence[Any]) -> dict[tuple[str, int], ListingRef]:
    """The designations and sanctions the events are about, fetched in bulk."""
    ids: dict[str, set[int]] = {"designation": set(), "sanction": set()}
    for row in rows:
        if (key := _listing_key(row)) is not None:
            ids[key[0]].add(key[1])
    found: dict[tuple[str, int], ListingRef] = {}
    connection = session.connection()
    for batch in in_chunks(ids["designation"]):
        for listing_id, authority, list_code, program in connection.execute(
            select(Designation.id, Authority.key, Designation.list_code, Designation.program)
            .join(Authority, Authority.id == Designation.authority_id)
            .where(col(Designation.id).in_(batch))
        ):
            found[("designation", listing_id)] = ListingRef(
                "designation", listing_id, authority, list_code, program
            )
    for batch in in_chunks(ids["sanction"]):
        for listing_id, authority, program, measure in connection.execute(
            select(Sanction.id, Authority.key, Sanction.program, Sanction.measure)
            .join(Authority, Authority.id == Sanction.authority_id)
            .where(col(Sanction.id).in_(batch))
        ):
            found[("sanction", listing_id)] = ListingRef(
                "sanction", listing_id, authority, None, program,
                str(getattr(measure, "value", measure)),
            )  # fmt: skip
    return found
