"""Recorded facts as records: an entity's whole profile, and the listings of entities,
designations, sanctions, responses, sources, authorities and import runs. Read-only."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from tracker.enums import EntityKind
from tracker.models import (
    SAME_TARGET,
    Alias,
    Authority,
    Designation,
    Entity,
    EntityLink,
    Event,
    Identifier,
    ImportRun,
    ListEntry,
    Response,
    Sanction,
    Source,
)
from tracker.records import (
    AliasRecord,
    AuthorityRecord,
    DesignationRecord,
    EntityProfile,
    EntityRecord,
    EntityRef,
    Filters,
    IdentifierRecord,
    ImportRunRecord,
    LinkedRecord,
    ListEntryRecord,
    Observed,
    ResponseRecord,
    SanctionRecord,
    SourceRef,
    Subject,
)
from tracker.reports.filters import FilterSql
from tracker.reports.listed import ENTRY_KEYS, listed_details
from tracker.reports.rows import (
    SOURCE_COLUMNS,
    citations,
    designation_records,
    event_records,
    events_statement,
    sanction_records,
    source_ref,
    sources_by_id,
)
from tracker.services.links import target_of

RECENT_EVENTS = 20


def entity_record(entity: Any) -> EntityRecord:
    return EntityRecord(
        entity.key, entity.name, EntityKind(entity.kind).value, entity.country, entity.description
    )


def entity_records(
    session: Session,
    *,
    kind: str | None = None,
    country: str | None = None,
    name: str | None = None,
    limit: int | None = None,
) -> list[EntityRecord]:
    """Entities by key; `name` matches any part of the name or an alias, ignoring case."""
    statement = select(Entity).order_by(Entity.key)
    sql = FilterSql(session, Filters(kind=kind, country=country))
    statement = statement.where(*sql.entities())
    if name:
        needle = name.lower()
        aliased_ids = select(Alias.entity_id).where(
            func.lower(Alias.name).contains(needle, autoescape=True)
        )
        statement = statement.where(
            func.lower(Entity.name).contains(needle, autoescape=True)
            | col(Entity.id).in_(aliased_ids)
        )
    if limit is not None:
        statement = statement.limit(limit)
    return [entity_record(entity) for entity in session.exec(statement)]


def designation_list(
    session: Session,
    *,
    day: str,
    entity: Entity | None = None,
    filters: Filters = Filters(),
    status: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[DesignationRecord]:
    conditions = FilterSql(session, filters).designations()
    if entity is not None:
        conditions.append(col(Designation.entity_id) == entity.id)
    if status is not None:
        conditions.append(col(Designation.status) == status)
    if ids is not None:
        conditions.append(col(Designation.id).in_(ids))
    return designation_records(session, day, conditions)


def sanction_list(
    session: Session,
    *,
    day: str,
    entity: Entity | None = None,
    filters: Filters = Filters(),
    measure: str | None = None,
    status: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[SanctionRecord]:
    conditions = FilterSql(session, filters).sanctions()
    if conditions is None:
        return []
    if entity is not None:
        conditions.append(col(Sanction.entity_id) == entity.id)
    if measure is not None:
        conditions.append(col(Sanction.measure) == measure)
    if status is not None:
        conditions.append(col(Sanction.status) == status)
    if ids is not None:
        conditions.append(col(Sanction.id).in_(ids))
    return sanction_records(session, day, conditions)


def responses_concerning(entity_id: int) -> ColumnElement[bool]:
    """Condition: the response is about the entity, or one of its designations or sanctions."""
    return (
        (col(Response.about_entity_id) == entity_id)
        | col(Response.designation_id).in_(
            select(Designation.id).where(Designation.entity_id == entity_id)
        )
        | col(Response.sanction_id).in_(select(Sanction.id).where(Sanction.entity_id == entity_id))
    )


def response_list(
    session: Session,
    *,
    responder: Entity | None = None,
    concerning: Sequence[int] = (),
    by_any_of: Sequence[int] = (),
    stance: str | None = None,
    ids: Sequence[int] | None = None,
    designation_id: int | None = None,
    sanction_id: int | None = None,
) -> list[ResponseRecord]:
    """Responses, oldest first: by a responder, concerning entities (by id), or either;
    or about one designation or sanction."""
    responder_entity = aliased(Entity)
    about = aliased(Entity)
    owner = aliased(Entity)
    owner_id = func.coalesce(Response.about_entity_id, Designation.entity_id, Sanction.entity_id)
    statement = (
        sa.select(
            Response.id, Response.designation_id, Response.sanction_id, Response.stance,
            Response.stated_on, Response.summary, responder_entity.key.label("responder_key"),
            responder_entity.name.label("responder_name"), about.key.label("about_key"),
            owner.key.label("owner_key"), owner.name.label("owner_name"),
        )
        .join(responder_entity, responder_entity.id == Response.responder_id)
        .outerjoin(about, about.id == Response.about_entity_id)
        .outerjoin(Designation, Designation.id == Response.designation_id)
        .outerjoin(Sanction, Sanction.id == Response.sanction_id)
        .outerjoin(owner, owner.id == owner_id)
        .order_by(Response.stated_on, Response.id)
    )  # fmt: skip
    if responder is not None:
        statement = statement.where(Response.responder_id == responder.id)
    if designation_id is not None:
        statement = statement.where(Response.designation_id == designation_id)
    if sanction_id is not None:
        statement = statement.where(Response.sanction_id == sanction_id)
    if concerning or by_any_of:
        statement = statement.where(
            or_(
                *(responses_concerning(entity_id) for entity_id in concerning),
                col(Response.responder_id).in_(by_any_of),
            )
        )
    if stance is not None:
        statement = statement.where(Response.stance == stance)
    if ids is not None:
        statement = statement.where(col(Response.id).in_(ids))
    rows = list(session.connection().execute(statement))
    cited = citations(session, "response_id", [row.id for row in rows])
    return [
        ResponseRecord(
            id=row.id,
            responder=EntityRef(row.responder_key, row.responder_name),
            about=(
                Subject("designation", id=row.designation_id)
                if row.designation_id is not None
                else Subject("sanction", id=row.sanction_id)
                if row.sanction_id is not None
                else Subject("entity", key=row.about_key)
            ),
            entity=EntityRef(row.owner_key, row.owner_name),
            stance=row.stance.value,
            stated_on=row.stated_on,
            summary=row.summary,
            sources=cited.get(row.id, ()),
        )
        for row in rows
    ]


def source_list(session: Session, *, ids: Sequence[int] | None = None) -> list[SourceRef]:
    statement = sa.select(*SOURCE_COLUMNS).order_by(Source.id)
    if ids is not None:
        statement = statement.where(col(Source.id).in_(ids))
    return [source_ref(row) for row in session.connection().execute(statement)]


def authority_list(session: Session) -> list[AuthorityRecord]:
    return [
        AuthorityRecord(
            authority.key, authority.name, authority.jurisdiction, authority.description
        )
        for authority in session.exec(select(Authority).order_by(Authority.key))
    ]


def import_run_list(session: Session) -> list[ImportRunRecord]:
    runs = list(session.exec(select(ImportRun).order_by(col(ImportRun.id).desc())))
    sources = sources_by_id(session, (run.source_id for run in runs))
    return [
        ImportRunRecord(
            id=run.id or 0,
            format=run.format,
            list_key=run.list_key,
            list=run.list_code,
            file_name=run.file_name,
            sha256=run.sha256,
            published_on=run.published_on,
            started_at=run.started_at,
            complete=run.complete,
            added=run.added,
            changed=run.changed,
            removed=run.removed,
            unchanged=run.unchanged,
            source=sources.get(run.source_id or 0),
        )
        for run in runs
    ]


def _links(session: Session, entity: Entity) -> list[LinkedRecord]:
    """Same-target links (direct or through others), then relationships lists state."""
    links = [
        LinkedRecord(SAME_TARGET, EntityRef(other.entity.key, other.entity.name),
                     other.linked_at, other.note)
        for other in target_of(session, entity)
    ]  # fmt: skip
    first, second = aliased(Entity), aliased(Entity)
    rows = session.connection().execute(
        sa.select(EntityLink.relation, EntityLink.linked_at, EntityLink.note,
                  EntityLink.entity_id, first.key, first.name, second.key, second.name)
        .join(first, first.id == EntityLink.entity_id)
        .join(second, second.id == EntityLink.linked_entity_id)
        .where(EntityLink.relation != SAME_TARGET,
               or_(EntityLink.entity_id == entity.id, EntityLink.linked_entity_id == entity.id))
        .order_by(EntityLink.id)
    )  # fmt: skip
    for relation, linked_at, note, subject, key1, name1, key2, name2 in rows:
        outgoing = subject == entity.id
        other = EntityRef(key2, name2) if outgoing else EntityRef(key1, name1)
        links.append(LinkedRecord(relation, other, linked_at.date().isoformat(), note, outgoing))
    return links


def _list_entries(session: Session, entity_id: int) -> list[ListEntryRecord]:
    entries = list(
        session.exec(
            select(ListEntry).where(ListEntry.entity_id == entity_id).order_by(ListEntry.id)
        )
    )
    latest = _latest_editions(session, entries)
    sources = sources_by_id(session, [*(e.source_id for e in entries), *latest.values()])
    return [
        ListEntryRecord(
            list=entry.list_key,
            identifier=entry.identifier,
            observed=Observed(entry.first_seen_on, entry.last_seen_on, entry.removed_on),
            says={k: v for k, v in entry.content.items() if k not in ENTRY_KEYS},
            first_source=sources.get(entry.source_id or 0),
            name=entry.content.get("name"),
            programs=tuple(entry.content.get("programs", ())),
            details=listed_details(entry.content),
            last_source=sources.get(latest.get((entry.list_key, entry.last_seen_on)) or 0),
        )
        for entry in entries
    ]


def _latest_editions(
    session: Session, entries: Sequence[ListEntry]
) -> dict[tuple[str, str | None], int | None]:
    """(list, publish date) -> the source of the edition of that list published that day
    (the latest imported, if several were): the edition an entry was last seen in."""
    wanted = {(entry.list_key, entry.last_seen_on) for entry in entries if entry.last_seen_on}
    if not wanted:
        return {}
    rows = session.connection().execute(
        sa.select(ImportRun.list_key, ImportRun.published_on, ImportRun.source_id)
        .where(col(ImportRun.list_key).in_(sorted({key for key, _ in wanted})),
               col(ImportRun.published_on).in_(sorted({day for _, day in wanted})))
        .order_by(ImportRun.id)
    )  # fmt: skip
    return {(key, day): source_id for key, day, source_id in rows}


def entity_profile(session: Session, entity: Entity, day: str) -> EntityProfile:
    """Everything known about one entity; designations, sanctions and responses of the whole
    target (the entity and those linked to it as the same target)."""
    assert entity.id is not None
    target_ids = [entity.id, *(other.entity.id for other in target_of(session, entity))]
    aliases = session.exec(select(Alias).where(Alias.entity_id == entity.id).order_by(Alias.id))
    identifiers = session.exec(
        select(Identifier)
        .where(Identifier.entity_id == entity.id)
        .order_by(Identifier.scheme, Identifier.value)
    )
    recent = (
        events_statement()
        .where(Event.entity_id == entity.id)
        .order_by(col(Event.id).desc())
        .limit(RECENT_EVENTS)
    )
    return EntityProfile(
        entity=entity_record(entity),
        aliases=tuple(AliasRecord(a.name, a.kind.value, a.language, a.script) for a in aliases),
        identifiers=tuple(IdentifierRecord(i.scheme, i.value) for i in identifiers),
        links=tuple(_links(session, entity)),
        designations=tuple(
            designation_records(session, day, [col(Designation.entity_id).in_(target_ids)])
        ),
        sanctions=tuple(sanction_records(session, day, [col(Sanction.entity_id).in_(target_ids)])),
        responses=tuple(response_list(session, concerning=target_ids, by_any_of=target_ids)),
        lists=tuple(_list_entries(session, entity.id)),
        events=tuple(event_records(session, recent)),
    )
