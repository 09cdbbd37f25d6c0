"""Listings of recorded facts (entities, designations, sanctions, responses, sources).

Read-only: these build `Report`s for the recording commands' `list` and `show` output.
"""

import functools
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tracker.batching import batched
from tracker.dates import PartialDate
from tracker.enums import DesignationStatus, SanctionStatus
from tracker.models import (
    Alias,
    Authority,
    Citation,
    Designation,
    Entity,
    Event,
    Identifier,
    ListEntry,
    Response,
    Sanction,
    Source,
)
from tracker.reports.render import Report, Section, columns
from tracker.services.entities import entity_record
from tracker.services.links import target_of
from tracker.status import designation_since, designation_status, sanction_since, sanction_status

RECENT_EVENTS = 20

ENTITY_COLUMNS = columns(("key", "key"), ("name", "name"), ("kind", "kind"), ("country", "country"))
DESIGNATION_COLUMNS = columns(
    ("id", "id"),
    ("entity", "entity"),
    ("authority", "authority"),
    ("list", "list"),
    ("program", "program"),
    ("announced_on", "announced"),
    ("effective_on", "effective"),
    ("ended_on", "ended"),
    ("seen", "seen in editions"),
    ("status", "status"),
    ("sources", "sources"),
)
SANCTION_COLUMNS = columns(
    ("id", "id"),
    ("entity", "target"),
    ("authority", "authority"),
    ("measure", "measure"),
    ("program", "program"),
    ("start_on", "from"),
    ("end_on", "until"),
    ("seen", "seen in editions"),
    ("status", "status"),
    ("sources", "sources"),
)
RESPONSE_COLUMNS = columns(
    ("id", "id"),
    ("responder", "by"),
    ("about", "about"),
    ("stance", "stance"),
    ("stated_on", "on"),
    ("summary", "summary"),
    ("sources", "sources"),
)
SOURCE_COLUMNS = columns(
    ("id", "id"),
    ("title", "title"),
    ("publisher", "publisher"),
    ("url", "url"),
    ("document_number", "document"),
    ("published_on", "published"),
)
EVENT_COLUMNS = columns(
    ("id", "id"),
    ("occurred_on", "occurred"),
    ("action", "action"),
    ("subject", "subject"),
    ("after", "change"),
    ("source", "source"),
    ("recorded_at", "recorded"),
)


def designation_label(authority: str, list_code: str, program: str | None) -> str:
    """'us-state FTO', 'us-ofac SDN SDGT' (the program only when it says more than the list)."""
    return " ".join(
        [authority, list_code] + ([program] if program and program != list_code else [])
    )


def source_label(source: Source) -> str:
    """How a source is named in a report: its URL, or for a list edition (whose URL every
    edition shares) its title."""
    if source.sha256 is not None or not source.url:
        return source.title
    return source.url


def seen_text(first: str | None, last: str | None, removed: str | None) -> str | None:
    """What the editions showed, in words: 'first seen 2022-06-17, last seen 2022-06-28,
    gone 2023-01-05' (None for a listing no import saw)."""
    if first is None:
        return None
    text = f"first seen {first}"
    if last and last != first:
        text += f", last seen {last}"
    if removed:
        text += f", gone {removed}"
    return text


def observed(listing: Any) -> dict[str, Any]:
    """A listing's observed dates, as JSON shows them."""
    return {
        "first_seen_on": listing.first_seen_on,
        "last_seen_on": listing.last_seen_on,
        "removed_on": listing.removed_on,
        "seen": seen_text(listing.first_seen_on, listing.last_seen_on, listing.removed_on),
    }


P = ParamSpec("P")
R = TypeVar("R")


def bulk_build(build: Callable[P, R]) -> Callable[P, R]:
    """Pause the cyclic garbage collector while a report builds its rows.

    A large report creates hundreds of thousands of small dicts and lists that all stay alive;
    the collector would rescan them again and again for cycles there are none of (measured:
    a third of a 300,000-row status report's time). It is restored however the build ends.
    """

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


IN_CHUNK = 10_000  # ids per IN (...) list: SQLite refuses statements with over 32,766 parameters


def chunked(ids: Iterable[int]) -> Iterator[list[int]]:
    """The ids in lists short enough for one IN (...) on every engine."""
    return batched(ids, IN_CHUNK)


def citations_for(session: Session, field: str, ids: Sequence[int]) -> dict[int, list[str]]:
    """Source labels per fact id, in one query for all the ids."""
    if not ids:
        return {}
    fact_id = getattr(Citation, field)
    labels: dict[int, list[str]] = defaultdict(list)
    for batch in chunked(ids):
        rows = session.exec(
            select(fact_id, Source)
            .join(Source, Source.id == Citation.source_id)
            .where(col(fact_id).in_(batch))
            .order_by(Citation.id)
        )
        for owner, source in rows:
            labels[owner].append(source_label(source))
    return labels


