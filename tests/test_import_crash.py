"""SIGKILL in the middle of an import leaves the database exactly as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Tracker, content_checksum, shared_file
from tracker.db import sqlite_path

SDN = ("ofac_sdn_csv", "2023-04-24T1843Z", "sdn.csv")
DEADLINE_SECONDS = 60


def _writing(url: str) -> bool:
    """Has the import begun writing (so a kill lands mid-transaction)?"""
    path = sqlite_path(url)
    if path is not None:
        wal = Path(f"{path}-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        busy = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            " AND query ILIKE 'INSERT INTO event%%'"
        ).scalar()
    engine.dispose()
    return bool(busy)


def test_killed_import_leaves_the_database_as_it_was(seeded: Tracker) -> None:
    """The import runs in a subprocess that is killed once it is writing; nothing remains."""
    path = shared_file(*SDN)
    before = content_checksum(seeded.url)
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", seeded.url, "import", "ofac", str(path),
         "--published", "2023-04-24", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not _writing(seeded.url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the import never reached its writes: {process.stderr.read()!r}")  # type: ignore[union-attr]
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert content_checksum(seeded.url) == before
    assert seeded.json("import", "runs")["runs"] == []
    summary = seeded.json("import", "ofac", str(path), "--published", "2023-04-24", "--quiet")
    assert summary["imports"][0]["added"] == 12193
