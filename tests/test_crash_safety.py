"""SIGKILL in the middle of an import, a seed or a restore leaves the database exactly as it
was: killed while writing, or at the last moment before the commit."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import (
    FILLED_EDITION,
    REPO_ROOT,
    Cli,
    Copies,
    content_checksum,
    migrate,
    shared_file,
)
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
            " AND query ~* '^(INSERT INTO|COPY) \"?event\"? '"
        ).scalar()
    engine.dispose()
    return bool(busy)


def test_killed_import_leaves_the_database_as_it_was(seeded: Cli) -> None:
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


def _kill_before_commit(url: str, *args: str) -> None:
    """Run the command until every write is sent and it is about to commit; then SIGKILL."""
    process = subprocess.Popen(
        [sys.executable, "tests/helpers/pause_before_commit.py", "--db", url, *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "ready to commit":
        process.kill()
        pytest.fail(f"the command never reached its commit: {line!r} {process.stderr.read()!r}")  # type: ignore[union-attr]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def test_a_seed_killed_before_its_commit_leaves_nothing(cli: Cli) -> None:
    """On a migrated database that holds nothing yet."""
    before = content_checksum(cli.url)
    _kill_before_commit(cli.url, "seed")
    assert content_checksum(cli.url) == before
    assert cli.json("entity", "list")["entities"] == []
    cli.ok("seed")


def test_an_import_killed_before_its_commit_leaves_nothing(seeded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(FILLED_EDITION.format(date="01/02/2025", name="GROUP", remarks="-"))
    before = content_checksum(seeded.url)
    _kill_before_commit(seeded.url, "import", "ofac", str(path), "--quiet")
    assert content_checksum(seeded.url) == before
    assert seeded.json("import", "runs")["runs"] == []


def test_a_restore_killed_before_its_commit_leaves_nothing(
    seeded: Cli, copies: Copies, tmp_path: Path
) -> None:
    """Into a second, migrated database that holds nothing yet."""
    dump = tmp_path / "backup.jsonl"
    seeded.ok("dump", str(dump))
    target = Cli(copies.copy("migrated", migrate, base=None))
    before = content_checksum(target.url)
    _kill_before_commit(target.url, "restore", str(dump))
    assert content_checksum(target.url) == before
    target.ok("restore", str(dump))