def _today() -> str:
    return str(PartialDate.today())


def designation_rows(session: Session, statement_filter: Any = None) -> list[dict[str, Any]]:
    statement = (
        select(Designation, Entity.key, Authority.key)
        .join(Entity, Entity.id == Designation.entity_id)
        .join(Authority, Authority.id == Designation.authority_id)
        .order_by(Designation.id)
    )
    if statement_filter is not None:
        statement = statement_filter(statement)
    results = list(session.exec(statement))
    sources = citations_for(session, "designation_id", [d.id for d, _, _ in results if d.id])
    today = _today()
    rows = []
    for designation, entity_key, authority_key in results:
        status_today = designation_status(designation, today)
        since = designation_since(designation)
        rows.append(
            {
                "id": designation.id,
                "entity": entity_key,
                "authority": authority_key,
                "list": designation.list_code,
                "program": designation.program,
                "legal_basis": designation.legal_basis,
                "announced_on": designation.announced_on,
                "effective_on": designation.effective_on,
                "ended_on": designation.ended_on,
                **observed(designation),
                "since": since.day,
                "since_stated": since.stated,
                "status": (status_today or DesignationStatus.PENDING).value,
                "recorded_status": DesignationStatus(designation.status).value,
                "status_text": designation.status_text,
                "reason": designation.reason,
                "notes": designation.notes,
                "record_id": designation.record_id,
                "sources": sources.get(designation.id or 0, []),
            }
        )
    return rows


def sanction_rows(session: Session, statement_filter: Any = None) -> list[dict[str, Any]]:
    statement = (
        select(Sanction, Entity.key, Authority.key)
        .join(Entity, Entity.id == Sanction.entity_id)
        .join(Authority, Authority.id == Sanction.authority_id)
        .order_by(Sanction.id)
    )
    if statement_filter is not None:
        statement = statement_filter(statement)
    results = list(session.exec(statement))
    sources = citations_for(session, "sanction_id", [s.id for s, _, _ in results if s.id])
    today = _today()
    return [
        {
            "id": sanction.id,
            "entity": entity_key,
            "authority": authority_key,
            "measure": sanction.measure.value,
            "program": sanction.program,
            "legal_basis": sanction.legal_basis,
            "start_on": sanction.start_on,
            "end_on": sanction.end_on,
            **observed(sanction),
            "since": sanction_since(sanction).day,
            "since_stated": sanction_since(sanction).stated,
            "status": (sanction_status(sanction, today) or SanctionStatus.ACTIVE).value,
            "recorded_status": SanctionStatus(sanction.status).value,
            "notes": sanction.notes,
            "record_id": sanction.record_id,
            "sources": sources.get(sanction.id or 0, []),
        }
        for sanction, entity_key, authority_key in results
    ]


def response_rows(session: Session, statement_filter: Any = None) -> list[dict[str, Any]]:
    responder = aliased(Entity)
    about = aliased(Entity)
    statement = (
        select(Response, responder.key, about.key)
        .join(responder, responder.id == Response.responder_id)
        .outerjoin(about, about.id == Response.about_entity_id)
        .order_by(Response.stated_on, Response.id)
    )
    if statement_filter is not None:
        statement = statement_filter(statement)
    results = list(session.exec(statement))
    sources = citations_for(session, "response_id", [r.id for r, _, _ in results if r.id])
    rows = []
    for response, responder_key, about_key in results:
        if response.designation_id is not None:
            subject = f"designation:{response.designation_id}"
        elif response.sanction_id is not None:
            subject = f"sanction:{response.sanction_id}"
        else:
            subject = f"entity:{about_key}"
        rows.append(
            {
                "id": response.id,
                "responder": responder_key,
                "about": subject,
                "stance": response.stance.value,
                "stated_on": response.stated_on,
                "summary": response.summary,
                "sources": sources.get(response.id or 0, []),
            }
        )
    return rows


def source_row(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "document_number": source.document_number,
        "published_on": source.published_on,
    }


def event_row(event: Event, sources: dict[int, str]) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_on": event.occurred_on,
        "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
        "action": event.action.value,
        "subject": f"{event.subject_type.value}:{event.subject_id}",
        "before": event.before,
        "after": event.after,
        "source": sources.get(event.source_id) if event.source_id else None,
        "import_run": event.import_run_id,
    }


def source_labels(session: Session, source_ids: Iterable[int | None]) -> dict[int, str]:
    """Source id -> how reports name it, for every id given."""
    wanted = {source_id for source_id in source_ids if source_id}
    return {
        source.id: source_label(source)
        for batch in chunked(wanted)
        for source in session.exec(select(Source).where(col(Source.id).in_(batch)))
        if source.id is not None
    }


