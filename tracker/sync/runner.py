"""One round of `tracker sync`: each list downloaded, checked, imported and archived, or
failed with its reason, under the archive's lock; and the loop of `--every`."""

import logging
import os
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.db import sqlite_path
from tracker.enums import SyncOutcome
from tracker.errors import InvalidValue, TrackerError
from tracker.models import utc_now
from tracker.records import ImportSummary
from tracker.sync.archive import Archive
from tracker.sync.fetch import DownloadFailed, Limits, download
from tracker.sync.records import SyncAttempt, SyncRunRecord
from tracker.sync.sources import ListSource

if TYPE_CHECKING:
    from tracker.api import PathLike, Tracker

ARCHIVE_ENV = "TRACKER_ARCHIVE_DIR"
log = logging.getLogger(__name__)
_sleep = time.sleep  # between rounds (a test replaces it)


def archive_folder(url: str, explicit: "PathLike | None" = None) -> Path:
    """Where downloaded editions are kept: `explicit`, else TRACKER_ARCHIVE_DIR, else
    `<db>.archive/` beside a SQLite file."""
    if explicit is not None:
        return Path(explicit).resolve()
    if os.environ.get(ARCHIVE_ENV):
        return Path(os.environ[ARCHIVE_ENV]).resolve()
    database = sqlite_path(url)
    if database is None:
        raise InvalidValue(
            f"where should downloads be archived? give --archive DIR or set {ARCHIVE_ENV}"
            " (the default, <db>.archive/, needs a SQLite file)"
        )
    return database.resolve().with_name(database.name + ".archive")


def sync_round(
    db: "Tracker",
    sources: Sequence[ListSource],
    *,
    archive: Path,
    limits: Limits,
    allow_mass_delisting: bool = False,
) -> list[SyncRunRecord]:
    """Sync each list in turn (one list's failure does not stop the others); the run each
    recorded. Then send the webhooks of the alerts raised (and of any still waiting). Raises
    `SyncBusy` when another sync holds the archive."""
    db.ensure_ready()
    folder = Archive(archive)
    with folder.locked():
        folder.recover(db.sync_archived)
        records = [
            sync_list(db, source, folder, limits, allow_mass_delisting) for source in sources
        ]
    for record in records:
        if record.outcome == SyncOutcome.OK and record.import_run_id is not None:
            rescreen_followers(db, record.import_run_id)
    _deliver_webhooks(db)
    return records


def rescreen_followers(db: "Tracker", import_run_id: int) -> None:
    """Rescreen the screenings that follow the lists, after an import committed: each in its
    own transaction, so a failure (logged: on stderr by default) never undoes the import."""
    for screening in db.screenings():
        if not screening.follow:
            continue
        try:
            run = db.rescreen(screening.name, import_run_id=import_run_id)
        except TrackerError as error:
            log.warning("Error: rescreen of %s after import run %d failed (the import stands):"
                        " %s", screening.name, import_run_id, error)  # fmt: skip
        else:
            log.info("rescreened %s after import run %d: run %d, %d alerts",
                     screening.name, import_run_id, run.id, run.alerts)  # fmt: skip


def _deliver_webhooks(db: "Tracker") -> None:
    """A receiver that is down does not fail the sync: its deliveries wait in the outbox
    and are retried next round (or by `tracker alerts deliver`)."""
    with suppress(TrackerError, OSError):
        db.deliver_webhooks()


def sync_list(
    db: "Tracker",
    source: ListSource,
    archive: Archive,
    limits: Limits,
    allow_mass_delisting: bool = False,
) -> SyncRunRecord:
    """Download one list and import it if it is a new edition; a failure is recorded (and
    returned) as a failed run that changed nothing."""
    attempt = SyncAttempt(source.name, source.url, source.format, started_at=utc_now())
    previous = db.last_sync(source.name)
    same_url = previous is not None and previous.url == source.url
    with archive.incoming(source.download_name) as path:
        try:
            got = download(
                source.url,
                path,
                limits=limits,
                etag=previous.etag if previous and same_url else None,
                last_modified=previous.last_modified if previous and same_url else None,
            )
        except DownloadFailed as error:
            attempt = _with(attempt, http_status=error.status)
            return _failed(db, attempt, str(error))
        attempt = _with(
            attempt,
            http_status=got.status,
            bytes=None if got.not_modified else got.bytes,
            sha256=got.sha256,
            etag=got.etag,
            last_modified=got.last_modified,
        )
        if got.not_modified:
            return db.record_sync_run(
                attempt, SyncOutcome.UNCHANGED, reason="not modified (304)", previous=previous
            )
        if source.sha256 and got.sha256 != source.sha256:
            return _failed(
                db, attempt, f"SHA-256 {got.sha256} is not the {source.sha256} the sources give"
            )
        if previous is not None and previous.sha256 == got.sha256:
            return db.record_sync_run(
                attempt,
                SyncOutcome.UNCHANGED,
                reason="the same file as the last archived edition",
                previous=previous,
            )
        return _import(db, source, archive, path, attempt, allow_mass_delisting)


def _import(
    db: "Tracker",
    source: ListSource,
    archive: Archive,
    path: Path,
    attempt: SyncAttempt,
    allow_mass_delisting: bool,
) -> SyncRunRecord:
    staged: list[Path] = []

    def stage(summary: ImportSummary) -> str:
        final = archive.final_path(source.name, summary.published_on, summary.sha256, path.name)
        archive.stage(path, final)
        staged.append(final)
        return str(final)

    try:
        record = db.import_synced(
            path,
            attempt,
            list=source.list,
            allow_mass_delisting=allow_mass_delisting,
            stage=stage,
        )
    except (TrackerError, OSError) as error:
        for final in staged:
            archive.discard(final)
        return _failed(db, attempt, _one_line(error))
    for final in staged:
        archive.publish(final)
    return record


def _failed(db: "Tracker", attempt: SyncAttempt, reason: str) -> SyncRunRecord:
    """Record a failure; if the database cannot even take that, the run is still reported."""
    try:
        return db.record_sync_run(attempt, SyncOutcome.FAILED, reason=reason)
    except TrackerError as error:
        return SyncRunRecord(
            id=0,
            **vars(attempt),
            finished_at=utc_now(),
            outcome=SyncOutcome.FAILED,
            reason=f"{reason} (and not recorded: {error})",
            published_on=None,
            archive_path=None,
            import_run_id=None,
            added=0,
            changed=0,
            removed=0,
        )


def _with(attempt: SyncAttempt, **changes: Any) -> SyncAttempt:
    return replace(attempt, **changes)


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and not isinstance(error, TrackerError):
        return f"cannot archive the file: {error.strerror or error}"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def parse_interval(text: str) -> float:
    """Seconds in "90s", "30m", "6h", "1d" (a bare number is seconds)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    cleaned = text.strip().lower()
    number, unit = (cleaned[:-1], cleaned[-1]) if cleaned[-1:] in units else (cleaned, "s")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        seconds = -1
    if not seconds > 0:
        raise InvalidValue(f"--every: {text!r} is not a duration such as 90s, 30m, 6h or 1d")
    return seconds


def every(interval: float, round_: Callable[[], bool], *, rounds: int | None = None) -> None:
    """Run `round_` now and then every `interval` seconds (from the start of one round to the
    start of the next), whatever it returned, until interrupted (Ctrl-C: the caller's
    `KeyboardInterrupt`) or, with `rounds`, that many times."""
    done = 0
    while True:
        started = time.monotonic()
        round_()
        done += 1
        if rounds is not None and done >= rounds:
            return
        _sleep(max(0.0, interval - (time.monotonic() - started)))
