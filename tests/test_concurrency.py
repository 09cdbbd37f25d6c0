"""Many writers at once, on SQLite (WAL, busy timeout) and PostgreSQL: each command succeeds
or says "database is busy, try again"; afterwards every row and event is there exactly once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

import tracker
from tests.conftest import REPO_ROOT, Cli
from tracker.db import create_engine

WRITERS = 8
COMMANDS = 50
EDITION_ENTRIES = 1_500
ENTRY = """  <sdnEntry><uid>{uid}</uid><lastName>LISTED PARTY {uid}</lastName>
    <sdnType>Entity</sdnType><programList><program>SDGT</program></programList></sdnEntry>
"""
EDITION = """<?xml version="1.0"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>{date}</Publish_Date><Record_Count>{count}</Record_Count>
  </publshInformation>
{entries}</sdnList>
"""


def write_editions(folder: Path) -> int:
    """Five growing editions of one list: each adds 20 entries, none removes any."""
    folder.mkdir()
    for number in range(5):
        uids = range(1, EDITION_ENTRIES + 1 + 20 * number)
        entries = "".join(ENTRY.format(uid=uid) for uid in uids)
        date = f"01/{number + 10:02d}/2025"
        (folder / f"edition-{number}.xml").write_text(
            EDITION.format(date=date, count=len(uids), entries=entries)
        )
    return EDITION_ENTRIES + 20 * 4


def scalar(url: str, query: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(sa.text(query)).scalar_one()
    engine.dispose()
    return int(value)


@pytest.mark.slow
def test_eight_writers_lose_nothing_and_duplicate_nothing(seeded: Cli, tmp_path: Path) -> None:
    entities_before = scalar(seeded.url, "SELECT count(*) FROM entity")
    events_before = scalar(seeded.url, "SELECT count(*) FROM event")
    listed = write_editions(tmp_path / "editions")
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "tests/helpers/concurrent_writer.py",
                seeded.url,
                str(worker),
                str(COMMANDS),
                str(go),
                *([str(tmp_path / "editions")] if worker == 0 else []),
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # A short busy timeout, so writers really are told "busy" and retry.
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "TRACKER_BUSY_TIMEOUT": "0.1"},
        )
        for worker in range(WRITERS)
    ]
    go.touch()
    summaries = []
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        summaries.append(json.loads(out))
    busy = sum(summary["busy"] for summary in summaries)
    print(f"{WRITERS} writers x {COMMANDS} commands: {busy} busy answers, retried")
    failures = [failure for summary in summaries for failure in summary["failed"]]
    assert failures == []
    assert sum(summary["succeeded"] for summary in summaries) == WRITERS * COMMANDS

    imports = COMMANDS // 10  # worker 0 imported instead of recording every other sanction
    groups = WRITERS * COMMANDS // 5
    assert scalar(seeded.url, "SELECT count(*) FROM import_run") == imports
    assert scalar(seeded.url, "SELECT count(*) FROM entity") == entities_before + groups + listed
    assert scalar(seeded.url, "SELECT count(DISTINCT key) FROM entity") == (
        entities_before + groups + listed
    )
    expected = {
        ("entity", "entity-added", "t.id"): groups,
        ("designation", "listed", "t.entity_id"): groups,
        ("response", "responded", "t.about_entity_id"): groups,
        ("alias", "alias-added", "t.entity_id"): groups,
        ("sanction", "imposed", "t.entity_id"): groups - imports,
    }
    for (table, action, owner), count in expected.items():
        written = f"FROM {table} t JOIN entity e ON e.id = {owner} WHERE e.key LIKE 'w%-e%'"
        assert scalar(seeded.url, f"SELECT count(*) {written}") == count, table
        recorded = scalar(
            seeded.url,
            f"SELECT count(*) {written} AND (SELECT count(*) FROM event v WHERE"
            f" v.subject_type = '{table}' AND v.subject_id = t.id AND v.action = '{action}') = 1",
        )
        assert recorded == count, f"{table}: rows without exactly one '{action}' event"
    # and no command wrote an event twice: the hand-written ones wrote one each.
    hand_events = scalar(
        seeded.url,
        "SELECT count(*) FROM event v JOIN entity e ON e.id = v.entity_id WHERE e.key LIKE 'w%-e%'",
    )
    assert hand_events == 5 * groups - imports
    assert scalar(seeded.url, "SELECT count(*) FROM event") > events_before


def test_a_writer_kept_waiting_past_the_timeout_is_told_to_retry(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another transaction holds the lock: the command gives up after TRACKER_BUSY_TIMEOUT
    with one line, writes nothing, and succeeds when retried after the lock is gone."""
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "0.3")
    holder = create_engine(cli.url)
    with holder.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE: the write lock
        else:
            connection.exec_driver_sql("LOCK TABLE entity IN EXCLUSIVE MODE")
        result = cli("entity", "add", "Blocked Group", "--kind", "organization")
        assert result.exit_code == 1
        assert result.stderr.strip() == "Error: database is busy, try again"
        connection.rollback()
    holder.dispose()
    assert cli.json("entity", "list")["entities"] == []
    cli.ok("entity", "add", "Blocked Group", "--kind", "organization")


def test_a_bad_busy_timeout_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "soon")
    result = cli("entity", "list")
    assert result.exit_code == 1
    assert "TRACKER_BUSY_TIMEOUT='soon'" in result.stderr


def test_reads_in_a_snapshot_see_one_state_while_another_writer_commits(seeded: Cli) -> None:
    """`with db.snapshot()`: every read sees the database as the first one did; a write
    committed meanwhile shows after the block; a write inside the block is refused."""
    with tracker.connect(seeded.url) as db, tracker.connect(seeded.url) as other:
        with db.snapshot():
            before = [entity.key for entity in db.entities()]
            other.add_entity("Committed Meanwhile", kind="organization")
            assert [entity.key for entity in db.entities()] == before
            assert db.entity(before[0]).entity.key == before[0]
            with pytest.raises(tracker.InvalidValue, match="a snapshot only reads"):
                db.add_entity("Written Inside", kind="organization")
        assert "committed-meanwhile" in [entity.key for entity in db.entities()]
        assert "written-inside" not in [entity.key for entity in db.entities()]
