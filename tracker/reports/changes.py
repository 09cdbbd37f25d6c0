""" "What changed between A and B" and "the whole story of this entity": reports on events.

Changes are selected by real-world date (`occurred_on`, valid time) or, with
`recorded_since`, by when the database learned them (`recorded_at`, transaction time).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_
from sqlmodel import Session, col, select

from tracker.dates import window_start
from tracker.enums import COSMETIC_NOTE, EventAction, SubjectType
from tracker.models import Authority, Designation, Entity, Event, Response, Sanction, Source
from tracker.reports.chart import MAX_MARKS, Mark
from tracker.reports.filters import ReportFilters
from tracker.reports.records import bulk_build, chunked, designation_label, source_label
from tracker.reports.render import Report, Section, columns
from tracker.services.lookup import authority_by_key

CHANGE_COLUMNS = columns(
    ("occurred_on", "date"),
    ("action", "change"),
    ("entity", "entity"),
    ("detail", "detail"),
    ("source", "source"),
)


def _designation_matches(filters: ReportFilters, authority_id: int | None) -> Any:
    statement = select(Designation.id)
    if authority_id is not None:
        statement = statement.where(Designation.authority_id == authority_id)
    if filters.list_code:
        statement = statement.where(Designation.list_code == filters.list_code)
    if filters.program:
        statement = statement.where(Designation.program == filters.program)
    return statement


def _sanction_matches(filters: ReportFilters, authority_id: int | None) -> Any:
    statement = select(Sanction.id)
    if authority_id is not None:
        statement = statement.where(Sanction.authority_id == authority_id)
    if filters.program:
        statement = statement.where(Sanction.program == filters.program)
    return statement


def _subject_condition(filters: ReportFilters, authority_id: int | None) -> ColumnElement[bool]:
    """Events about matching designations / sanctions, or responses to them."""
    designations = _designation_matches(filters, authority_id)
    subject_is = [
        (col(Event.subject_type) == SubjectType.DESIGNATION)
        & col(Event.subject_id).in_(designations),
        (col(Event.subject_type) == SubjectType.RESPONSE)
        & col(Event.subject_id).in_(
            select(Response.id).where(col(Response.designation_id).in_(designations))
        ),
    ]
    if not filters.list_code:  # sanctions are on no list
        sanctions = _sanction_matches(filters, authority_id)
        subject_is += [
            (col(Event.subject_type) == SubjectType.SANCTION)
            & col(Event.subject_id).in_(sanctions),
            (col(Event.subject_type) == SubjectType.RESPONSE)
            & col(Event.subject_id).in_(
                select(Response.id).where(col(Response.sanction_id).in_(sanctions))
            ),
        ]
    return or_(false(), *subject_is)


@dataclass(frozen=True)
class _Subject:
    """Who acted on an event's designation or sanction, and how to name it."""

    authority: str
    label: str


def _subjects(session: Session, events: list[Any]) -> dict[tuple[SubjectType, int], _Subject]:
    """The designations and sanctions the events are about, fetched in bulk."""
    ids: dict[SubjectType, set[int]] = {kind: set() for kind in SubjectType}
    for event in events:
        ids[event.subject_type].add(event.subject_id)
    labels: dict[tuple[SubjectType, int], _Subject] = {}
    for batch in chunked(ids[SubjectType.DESIGNATION]):
        for designation_id, authority_key, list_code, program in session.exec(
            select(Designation.id, Authority.key, Designation.list_code, Designation.program)
            .join(Authority, Authority.id == Designation.authority_id)
            .where(col(Designation.id).in_(batch))
        ):
            label = designation_label(authority_key, list_code, program)
            labels[(SubjectType.DESIGNATION, designation_id)] = _Subject(authority_key, label)
    for batch in chunked(ids[SubjectType.SANCTION]):
        for sanction_id, authority_key, measure in session.exec(
            select(Sanction.id, Authority.key, Sanction.measure)
            .join(Authority, Authority.id == Sanction.authority_id)
            .where(col(Sanction.id).in_(batch))
        ):
            labels[(SubjectType.SANCTION, sanction_id)] = _Subject(
                authority_key, f"{authority_key} {measure.value}"
            )
    return labels


DETAIL_VALUE_LENGTH = 80  # the full values are in the JSON before / after


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= DETAIL_VALUE_LENGTH else text[: DETAIL_VALUE_LENGTH - 1] + "…"


