"""Writing the change log. Events are appended, never edited."""

from typing import Any

from sqlmodel import Session

from tracker.enums import EventAction, SubjectType
from tracker.models import Event


def record_event(
    session: Session,
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
) -> Event:
    event = Event(
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        entity_id=entity_id,
        occurred_on=occurred_on,
        before=before,
        after=after,
        source_id=source_id,
        import_run_id=import_run_id,
        note=note,
    )
    session.add(event)
    return event


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
