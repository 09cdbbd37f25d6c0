"""The archive: every downloaded edition, kept as it came, named by list, publish date and
SHA-256 (`ARCHIVE/ofac-sdn/2024-05-24_<sha256>.xml`), so the exact file behind a report line
can be produced later; and the lock that lets one `tracker sync` at a time use it.

A download lands in `ARCHIVE/.incoming/`; once its import has succeeded it moves to its final
name plus `.partial` (same folder, so the moves are atomic renames), the transaction records
the final name and commits, and only then does `.partial` go. A crash before the commit leaves
a `.partial` no sync run names (deleted by the next round); a crash after it, one that a run
names (finished by the next round). So a name without `.partial` always has its import.
"""

import fcntl
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tracker.errors import TrackerError

PARTIAL = ".partial"
INCOMING = ".incoming"
LOCK = ".sync.lock"


class SyncBusy(TrackerError):
    """Another `tracker sync` holds the archive's lock."""


class Archive:
    """One archive folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the archive's lock, or refuse at once: `SyncBusy` names the holder. The lock
        is the kernel's (flock), so a holder that dies releases it."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = (self.root / LOCK).open("a+")
        except OSError as error:
            raise TrackerError(f"cannot use the archive {self.root}: {error}") from error
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise SyncBusy(
                    f"another `tracker sync` is running on {self.root} (pid {holder}):"
                    " nothing was done; try again when it has finished"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def incoming(self, file_name: str) -> Iterator[Path]:
        """A fresh path to download into, named `file_name` (the importers read the name:
        `cons_prim.csv` is the CONS list); removed afterwards with anything left in it."""
        folder = self.root / INCOMING / uuid.uuid4().hex
        folder.mkdir(parents=True)
        try:
            yield folder / file_name
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            with suppress(OSError):
                folder.parent.rmdir()  # when empty

    def final_path(self, name: str, published_on: str | None, sha256: str, file_name: str) -> Path:
        suffix = "".join(Path(file_name).suffixes[-1:]).lower()
        return self.root / name / f"{published_on or 'undated'}_{sha256}{suffix}"

    @staticmethod
    def stage(download: Path, final: Path) -> None:
        """Move a download beside its final name, as `.partial` (before the commit)."""
        final.parent.mkdir(parents=True, exist_ok=True)
        download.replace(_partial(final))
        _sync_folder(final.parent)

    @staticmethod
    def publish(final: Path) -> None:
        """The import committed: the file takes its final name."""
        _partial(final).replace(final)
        _sync_folder(final.parent)

    @staticmethod
    def discard(final: Path) -> None:
        """The import did not commit: the staged file goes."""
        _partial(final).unlink(missing_ok=True)

    def recover(self, recorded: Callable[[str], bool]) -> list[str]:
        """Finish what a crash interrupted: a `.partial` whose final name a sync run records
        takes that name, any other is deleted; leftover downloads go. What was done."""
        done = []
        for partial in sorted(self.root.glob(f"*/*{PARTIAL}")):
            final = partial.with_name(partial.name.removesuffix(PARTIAL))
            if recorded(str(final)):
                partial.replace(final)
                done.append(f"kept {final} (its import had committed)")
            else:
                partial.unlink()
                done.append(f"removed {partial} (its import had not committed)")
        shutil.rmtree(self.root / INCOMING, ignore_errors=True)
        return done


def _partial(final: Path) -> Path:
    return final.with_name(final.name + PARTIAL)


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