LISTED_KEYS = {"name", "kind", "programs", "aliases", "listings"}  # shown in their own sections


def list_entry_rows(session: Session, entity_id: int) -> list[dict[str, Any]]:
    """What each imported list says of the entity, with which editions showed it."""
    entries = list(
        session.exec(
            select(ListEntry).where(ListEntry.entity_id == entity_id).order_by(ListEntry.id)
        )
    )
    sources = source_labels(session, (entry.source_id for entry in entries))
    return [
        {
            "list": entry.list_key,
            "identifier": entry.identifier,
            **observed(entry),
            "says": {k: v for k, v in entry.content.items() if k not in LISTED_KEYS},
            "first_source": sources.get(entry.source_id or 0),
        }
        for entry in entries
    ]


def responses_concerning(entity_id: int) -> ColumnElement[bool]:
    """Condition: the response is about the entity, or one of its designations or sanctions."""
    return (
        (col(Response.about_entity_id) == entity_id)
        | col(Response.designation_id).in_(
            select(Designation.id).where(Designation.entity_id == entity_id)
        )
        | col(Response.sanction_id).in_(select(Sanction.id).where(Sanction.entity_id == entity_id))
    )


def entity_list_report(entities: list[Entity]) -> Report:
    return Report(
        kind="entities",
        title="Entities",
        sections=[
            Section("entities", "Entities", ENTITY_COLUMNS, [entity_record(e) for e in entities])
        ],
        empty_message="no entities matched",
    )


def entity_report(session: Session, entity: Entity) -> Report:
    """Everything known about one entity, and about the entities linked to it as the same
    target: their designations, sanctions and responses are listed with its own."""
    linked = target_of(session, entity)
    target_ids = [entity.id, *(other.entity.id for other in linked)]
    aliases = session.exec(select(Alias).where(Alias.entity_id == entity.id).order_by(Alias.id))
    identifiers = session.exec(
        select(Identifier)
        .where(Identifier.entity_id == entity.id)
        .order_by(Identifier.scheme, Identifier.value)
    )
    assert entity.id is not None
    concerning = or_(
        *(responses_concerning(i) | (col(Response.responder_id) == i) for i in target_ids)
    )
    events = list(
        session.exec(
            select(Event)
            .where(Event.entity_id == entity.id)
            .order_by(col(Event.id).desc())
            .limit(RECENT_EVENTS)
        )
    )
    event_sources = source_labels(session, (event.source_id for event in events))
    return Report(
        kind="entity",
        title=f"{entity.name} ({entity.key})",
        sections=[
            Section(
                "entity",
                "Entity",
                columns(*((k, k) for k in entity_record(entity))),
                [entity_record(entity)],
                single=True,
            ),
            Section(
                "aliases",
                "Aliases",
                columns(
                    ("name", "name"),
                    ("kind", "kind"),
                    ("language", "language"),
                    ("script", "script"),
                ),
                [
                    {
                        "name": a.name,
                        "kind": a.kind.value,
                        "language": a.language,
                        "script": a.script,
                    }
                    for a in aliases
                ],
            ),
            Section(
                "identifiers",
                "Identifiers",
                columns(("scheme", "scheme"), ("value", "value")),
                [{"scheme": i.scheme, "value": i.value} for i in identifiers],
            ),
            Section(
                "same_target",
                "Same target (linked)",
                columns(
                    ("key", "key"), ("name", "name"), ("linked_on", "linked on"), ("note", "note")
                ),
                [
                    {
                        "key": other.entity.key,
                        "name": other.entity.name,
                        "linked_on": other.linked_at,
                        "note": other.note,
                    }
                    for other in linked
                ],
            ),
            Section(
                "designations",
                "Designations",
                DESIGNATION_COLUMNS,
                designation_rows(
                    session, lambda s: s.where(col(Designation.entity_id).in_(target_ids))
                ),
            ),
            Section(
                "sanctions",
                "Sanctions",
                SANCTION_COLUMNS,
                sanction_rows(session, lambda s: s.where(col(Sanction.entity_id).in_(target_ids))),
            ),
            Section(
                "responses",
                "Responses",
                RESPONSE_COLUMNS,
                response_rows(session, lambda s: s.where(concerning)),
            ),
            Section(
                "lists",
                "On imported lists",
                columns(
                    ("list", "list"),
                    ("identifier", "identifier"),
                    ("seen", "seen"),
                    ("says", "what the list says"),
                    ("first_source", "first seen in"),
                ),
                list_entry_rows(session, entity.id),
            ),
            Section(
                "events",
                "Recent events",
                EVENT_COLUMNS,
                [event_row(e, event_sources) for e in events],
            ),
        ],
    )
