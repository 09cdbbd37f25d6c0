"""What watches, alerts and webhook rounds hand back to callers."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker.enums import AlertKind, WatchKind


@dataclass(frozen=True)
class WatchRecord:
    """A watch as a caller sees it: the secret that signs its webhooks is never shown."""

    id: int
    kind: WatchKind
    target: str
    entity_key: str | None  # an entity watch's entity
    threshold: float | None  # a name watch's
    note: str | None
    webhook_url: str | None
    created_by: str
    created_at: dt.datetime
    removed_at: dt.datetime | None


@dataclass(frozen=True)
class AlertRecord:
    """An alert with what it is about: its watch (none for a screening's) and entity."""

    id: int
    kind: AlertKind
    summary: str
    detail: dict[str, Any]
    raised_at: dt.datetime
    read_at: dt.datetime | None
    watch_id: int | None
    watch_kind: WatchKind | None
    watch_target: str | None
    entity_key: str | None
    entity_name: str | None
    event_id: int | None
    import_run_id: int | None
    screening_run_id: int | None


@dataclass(frozen=True)
class DeliveryRecord:
    """One webhook delivery after a round: delivered, or waiting for its next attempt."""

    id: int
    alert_id: int
    watch_id: int
    url: str
    attempts: int
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime
    last_status: int | None
    last_error: str | None


@dataclass(frozen=True)
class DeliveryRound:
    """What one `deliver` round did: the deliveries it sent that the receiver took, those it
    sent that failed (to retry later), and how many still wait (not due yet, or behind an
    earlier one of the same watch)."""

    delivered: tuple[DeliveryRecord, ...]
    failed: tuple[DeliveryRecord, ...]
    waiting: int
