"""Watches and alerts as report views: the tables the CLI and the web pages draw."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tracker.reports.render import Report, Section, columns
from tracker.watches.records import AlertRecord, WatchRecord

WATCH_COLUMNS = columns(
    ("id", "watch"),
    ("kind", "kind"),
    ("target", "target"),
    ("threshold", "threshold"),
    ("webhook_url", "webhook"),
    ("note", "note"),
    ("created_by", "by"),
    ("created_at", "since"),
    ("removed_at", "removed"),
)
ALERT_COLUMNS = columns(
    ("id", "alert"),
    ("raised_at", "raised"),
    ("kind", "kind"),
    ("summary", "summary"),
    ("entity_key", "entity"),
    ("watch_id", "watch"),
    ("read_at", "read"),
)


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _watch_row(record: WatchRecord) -> dict[str, Any]:
    return {
        **vars(record),
        "kind": record.kind.value,
        "created_at": _when(record.created_at),
        "removed_at": _when(record.removed_at),
    }


def _alert_row(record: AlertRecord) -> dict[str, Any]:
    return {
        **vars(record),
        "kind": record.kind.value,
        "raised_at": _when(record.raised_at),
        "read_at": _when(record.read_at),
    }


def watches_view(records: Sequence[WatchRecord]) -> Report:
    rows = [_watch_row(record) for record in records]
    return Report(kind="watches", title="Watches",
                  sections=[Section("watches", "Watches", WATCH_COLUMNS, rows)],
                  empty_message="no watches")  # fmt: skip


def alerts_view(records: Sequence[AlertRecord]) -> Report:
    rows = [_alert_row(record) for record in records]
    return Report(kind="alerts", title="Alerts",
                  sections=[Section("alerts", "Alerts", ALERT_COLUMNS, rows)],
                  empty_message="no alerts")  # fmt: skip
