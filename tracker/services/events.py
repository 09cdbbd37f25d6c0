"""Writing the change log. Events are appended, never edited.

One builder (`event_row`) makes every event, whether a person typed the fact or an import
read it from a list, so the two are recorded in the same shape; `insert_events` writes any
number of them in one statement.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from tracker.enums import EventAction, SubjectType
from tracker.models import Event, utc_now
from tracker.services.core import core, insert_rows

EventRow = dict[str, Any]


def event_row(
    *,
    action: EventAction,
    subject_type: SubjectType,
    subject_id: int,
    entity_id: int | None,
    occurred_on: str | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    source_id: int | None = None,
    import_run_id: int | None = None,
    note: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> EventRow:
    """One event, as the row `insert_events` writes."""
    return {
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "entity_id": entity_id,
        "occurred_on": occurred_on,
        "recorded_at": recorded_at or utc_now(),
        "before": before,
        "after": after,
        "source_id": source_id,
        "import_run_id": import_run_id,
        "note": note,
    }


def insert_events(*, session: Session, events: Sequence[EventRow]) -> None:
    if events:
        insert_rows(core(session), Event.__table__, list(events))  # type: ignore[attr-defined]


def record_event(*, session: Session, **fields: Any) -> None:
    """Append one event (`fields` as `event_row` takes them)."""
    insert_events(session=session, events=[event_row(**fields)])


def changed_fields(
    current: dict[str, Any], proposed: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) for exactly the fields of `proposed` that differ from `current`."""
    before = {}
    after = {}
    for field, value in proposed.items():
        if current.get(field) != value:
            before[field] = current.get(field)
            after[field] = value
    return before, after


def present(record: dict[str, Any]) -> dict[str, Any]:
    """The fields of a record that hold a value (what a creation event shows)."""
    return {key: value for key, value in record.items() if value is not None}
