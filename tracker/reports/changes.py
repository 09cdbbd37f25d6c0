""" "What changed between A and B" and "the whole story of this entity": reports on events.

Changes are selected by real-world date (`occurred_on`, valid time) or, with
`recorded_since`, by when the database learned them (`recorded_at`, transaction time).
"""

import datetime as dt

from sqlalchemy import or_
from sqlmodel import Session, col

from tracker.dates import window_start
from tracker.enums import COSMETIC_NOTE
from tracker.gc_pause import without_collector_pauses
from tracker.models import Entity, Event
from tracker.records import ChangesReport, EntityRef, Filters, Timeline
from tracker.reports.filters import FilterSql
from tracker.reports.rows import event_records, events_statement


@without_collector_pauses
def changes_report(
    session: Session,
    *,
    since: str | None,
    until: str,
    recorded_since: dt.datetime | None = None,
    filters: Filters = Filters(),
    hide_cosmetic: bool = False,
) -> ChangesReport:
    """Events whose real-world date lies in [since, until] (or recorded since a moment)."""
    statement = events_statement()
    if recorded_since is not None:
        statement = statement.where(col(Event.recorded_at) >= recorded_since).order_by(
            Event.recorded_at, Event.id
        )
    else:
        assert since is not None
        statement = statement.where(
            col(Event.occurred_on) >= window_start(since), col(Event.occurred_on) <= until
        ).order_by(Event.occurred_on, Event.id)
    if hide_cosmetic:
        statement = statement.where(
            or_(col(Event.note).is_(None), col(Event.note) != COSMETIC_NOTE)
        )
    statement = statement.where(*FilterSql(session, filters).events())
    return ChangesReport(
        since=since if recorded_since is None else None,
        until=until if recorded_since is None else None,
        recorded_since=recorded_since,
        filters=filters,
        hide_cosmetic=hide_cosmetic,
        changes=tuple(event_records(session, statement)),
    )


def timeline_report(session: Session, *, entity: Entity) -> Timeline:
    """Everything that happened to one entity, oldest first (undated records first)."""
    statement = (
        events_statement()
        .where(Event.entity_id == entity.id)
        .order_by(col(Event.occurred_on).is_not(None), Event.occurred_on, Event.id)
    )
    return Timeline(
        entity=EntityRef(entity.key, entity.name), events=tuple(event_records(session, statement))
    )
