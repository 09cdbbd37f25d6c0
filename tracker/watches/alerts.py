"""Raising an alert: the one place an `Alert` row (and its webhook delivery) is written."""

from typing import Any

from sqlmodel import Session

from tracker.enums import AlertKind
from tracker.models import Alert, Watch, WebhookDelivery, utc_now


def raise_alert(
    session: Session,
    *,
    kind: AlertKind,
    summary: str,
    detail: dict[str, Any],
    entity_id: int | None = None,
    watch: Watch | None = None,
    event_id: int | None = None,
    import_run_id: int | None = None,
    screening_run_id: int | None = None,
) -> Alert:
    """Insert an alert; when its watch has a webhook, queue the delivery in the same
    transaction, so an alert is never raised without the receiver eventually hearing of it."""
    alert = Alert(
        kind=kind,
        summary=summary,
        detail=detail,
        entity_id=entity_id,
        watch_id=watch.id if watch is not None else None,
        event_id=event_id,
        import_run_id=import_run_id,
        screening_run_id=screening_run_id,
    )
    session.add(alert)
    session.flush()
    if watch is not None and watch.webhook_url:
        assert alert.id is not None
        assert watch.id is not None
        session.add(queued_delivery(alert.id, watch))
    return alert


def queued_delivery(alert_id: int, watch: Watch) -> WebhookDelivery:
    """A delivery due now: the next `deliver` round sends it."""
    assert watch.id is not None
    assert watch.webhook_url is not None
    return WebhookDelivery(
        alert_id=alert_id, watch_id=watch.id, url=watch.webhook_url, next_attempt_at=utc_now()
    )
