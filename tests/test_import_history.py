"""Imported history is true: a list's stated dates are kept apart from what its editions
showed, every imported fact cites the edition it came from, and reports say what is known."""

import csv
import hashlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import tracker
from tests.conftest import REPO_ROOT, Cli, Copies, imported, shared_file
from tests.test_ofac_enhanced_parser import RELATIONSHIP, entity_xml, excerpt
from tracker.db import create_engine
from tracker.records import Filters, Observed

SDN_2022_06_17 = ("ofac_sdn_csv", "2022-06-17T1852Z", "sdn.csv")
ENHANCED = ("ofac_enhanced_xml", "2024-05-24_yemen", "yemen_sanctions.xml")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(url: str, query: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = list(connection.execute(sa.text(query)))
    engine.dispose()
    return found


def listings_in(path: Path) -> int:
    """One listing per program of each row of a legacy OFAC CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(
            len({p.strip("[] ") for p in row[3].split("] [")} - {"", "-0-"})
            for row in csv.reader(handle)
            if len(row) > 3
        )


def test_a_legacy_list_gives_no_listing_dates_only_sightings(copies: Copies) -> None:
    """SDN CSV 2022-06-17: no stated start anywhere, every listing first seen that day, and
    the status before it says it is unknown rather than answering with nothing."""
    path = shared_file(*SDN_2022_06_17)
    cli = imported(copies, "sdn-2022-06-17", (path, {"published": "2022-06-17"}))
    dates = rows(
        cli.url,
        "SELECT count(*), count(effective_on), count(announced_on), min(first_seen_on),"
        " max(first_seen_on) FROM designation",
    )
    assert tuple(dates[0]) == (listings_in(path), 0, 0, "2022-06-17", "2022-06-17")
    before = cli.json("report", "status", "--as-of", "2020-01-01", "--list", "SDN")
    assert before["designations"] == []
    assert before["coverage"] == [
        {
            "authority": "us-ofac",
            "list": "SDN",
            "observed_from": "2022-06-17",
            "observed_until": "2022-06-17",
            "covers_as_of": False,
        }
    ]
    assert (
        "status before that is unknown"
        in cli.ok("report", "status", "--as-of", "2020-01-01", "--list", "SDN").stdout
    )
    on_the_day = cli.api.status(as_of="2022-06-17", filters=Filters(program="CUBA"))
    cuba = next(d for d in on_the_day.designations if d.entity.key == "ofac-36")
    assert (cuba.since, cuba.since_stated, cuba.effective_on) == ("2022-06-17", False, None)
    assert cuba.observed == Observed(first_seen_on="2022-06-17", last_seen_on="2022-06-17")
    timeline = cli.ok("report", "timeline", "ofac-36").stdout
    assert "us-ofac SDN CUBA first seen in the edition of 2022-06-17" in timeline


def test_the_enhanced_xml_states_when_each_entry_was_listed(cli: Cli) -> None:
    """All 10 entries of the sample; each listing starts on its datePublished and is not in
    force the day before; names in Arabic are found by search."""
    summary = cli.json("import", "ofac", str(shared_file(*ENHANCED)), "--quiet")["imports"][0]
    assert (summary["added"], summary["complete"]) == (10, False)
    zabin = cli.json("entity", "show", "ofac-30624")
    assert {(d["program"], d["effective_on"]) for d in zabin["designations"]} == {
        ("GLOMAG", "2020-12-10"),
        ("YEMEN", "2020-12-10"),
    }
    assert {"Arabic"} == {a["script"] for a in zabin["aliases"] if a["script"]}
    in_force = cli.json("report", "status", "--as-of", "2020-12-10", "--authority", "us-ofac")
    day_before = cli.json("report", "status", "--as-of", "2020-12-09", "--authority", "us-ofac")
    assert "ofac-30624" in {d["entity"]["key"] for d in in_force["designations"]}
    assert "ofac-30624" not in {d["entity"]["key"] for d in day_before["designations"]}
    [first, *_] = cli.api.search("سلطان صالح عیضة عیضة زابن")
    assert first.entity.key == "ofac-30624"


def test_an_enhanced_edition_after_legacy_ones_fills_in_the_listing_dates(
    cli: Cli, tmp_path: Path
) -> None:
    """Matched by OFAC uid: nobody is listed twice, each listing learns its date with an
    `amended` event saying so, and a filtered export delists nobody."""
    legacy = tmp_path / "sdn.csv"
    lines = shared_file(*SDN_2022_06_17).read_text(encoding="utf-8").splitlines(keepends=True)
    legacy.write_text("".join(lines[:40] + [line for line in lines if line.startswith("30624,")]))
    cli.ok("import", "ofac", str(legacy), "--published", "2022-06-17", "--quiet")
    summary = cli.json("import", "ofac", str(shared_file(*ENHANCED)), "--quiet")["imports"][0]
    assert (summary["added"], summary["changed"], summary["removed"]) == (9, 1, 0)
    assert summary["dates_learned"] == 2
    zabin = cli.json("entity", "show", "ofac-30624")
    assert len(zabin["designations"]) == 2
    assert {d["effective_on"] for d in zabin["designations"]} == {"2020-12-10"}
    assert {d["observed"]["first_seen_on"] for d in zabin["designations"]} == {"2022-06-17"}
    learned = [
        e
        for e in zabin["events"]
        if e["action"] == "amended" and e["subject_type"] == "designation"
    ]
    assert len(learned) == 2
    assert all(e["after"]["effective_on"] == "2020-12-10" for e in learned)
    assert len(cli.json("entity", "list")["entities"]) == 41 + 9


def test_every_imported_row_cites_the_edition_it_came_from(cli: Cli, tmp_path: Path) -> None:
    """After importing every format, no row an import wrote lacks a source, and each source
    is the file that was read (its sha256). The legacy CSV is every tenth row of the real
    2022-06-17 list, AEROCARIBBEAN (ofac-36) first: it writes rows to every table and every
    kind of event the whole list does, in a tenth of the time."""
    files = {
        "ofac": [shared_file("ofac_consolidated", "2018-04-06", "consolidated.xml"),
                 shared_file(*ENHANCED)],
        "un": [shared_file("un_consolidated", "2018-06-07", "consolidated.xml")],
        "uk": [shared_file("uk_hmt_conlist", "2014-04-02", "sanctionsconlist.csv")],
        "eu": [shared_file("eu_fsf_csv", "2018-07-04_excerpt", "EUSanctionsShort.csv")],
        "ftm": [shared_file("opensanctions_ftm", "yente_fixture_zala", "entities.ftm.json")],
    }  # fmt: skip
    for command, paths in files.items():
        for path in paths:
            cli.ok("import", command, str(path), "--quiet")
    csv_path = tmp_path / "sdn.csv"
    rows_of_the_list = shared_file(*SDN_2022_06_17).read_bytes().splitlines(keepends=True)
    csv_path.write_bytes(b"".join(rows_of_the_list[::10]))
    assert rows_of_the_list[0].startswith(b"36,")
    cli.ok("import", "ofac", str(csv_path), "--published", "2022-06-17", "--quiet", "--list",
               "SDN2")  # fmt: skip
    engine = create_engine(cli.url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.tables.values():
            if "source_id" not in table.c:
                continue
            query = sa.select(sa.func.count()).select_from(table).where(table.c.source_id.is_(None))
            if table.name == "event":  # a source's own record names no other source
                query = query.where(table.c.subject_type != "source")
            assert connection.execute(query).scalar_one() == 0, table.name
        for name in ("designation", "sanction"):
            uncited = connection.execute(
                sa.text(f"SELECT count(*) FROM {name} WHERE id NOT IN"
                        f" (SELECT {name}_id FROM citation WHERE {name}_id IS NOT NULL)")
            ).scalar_one()  # fmt: skip
            assert uncited == 0, name
        digests = set(connection.execute(sa.text("SELECT sha256 FROM source")).scalars())
    engine.dispose()
    read = {sha256(path) for paths in files.values() for path in paths} | {sha256(csv_path)}
    assert digests == read
    shown = cli.json("entity", "show", "ofac-36")
    [cited] = shown["designations"][0]["sources"]
    assert (cited["title"], cited["file_name"], cited["sha256"]) == (
        "OFAC sanctions list SDN2, edition of 2022-06-17", "sdn.csv", sha256(csv_path),
    )  # fmt: skip
    assert all(event["source"] for event in shown["events"])


def test_a_listing_recorded_by_hand_and_imported_make_the_same_events(
    cli: Cli, tmp_path: Path
) -> None:
    """The listed event of one listing typed by hand and of the same listing imported have
    the same keys and values, but for what only an import observes."""
    cli.ok("import", "ofac", str(shared_file(*ENHANCED)), "--quiet")
    imported = next(
        e for e in cli.json("entity", "show", "ofac-31195")["events"] if e["action"] == "listed"
    )
    cli.ok("entity", "add", "AL-HAMZI, Ahmad", "--kind", "person", "--key", "hand-made",
           "--allow-duplicate")  # fmt: skip
    cli.ok(
        "designate", "hand-made", "--authority", "us-ofac", "--list", "SDN",
        "--program", "YEMEN", "--basis", "Executive Order 13611 (Yemen)",
        "--effective", "2021-03-02", "--source", "https://ofac.treasury.gov/recent-actions",
    )  # fmt: skip
    by_hand = next(
        e for e in cli.json("entity", "show", "hand-made")["events"] if e["action"] == "listed"
    )
    observed_only = {"first_seen_on", "record_id"}
    assert by_hand.keys() == imported.keys()
    own = {"id", "subject_id", "entity", "recorded_at", "source", "import_run", "after", "listing"}
    for key in by_hand.keys() - own:
        assert by_hand[key] == imported[key], key
    assert by_hand["entity"]["name"] == imported["entity"]["name"]
    assert {**by_hand["listing"], "id": None} == {**imported["listing"], "id": None}
    assert by_hand["after"] == {
        k: v for k, v in imported["after"].items() if k not in observed_only
    }
    assert imported["after"]["first_seen_on"] == "2024-05-24"
    assert (by_hand["import_run"], imported["import_run"]) == (None, 1)


def test_compare_computes_lags_from_stated_dates_only(cli: Cli, tmp_path: Path) -> None:
    """An authority known only from a sighting gets no lag, and the report says why."""
    sdn = tmp_path / "sdn.csv"
    row = next(
        line
        for line in shared_file(*SDN_2022_06_17).read_text(encoding="utf-8").splitlines()
        if line.startswith("36,")
    )
    sdn.write_text(row + "\r\n")
    cli.ok("import", "ofac", str(sdn), "--published", "2022-06-17", "--quiet")
    cli.ok("seed", str(REPO_ROOT / "seeds" / "01-authorities.yaml"))
    cli.ok("entity", "add", "Aerocaribbean", "--kind", "organization")
    cli.ok("designate", "aerocaribbean", "--authority", "us-state", "--list", "X",
               "--effective", "2020-01-01")  # fmt: skip
    cli.ok("entity", "link", "aerocaribbean", "ofac-36")
    compared = {row["authority"]: row for row in cli.json("report", "compare", "ofac-36")[
        "authorities"
    ]}  # fmt: skip
    assert (compared["us-state"]["listed_on"], compared["us-state"]["listing_lag_days"]) == (
        "2020-01-01", 0,
    )  # fmt: skip
    ofac = compared["us-ofac"]
    assert (ofac["listed_on"], ofac["listing_lag_days"], ofac["first_seen_on"]) == (
        None, None, "2022-06-17",
    )  # fmt: skip
    table = cli.ok("report", "compare", "ofac-36", "--format", "markdown").stdout
    assert "no stated listing date (first seen 2022-06-17): lag unknown" in table


def test_a_stated_relationship_links_the_two_imported_entities(
    db: tracker.Tracker, tmp_path: Path
) -> None:
    """Enhanced XML 'Owned or Controlled By' becomes a link from the owned entity to its
    owner, seen from both sides, citing the edition; importing it again adds nothing."""
    owned = entity_xml("30624").replace("</entity>", RELATIONSHIP + "</entity>")
    path = excerpt(tmp_path, owned)
    db.import_list(path)
    db.import_list(path, force=True)
    [link] = db.entity("ofac-30624").links
    assert (link.relation, link.other.key, link.outgoing) == (
        "Owned or Controlled By",
        "ofac-31192",
        True,
    )
    [back] = db.entity("ofac-31192").links
    assert (back.relation, back.other.key, back.outgoing) == (
        "Owned or Controlled By",
        "ofac-30624",
        False,
    )
    [cited] = rows(db.url, "SELECT s.sha256 FROM entity_link l JOIN source s ON s.id = l.source_id")
    assert cited[0] == sha256(path)