def _differences(before: Any, after: Any, path: str) -> list[str]:
    """'field: old -> new' for each changed leaf (dicts are compared key by key)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            line
            for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)
            for line in _differences(before.get(key), after.get(key), f"{path}.{key}")
        ]
    return [f"{path}: {_short(before)} -> {_short(after)}"]


def _changed(event: Any) -> str:
    before = event.before or {}
    return "; ".join(
        line
        for field, value in (event.after or {}).items()
        for line in _differences(before.get(field), value, field)
    )


def describe(event: Any, label: str | None) -> str:
    """One line saying what the event did, in words (`event`: an Event or a row of its columns).

    What a source stated reads as a fact ("listed", "revoked"); what an import only observed
    reads as a sighting ("first seen in the edition of 2022-06-17", "gone from the edition of
    2022-06-28"), never as a listing or delisting date.
    """
    after = event.after or {}
    subject = label or (
        "listing" if event.subject_type == SubjectType.ENTITY else f"{event.subject_type.value}"
    )
    match event.action:
        case EventAction.LISTED if event.subject_type == SubjectType.ENTITY:
            listed = after.get("list_code")
            return f"on the {listed} list (first seen in the edition of {event.occurred_on})"
        case EventAction.LISTED | EventAction.IMPOSED:
            return _made(event.action, subject, after)
        case EventAction.EFFECTIVE:
            return f"{subject} in force"
        case EventAction.AMENDED if event.note == COSMETIC_NOTE:
            return f"{subject} amended (cosmetic): {_changed(event)}"
        case EventAction.AMENDED if event.note and "amendment" not in after:
            return f"{subject} amended ({event.note}): {_changed(event)}"
        case EventAction.AMENDED:
            return f"{subject} amended: " + (event.note or _changed(event))
        case EventAction.DELISTED if (
            after.get("removed_on") or event.subject_type == SubjectType.ENTITY
        ):
            return (
                f"{subject} gone from the edition of {event.occurred_on} (observed; no date stated)"
            )
        case EventAction.REVOKED | EventAction.DELISTED:
            reason = after.get("reason")
            verb = "revoked" if event.action == EventAction.REVOKED else "delisted"
            return f"{subject} {verb}" + (f": {reason}" if reason else "")
        case EventAction.LIFTED:
            return f"{subject} lifted"
        case EventAction.RESPONDED:
            return f"{after.get('responder')} {after.get('stance')}: {after.get('summary')}"
        case EventAction.ALIAS_ADDED:
            return f"alias {after.get('name')!r} added"
        case EventAction.IDENTIFIER_ADDED:
            return f"identifier {after.get('scheme')}:{after.get('value')} added"
        case EventAction.ENTITY_ADDED:
            return f"entity recorded: {after.get('name')}"
        case EventAction.AUTHORITY_ADDED:
            return f"authority recorded: {after.get('name')} ({after.get('key')})"
        case EventAction.LINKED if after.get("relation"):
            return f"{after['relation']} {after.get('linked_to')}"
        case EventAction.ENTITY_EDITED:
            return "edited: " + _changed(event)
        case _:
            return f"{event.action.value} {subject}"


def _made(action: EventAction, subject: str, after: dict[str, Any]) -> str:
    """A new listing: announced, listed or imposed as its source states, or first seen."""
    basis = f" under {after['legal_basis']}" if after.get("legal_basis") else ""
    announced = after.get("announced_on")
    stated = announced or after.get("effective_on") or after.get("start_on")
    if not stated and after.get("first_seen_on"):
        return f"{subject} first seen in the edition of {after['first_seen_on']}{basis}"
    if action == EventAction.IMPOSED:
        return f"{subject} imposed{basis}"
    pending = announced and after.get("effective_on") != announced
    return f"{subject} {'announced' if pending else 'listed'}{basis}"


def _mark(event: Any, subject: _Subject | None, detail: str) -> Mark:
    """How the event appears on the timeline chart."""
    after = event.after or {}
    if event.action == EventAction.RESPONDED:
        responder = str(after.get("responder"))
        return Mark(
            event.occurred_on or "", responder, str(after.get("stance")), "response", detail
        )
    if subject is not None:
        shape = "sanction" if event.subject_type == SubjectType.SANCTION else "designation"
        return Mark(event.occurred_on or "", subject.authority, subject.authority, shape, detail)
    return Mark(event.occurred_on or "", "records", "records", "other", detail)


def _event_rows(session: Session, statement: Any) -> tuple[list[dict[str, Any]], list[Mark]]:
    """Rows describing each event, and the chart marks of the dated ones."""
    # Plain rows, not ORM objects: a year of changes can be tens of thousands of events.
    events = list(session.connection().execute(statement))
    subjects = _subjects(session, events)
    source_ids = {event.source_id for event in events if event.source_id}
    sources = {
        source.id: source_label(source)
        for batch in chunked(source_ids)
        for source in session.exec(select(Source).where(col(Source.id).in_(batch)))
    }
    rows = []
    dated = []
    for event in events:
        entity_key, entity_name = event.entity_key, event.entity_name
        subject = subjects.get((event.subject_type, event.subject_id))
        detail = describe(event, subject.label if subject else None)
        if event.occurred_on:
            dated.append((event, subject, f"{entity_key or ''} {detail}".strip()))
        rows.append(
            {
                "event_id": event.id,
                "occurred_on": event.occurred_on,
                "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
                "recorded_day": event.recorded_at.date().isoformat(),
                "action": event.action.value,
                "entity": entity_key,
                "entity_name": entity_name,
                "subject": f"{event.subject_type.value}:{event.subject_id}",
                "detail": detail,
                "before": event.before,
                "after": event.after,
                "source": sources.get(event.source_id) if event.source_id else None,
            }
        )
    marks = [_mark(*args) for args in dated] if len(dated) <= MAX_MARKS else []
    return rows, marks


def _base_statement() -> Any:
    return select(
        *Event.__table__.columns,  # type: ignore[attr-defined]
        col(Entity.key).label("entity_key"),
        col(Entity.name).label("entity_name"),
    ).outerjoin(Entity, Entity.id == Event.entity_id)


@bulk_build
def changes_report(
    session: Session,
    *,
    since: str | None,
    until: str,
    recorded_since: dt.datetime | None = None,
    filters: ReportFilters = ReportFilters(),
    hide_cosmetic: bool = False,
) -> Report:
    """Events whose real-world date lies in [since, until] (or recorded since a moment)."""
    statement = _base_statement()
    if recorded_since is not None:
        statement = statement.where(col(Event.recorded_at) >= recorded_since).order_by(
            Event.recorded_at, Event.id
        )
        title = f"Changes recorded since {recorded_since.isoformat(timespec='seconds')}"
    else:
        assert since is not None
        statement = statement.where(
            col(Event.occurred_on) >= window_start(since), col(Event.occurred_on) <= until
        ).order_by(Event.occurred_on, Event.id)
        title = f"Changes from {since} to {until}"
    if hide_cosmetic:
        statement = statement.where(
            or_(col(Event.note).is_(None), col(Event.note) != COSMETIC_NOTE)
        )
    if filters.country:
        statement = statement.where(col(Entity.country) == filters.country.upper())
    if filters.kind:
        statement = statement.where(col(Entity.kind) == filters.kind)
    if filters.authority or filters.list_code or filters.program:
        authority_id = (
            authority_by_key(session, filters.authority).id if filters.authority else None
        )
        statement = statement.where(_subject_condition(filters, authority_id))
    rows, marks = _event_rows(session, statement)
    meta: dict[str, Any] = {"since": since, "until": until}
    if recorded_since is not None:
        meta = {"recorded_since": recorded_since.isoformat()}
    meta["filters"] = filters.given()
    return Report(
        kind="changes",
        title=title,
        meta=meta,
        sections=[
            Section(
                "changes",
                "Changes",
                CHANGE_COLUMNS,
                rows,
                group_by="recorded_day" if recorded_since is not None else "occurred_on",
            )
        ],
        empty_message="no changes matched",
        marks=marks,
    )


@bulk_build
def timeline_report(session: Session, *, entity: Entity) -> Report:
    """Everything that happened to one entity, oldest first (undated records first)."""
    statement = (
        _base_statement()
        .where(Event.entity_id == entity.id)
        .order_by(col(Event.occurred_on).is_not(None), Event.occurred_on, Event.id)
    )
    rows, marks = _event_rows(session, statement)
    return Report(
        kind="timeline",
        title=f"Timeline of {entity.name} ({entity.key})",
        meta={"entity": entity.key, "name": entity.name},
        sections=[
            Section(
                "events",
                "Timeline",
                columns(
                    ("occurred_on", "date"),
                    ("action", "change"),
                    ("detail", "detail"),
                    ("source", "source"),
                ),
                rows,
            )
        ],
        empty_message=f"nothing recorded about {entity.key}",
        marks=marks,
    )
