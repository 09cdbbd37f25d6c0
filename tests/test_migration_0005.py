"""Revision 0005 on a database the previous tracker filled (`tests/fixtures/revision-0004.
jsonl.gz`: `tracker dump` of excerpts of two SDN editions, two UN editions, FtM deltas and
hand-recorded facts, written by tracker at revision 0004): loaded at its own revision,
upgraded, then checked row by row."""

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import tracker
from tests.conftest import Cli, Copies
from tracker.db import create_engine

FIXTURE = Path(__file__).parent / "fixtures" / "revision-0004.jsonl.gz"


def query(url: str, text: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = list(connection.execute(sa.text(text)))
    engine.dispose()
    return found


def _restore(db: tracker.Tracker) -> None:
    summary = db.restore(FIXTURE)
    assert summary.revision == "0004"


@pytest.fixture
def upgraded(copies: Copies) -> Cli:
    """The old database restored at revision 0004 and migrated to head: restored once per
    session (and engine), each test on a copy."""
    return Cli(copies.copy("revision-0004-upgraded", _restore, base=None))


def test_the_restore_loads_at_0004_and_migrates_to_head(bare: Cli) -> None:
    """`tracker restore` of the old dump: loaded at its own revision, then at head."""
    restored = bare.json("restore", str(FIXTURE))["restore"]
    assert (restored["revision"], restored["counts"]["import_run"]) == ("0004", 10)
    with bare.api as db:
        assert db.revision() == db.head() != "0004"


def test_invented_starts_become_first_sightings(upgraded: Cli) -> None:
    """Every OFAC listing had the first edition's date as its start: now it has no stated
    start, and that date is its first sighting; UN listings keep their stated LISTED_ON."""
    ofac = query(
        upgraded.url,
        "SELECT d.effective_on, d.first_seen_on, d.status_text FROM designation d"
        " JOIN authority a ON a.id = d.authority_id WHERE a.key = 'us-ofac'",
    )
    assert ofac
    assert {(start, text) for start, _, text in ofac} == {(None, None)}
    assert {seen for _, seen, _ in ofac} == {"2022-06-17", "2022-06-28"}
    un = query(
        upgraded.url,
        "SELECT d.effective_on, d.first_seen_on FROM designation d"
        " JOIN authority a ON a.id = d.authority_id WHERE a.key = 'un-sc'",
    )
    assert all(start and start < seen for start, seen in un)


def test_an_invented_end_becomes_the_edition_that_no_longer_showed_it(upgraded: Cli) -> None:
    """The entry gone from the 2022-06-28 edition: no stated end, removed in that edition's
    run, last seen in the one before; the hand-recorded designation is untouched."""
    [row] = query(
        upgraded.url,
        "SELECT d.ended_on, d.removed_on, d.last_seen_on, d.status, r.published_on"
        " FROM designation d JOIN entity e ON e.id = d.entity_id"
        " JOIN import_run r ON r.id = d.removed_by_run_id WHERE e.key = 'ofac-20002'"
        " AND d.program = 'UKRAINE-EO13662'",
    )
    assert tuple(row) == (None, "2022-06-28", "2022-06-17", "delisted", "2022-06-28")
    [hand] = query(
        upgraded.url,
        "SELECT announced_on, effective_on, first_seen_on, list_entry_id FROM designation"
        " WHERE list_code = 'FTO'",
    )
    assert tuple(hand) == ("2025-11-16", "2025-11-24", None, None)


def test_each_old_run_became_a_source_that_its_facts_cite(upgraded: Cli) -> None:
    """Ten runs, nine files (the empty delta is one file, imported once): each run, its
    events and the listings it made cite the edition as a source."""
    runs = query(upgraded.url, "SELECT list_key, source_id FROM import_run ORDER BY id")
    assert [key for key, _ in runs] == ["us-ofac/SDN"] * 2 + ["un-sc/UNSC"] * 2 + ["ftm/t2"] * 6
    assert all(source for _, source in runs)
    assert query(upgraded.url, "SELECT count(*) FROM event WHERE import_run_id IS NOT NULL"
                 " AND source_id IS NULL")[0][0] == 0  # fmt: skip
    uncited = query(
        upgraded.url,
        "SELECT count(*) FROM designation WHERE list_entry_id IS NOT NULL AND id NOT IN"
        " (SELECT designation_id FROM citation WHERE designation_id IS NOT NULL)",
    )
    assert uncited[0][0] == 0


def test_what_each_list_said_moved_to_list_entries(upgraded: Cli) -> None:
    """One entry per entity and list, keyed by the list's identifier; the next edition of a
    list compares against it (the same file again is unchanged)."""
    entries = query(upgraded.url, "SELECT list_key, count(*) FROM list_entry GROUP BY list_key")
    assert dict(entries) == {"us-ofac/SDN": 37, "un-sc/UNSC": 12, "ftm/t2": 9}
    shown = upgraded.json("entity", "show", "ofac-306")
    assert [entry["list"] for entry in shown["lists"]] == ["us-ofac/SDN"]
    same_target = [link for link in shown["links"] if link["relation"] == "same-target"]
    assert "un-qde-001" in {link["other"]["key"] for link in same_target}


def test_the_downgrade_gives_back_what_0004_held(upgraded: Cli) -> None:
    """Down again to 0004: the rows 0004 held (every OFAC start, every entry's content)."""
    upgraded.ok("db", "downgrade", "0004", "--yes")
    with upgraded.api as db:
        assert db.revision() == "0004"
    engine = create_engine(upgraded.url)
    with engine.connect() as connection:
        effective = connection.execute(
            sa.text("SELECT count(*) FROM designation WHERE effective_on IS NULL")
        ).scalar_one()
        details = connection.execute(
            sa.text("SELECT count(*) FROM entity WHERE details IS NOT NULL")
        ).scalar_one()
    engine.dispose()
    assert effective == 0  # every OFAC start is back where 0004 kept it
    assert details == 58  # every entry's content is back in its entity's details
