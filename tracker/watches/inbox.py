"""Reading alerts and marking them read."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.enums import AlertKind
from tracker.errors import InvalidValue, NotFound
from tracker.models import Alert, Entity, Watch, utc_now
from tracker.services.lookup import MAX_ID
from tracker.watches.records import AlertRecord


def parse_since(text: str | dt.date | dt.datetime) -> dt.datetime:
    """A day (its start, UTC) or a moment (UTC unless it says otherwise)."""
    if isinstance(text, str):
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise InvalidValue(
                f"since {text!r}: expected a day (2025-03-01) or a time (2025-03-01T12:00)"
            ) from None
    elif isinstance(text, dt.datetime):
        moment = text
    else:
        moment = dt.datetime.combine(text, dt.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def alert_kind(text: str) -> AlertKind:
    try:
        return AlertKind(text)
    except ValueError:
        kinds = ", ".join(kind.value for kind in AlertKind)
        raise InvalidValue(f"alert kind {text!r}: expected one of {kinds}") from None


def _query() -> Any:  # Select[Alert, Watch | None, Entity | None]
    return (
        select(Alert, Watch, Entity)
        .outerjoin(Watch, col(Watch.id) == Alert.watch_id)
        .outerjoin(Entity, col(Entity.id) == Alert.entity_id)
    )


def alert_list(
    session: Session,
    *,
    since: str | dt.date | dt.datetime | None = None,
    unread: bool = False,
    watch: int | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[AlertRecord]:
    """Alerts newest first (the latest raised, then the highest id)."""
    query = _query().order_by(col(Alert.raised_at).desc(), col(Alert.id).desc())
    if since is not None:
        query = query.where(col(Alert.raised_at) >= parse_since(since))
    if unread:
        query = query.where(col(Alert.read_at).is_(None))
    if watch is not None:  # an id no table can hold is no watch's (PostgreSQL refuses it)
        query = query.where(col(Alert.watch_id) == watch if 0 < watch <= MAX_ID else sa.false())
    if kind is not None:
        query = query.where(col(Alert.kind) == alert_kind(kind))
    if limit is not None:
        if limit < 1:
            raise InvalidValue(f"limit {limit}: expected 1 or more")
        query = query.limit(limit)
    return [alert_record(*row) for row in session.exec(query)]


def alert_by_id(session: Session, alert_id: int) -> AlertRecord:
    row = session.exec(_query().where(col(Alert.id) == alert_id)).first()
    if row is None:
        raise NotFound("alert", str(alert_id))
    return alert_record(*row)


def ack(session: Session, ids: Sequence[int] | None) -> int:
    """Mark the alerts read (None: every unread one); how many were unread. An unknown id
    is a `NotFound` and marks nothing."""
    unread = col(Alert.read_at).is_(None)
    if ids is None:
        chosen = sa.update(Alert).where(unread)
    else:
        wanted = set(ids)
        found = set(
            session.exec(
                select(Alert.id).where(col(Alert.id).in_([i for i in wanted if 0 < i <= MAX_ID]))
            )
        )
        if missing := sorted(wanted - found):
            raise NotFound("alert", ", ".join(str(i) for i in missing))
        chosen = sa.update(Alert).where(col(Alert.id).in_(wanted), unread)
    result = session.execute(chosen.values(read_at=utc_now()))
    return int(result.rowcount)  # type: ignore[attr-defined]


def alert_record(alert: Alert, watch: Watch | None, entity: Entity | None) -> AlertRecord:
    assert alert.id is not None
    return AlertRecord(
        id=alert.id,
        kind=alert.kind,
        summary=alert.summary,
        detail=alert.detail,
        raised_at=alert.raised_at,
        read_at=alert.read_at,
        watch_id=alert.watch_id,
        watch_kind=watch.kind if watch else None,
        watch_target=watch.target if watch else None,
        entity_key=entity.key if entity else None,
        entity_name=entity.name if entity else None,
        event_id=alert.event_id,
        import_run_id=alert.import_run_id,
        screening_run_id=alert.screening_run_id,
    )
