"""Webhook delivery from the outbox (`webhook_delivery`): each alert a watch with a webhook
raised is POSTed as JSON, signed, until the receiver answers 2xx. At least once, in order per
watch: a receiver deduplicates by `X-Tracker-Alert-Id`.

A receiver verifies a delivery by computing HMAC-SHA256 of the raw request body with the
watch's secret and comparing it, in constant time, with the hex digest in
`X-Tracker-Signature: sha256=<hex>`; the body's `sent_at` (signed with it) lets it refuse a
replayed request older than a few minutes.
"""

import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import Watch, WebhookDelivery, utc_now
from tracker.reports.json import jsonable
from tracker.watches.inbox import alert_by_id
from tracker.watches.records import DeliveryRecord, DeliveryRound

FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=6)  # back-off stops doubling here: a delivery never expires
TIMEOUT = 10.0
ERROR_LENGTH = 500
Transaction = Callable[[], AbstractContextManager[Session]]


def signature(secret: str, body: bytes) -> str:
    """The `X-Tracker-Signature` of a body: `sha256=` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    """How long after its `attempts`-th failed attempt a delivery is tried again."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _record(delivery: WebhookDelivery) -> DeliveryRecord:
    assert delivery.id is not None
    return DeliveryRecord(
        id=delivery.id,
        alert_id=delivery.alert_id,
        watch_id=delivery.watch_id,
        url=delivery.url,
        attempts=delivery.attempts,
        delivered_at=delivery.delivered_at,
        next_attempt_at=_aware(delivery.next_attempt_at),
        last_status=delivery.last_status,
        last_error=delivery.last_error,
    )


def _request(
    session: Session, delivery: WebhookDelivery, now: dt.datetime
) -> urllib.request.Request:
    """The POST: the alert as `tracker alerts --format json` shows it, its watch and the
    time it was sent, signed with the watch's secret."""
    watch = session.get(Watch, delivery.watch_id)
    assert watch is not None
    payload: dict[str, Any] = {
        "alert": jsonable(alert_by_id(session, delivery.alert_id)),
        "watch_id": delivery.watch_id,
        "sent_at": now.isoformat(timespec="seconds"),
        "attempt": delivery.attempts + 1,
    }
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "tracker-webhook",
        "X-Tracker-Alert-Id": str(delivery.alert_id),
        "X-Tracker-Delivery-Attempt": str(delivery.attempts + 1),
    }
    if watch.webhook_secret:
        headers["X-Tracker-Signature"] = signature(watch.webhook_secret, body)
    return urllib.request.Request(delivery.url, data=body, headers=headers, method="POST")


def _send(request: urllib.request.Request, timeout: float) -> tuple[int | None, str | None]:
    """(HTTP status, error): a 2xx has no error; no status when no answer came."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, str(reason)[:ERROR_LENGTH] or type(error).__name__
    if 200 <= status < 300:
        return status, None
    return status, f"HTTP {status}"


def deliver(
    read: Transaction,
    write: Transaction,
    *,
    now: dt.datetime | None = None,
    timeout: float = TIMEOUT,
) -> DeliveryRound:
    """One round: each pending delivery that is due, oldest first; a watch whose delivery
    fails (or is not due yet) sends nothing after it this round. Each outcome is written in
    its own transaction, so a crash repeats at most the delivery it was sending."""
    moment = _aware(now or utc_now())
    with read() as session:
        pending = [
            (delivery.id, delivery.watch_id, _aware(delivery.next_attempt_at))
            for delivery in session.exec(
                select(WebhookDelivery)
                .where(col(WebhookDelivery.delivered_at).is_(None))
                .order_by(col(WebhookDelivery.id))
            )
        ]
    blocked: set[int] = set()
    delivered, failed, waiting = [], [], 0
    for delivery_id, watch_id, due in pending:
        if watch_id in blocked or due > moment:
            blocked.add(watch_id)
            waiting += 1
            continue
        with read() as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            assert delivery is not None
            request = _request(session, delivery, moment)
        status, error = _send(request, timeout)
        with write() as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            assert delivery is not None
            delivery.attempts += 1
            delivery.last_status, delivery.last_error = status, error
            if error is None:
                delivery.delivered_at = utc_now()
            else:
                delivery.next_attempt_at = moment + backoff(delivery.attempts)
            session.add(delivery)
            session.flush()
            outcome = _record(delivery)
        if error is None:
            delivered.append(outcome)
        else:
            blocked.add(watch_id)
            failed.append(outcome)
    return DeliveryRound(tuple(delivered), tuple(failed), waiting)
