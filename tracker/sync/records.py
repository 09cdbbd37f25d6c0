"""What a sync hands the database, and what it reads back."""

import datetime as dt
from dataclasses import dataclass

from tracker.enums import SyncOutcome


@dataclass(frozen=True)
class SyncAttempt:
    """One list's download, as far as it got: recorded as a sync run, whatever its outcome."""

    name: str
    url: str
    format: str
    started_at: dt.datetime
    http_status: int | None = None
    bytes: int | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class SyncRunRecord:
    id: int
    name: str
    url: str
    format: str
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: SyncOutcome
    reason: str | None
    http_status: int | None
    bytes: int | None
    sha256: str | None
    etag: str | None
    last_modified: str | None
    published_on: str | None
    archive_path: str | None
    import_run_id: int | None
    added: int
    changed: int
    removed: int
