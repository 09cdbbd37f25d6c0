"""Watches and the alerts imports raise for them: each kind of watch on real imports, what
raises nothing (unwatched, dry run, re-import, removed watch), reading and acknowledging
alerts in every format, and bad input refused with one line, having written nothing."""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Cli, content_checksum, shared_file

YEMEN = ("ofac_enhanced_xml", "2024-05-24_yemen", "yemen_sanctions.xml")
HEAD = """<?xml version="1.0"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>{date}</Publish_Date><Record_Count>{count}</Record_Count>
  </publshInformation>
"""
ENTRY = """  <sdnEntry><uid>{uid}</uid><lastName>{name}</lastName><sdnType>Entity</sdnType>
    <programList>{programs}</programList><akaList>{akas}</akaList>
    <remarks>{remarks}</remarks></sdnEntry>
"""
AKA = """<aka><uid>{uid}</uid><type>a.k.a.</type><category>strong</category>
    <lastName>{name}</lastName></aka>"""
CARTEL = {"uid": 9001, "name": "CARTEL DE LOS SOLES", "programs": ["SDGT"]}
PARTY = {"uid": 9002, "name": "BANCO DEL SUR", "programs": ["VENEZUELA"]}


class Editions:
    """Editions of a small OFAC SDN list, written and imported one after another."""

    def __init__(self, cli: Cli, folder: Path) -> None:
        self.cli, self.folder, self.day = cli, folder, 1

    def write(self, *entries: dict[str, Any]) -> Path:
        body = HEAD.format(date=f"01/{self.day:02d}/2025", count=len(entries)) + "".join(
            ENTRY.format(
                uid=entry["uid"],
                name=entry["name"],
                programs="".join(f"<program>{p}</program>" for p in entry.get("programs", [])),
                akas="".join(
                    AKA.format(uid=entry["uid"] * 10 + n, name=aka)
                    for n, aka in enumerate(entry.get("akas", []))
                ),
                remarks=entry.get("remarks", ""),
            )
            for entry in entries
        )
        path = self.folder / f"sdn-{self.day}.xml"
        path.write_text(body + "</sdnList>\n")
        self.day += 1
        return path

    def imported(self, *entries: dict[str, Any], **options: Any) -> Path:
        path = self.write(*entries)
        self.cli.api.import_list(path, allow_mass_delisting=True, **options)
        return path


@pytest.fixture
def editions(cli: Cli, tmp_path: Path) -> Editions:
    return Editions(cli, tmp_path)


def _alerts(cli: Cli, *args: str) -> list[dict[str, Any]]:
    return list(reversed(cli.json("alerts", *args)["alerts"]))  # oldest first


def _kinds(cli: Cli) -> list[tuple[str, int, str]]:
    return [(a["kind"], a["watch_id"], a["entity_key"]) for a in _alerts(cli)]


def test_an_entity_watch_alerts_when_its_entity_is_amended_listed_and_delisted(
    cli: Cli, editions: Editions
) -> None:
    """Amended (the changed fields, before and after), listed under a new program, delisted."""
    editions.imported(CARTEL, PARTY)
    cli.ok("watch", "add", "entity", "ofac-9001", "--note", "client exposure")
    editions.imported({**CARTEL, "name": "CARTEL DE LOS SOLES (CDLS)"}, PARTY)
    (amended,) = _alerts(cli)
    assert amended["kind"] == "amended"
    assert amended["summary"] == "CARTEL DE LOS SOLES (CDLS) amended on us-ofac/SDN: name"
    assert amended["detail"]["changed"] == {
        "name": {"before": "CARTEL DE LOS SOLES", "after": "CARTEL DE LOS SOLES (CDLS)"}
    }
    assert amended["detail"]["entity"] == {"key": "ofac-9001", "name": "CARTEL DE LOS SOLES (CDLS)"}
    cli.ok("alerts", "ack", "--all")
    editions.imported(
        {**CARTEL, "name": "CARTEL DE LOS SOLES (CDLS)", "programs": ["SDGT", "VENEZUELA"]}, PARTY
    )
    listed = [a for a in _alerts(cli, "--unread") if a["kind"] == "listed"]
    assert [a["summary"] for a in listed] == [
        "CARTEL DE LOS SOLES (CDLS) listed on us-ofac/SDN (program VENEZUELA)"
    ]
    assert (listed[0]["detail"]["program"], listed[0]["detail"]["authority"]) == (
        "VENEZUELA",
        "us-ofac",
    )
    cli.ok("alerts", "ack", "--all")
    editions.imported(PARTY)
    delisted = _alerts(cli, "--unread")
    assert {a["kind"] for a in delisted} == {"delisted"}
    assert sorted(a["summary"] for a in delisted) == [
        "CARTEL DE LOS SOLES (CDLS) delisted from us-ofac/SDN (program SDGT)",
        "CARTEL DE LOS SOLES (CDLS) delisted from us-ofac/SDN (program VENEZUELA)",
    ]


def test_a_watch_on_a_hand_recorded_entity_covers_the_imported_entity_linked_to_it(
    seeded: Cli, tmp_path: Path
) -> None:
    """Linked as the same target: a first listing by another authority is listed-elsewhere."""
    cli, editions = seeded, Editions(seeded, tmp_path)
    db = cli.api
    db.add_entity("Soles Cartel", kind="organization", country="VE")
    db.designate("soles-cartel", authority="us-state", list="FTO", effective="2025-11-24")
    editions.imported({"uid": 9001, "name": "CARTEL DE LOS SOLES"}, PARTY)  # no program yet
    db.link("soles-cartel", "ofac-9001", note="the same cartel")
    cli.ok("watch", "add", "entity", "soles-cartel")
    editions.imported(CARTEL, PARTY)
    (alert,) = [a for a in _alerts(cli) if a["kind"] != "amended"]
    assert alert["kind"] == "listed-elsewhere"
    assert alert["entity_key"] == "ofac-9001"
    assert alert["detail"]["listed_before_by"] == ["us-state"]
    assert alert["summary"] == (
        "CARTEL DE LOS SOLES listed elsewhere: on us-ofac/SDN (program SDGT), beyond us-state"
    )


def test_a_program_watch_alerts_on_each_new_listing_under_it(cli: Cli, editions: Editions) -> None:
    """New listings under the program, by any entity; other programs raise nothing."""
    editions.imported(CARTEL)
    cli.ok("watch", "add", "program", "venezuela")
    editions.imported(
        {**CARTEL, "programs": ["SDGT", "VENEZUELA"]},
        PARTY,
        {"uid": 9003, "name": "OTHER FRONT", "programs": ["SDGT"]},
    )
    alerts = _alerts(cli)
    assert sorted((a["kind"], a["entity_key"], a["detail"]["program"]) for a in alerts) == [
        ("new-listing", "ofac-9001", "VENEZUELA"),
        ("new-listing", "ofac-9002", "VENEZUELA"),
    ]


def test_a_list_watch_alerts_on_each_new_listing_of_a_real_edition(seeded: Cli) -> None:
    """OFAC's enhanced XML (ten entities, one listed under two programs): eleven alerts."""
    cli = seeded
    cli.ok("watch", "add", "list", "us-ofac/SDN")
    cli.ok("watch", "add", "list", "un-sc/UN")
    cli.api.import_list(shared_file(*YEMEN))
    alerts = _alerts(cli)
    assert len(alerts) == 11
    assert {(a["kind"], a["watch_id"], a["detail"]["list"]) for a in alerts} == {
        ("new-listing", 1, "us-ofac/SDN")
    }
    assert "ZABIN, Sultan listed on us-ofac/SDN (program GLOMAG)" in {a["summary"] for a in alerts}


def test_a_name_watch_alerts_on_a_newly_listed_or_renamed_party_that_matches(
    cli: Cli, editions: Editions
) -> None:
    """New entity or new name at or above the threshold; the same name again, or a name
    below the threshold, raises nothing."""
    editions.imported(PARTY)
    cli.ok("watch", "add", "name", "Cartel de los Soles")
    cli.ok("watch", "add", "name", "Cartel of the Moons", "--threshold", "0.99")
    editions.imported(CARTEL, PARTY)
    (new,) = _alerts(cli)
    assert (new["kind"], new["watch_id"], new["entity_key"]) == ("name-match", 1, "ofac-9001")
    assert new["detail"]["matched"] == "CARTEL DE LOS SOLES"
    assert new["detail"]["score"] >= 0.85
    assert "newly listed on us-ofac/SDN" in new["summary"]
    editions.imported({**CARTEL, "remarks": "Linked To: X."}, PARTY)  # no new name
    assert len(_alerts(cli)) == 1
    editions.imported(CARTEL, {**PARTY, "name": "CARTEL DE LOS SOLES DEL SUR"})
    renamed = _alerts(cli)[1:]
    assert [(a["entity_key"], a["detail"]["action"]) for a in renamed] == [("ofac-9002", "amended")]
    assert "renamed on us-ofac/SDN" in renamed[0]["summary"]
    editions.imported({**CARTEL, "akas": ["CARTEL OF THE SUNS", "LOS SOLES CARTEL"]},
                      {**PARTY, "name": "CARTEL DE LOS SOLES DEL SUR"})  # fmt: skip
    (alias,) = _alerts(cli)[2:]
    assert (alias["entity_key"], alias["detail"]["matched"]) == ("ofac-9001", "LOS SOLES CARTEL")
    assert "given a new alias on us-ofac/SDN" in alias["summary"]


def test_an_unwatched_change_raises_nothing(cli: Cli, editions: Editions) -> None:
    """Watches on other entities, programs, lists and names see nothing of this import."""
    editions.imported(CARTEL, PARTY)
    cli.ok("watch", "add", "entity", "ofac-9002")
    cli.ok("watch", "add", "program", "IRAN")
    cli.ok("watch", "add", "list", "us-ofac/CONS")
    cli.ok("watch", "add", "name", "Maduro Moros")
    editions.imported(
        {**CARTEL, "name": "CARTEL DE LOS SOLES (CDLS)", "programs": ["SDGT", "VENEZUELA"]}, PARTY
    )
    assert _alerts(cli) == []


def test_a_dry_run_or_a_reimport_raises_nothing(cli: Cli, editions: Editions) -> None:
    """A dry run writes no alert; the same file imported again neither."""
    editions.imported(PARTY)
    cli.ok("watch", "add", "program", "SDGT")
    path = editions.write(CARTEL, PARTY)
    cli.ok("import", "ofac", str(path), "--dry-run", "--quiet")
    assert _alerts(cli) == []
    cli.ok("import", "ofac", str(path), "--quiet")
    assert len(_alerts(cli)) == 1
    cli.ok("import", "ofac", str(path), "--quiet")
    assert len(_alerts(cli)) == 1


def test_a_removed_watch_raises_nothing_and_is_kept(cli: Cli, editions: Editions) -> None:
    """`watch remove` sets removed_at; the watch shows with --all only, its alerts stay."""
    editions.imported(PARTY)
    cli.ok("watch", "add", "program", "SDGT")
    editions.imported(CARTEL, PARTY)
    assert cli.ok("watch", "remove", "1").stdout.strip() == "Removed watch 1 (program SDGT)"
    editions.imported(
        {**CARTEL, "programs": ["SDGT"]},
        PARTY,
        {"uid": 9003, "name": "OTHER FRONT", "programs": ["SDGT"]},
    )
    assert len(_alerts(cli)) == 1
    assert cli.json("watch", "list")["watches"] == []
    (kept,) = cli.json("watch", "list", "--all")["watches"]
    assert kept["removed_at"] is not None
    result = cli("watch", "remove", "1")
    assert result.exit_code == 1
    assert result.stderr == "Error: watch 1 was removed already\n"


def test_alerts_filter_by_since_unread_watch_kind_and_limit(cli: Cli, editions: Editions) -> None:
    """Newest first; each filter narrows; ack marks read; ack --all the rest."""
    editions.imported(CARTEL)
    cli.ok("watch", "add", "entity", "ofac-9001")
    cli.ok("watch", "add", "program", "VENEZUELA")
    editions.imported(
        {**CARTEL, "name": "CARTEL DE LOS SOLES (CDLS)", "programs": ["SDGT", "VENEZUELA"]}, PARTY
    )
    every = cli.json("alerts")["alerts"]
    assert [a["id"] for a in every] == sorted((a["id"] for a in every), reverse=True)
    assert len(every) == 4  # amended + listed (entity watch), two new listings (program)
    assert {a["kind"] for a in cli.json("alerts", "--watch", "2")["alerts"]} == {"new-listing"}
    assert len(cli.json("alerts", "--kind", "amended")["alerts"]) == 1
    assert len(cli.json("alerts", "--limit", "2")["alerts"]) == 2
    assert len(cli.json("alerts", "--since", "2000-01-01")["alerts"]) == 4
    assert cli.json("alerts", "--since", "2999-01-01T00:00")["alerts"] == []
    first = every[-1]["id"]
    assert cli.ok("alerts", "ack", str(first)).stdout == "Marked 1 alert read\n"
    unread = cli.json("alerts", "--unread")["alerts"]
    assert first not in [a["id"] for a in unread]
    assert len(unread) == 3
    assert cli.ok("alerts", "ack", "--all").stdout == "Marked 3 alerts read\n"
    assert cli.json("alerts", "--unread")["alerts"] == []
    assert cli.api.ack_alerts() == 0


def test_every_format_of_tracker_alerts(cli: Cli, editions: Editions) -> None:
    """table, json, csv, markdown and html all show each alert's summary."""
    editions.imported(PARTY)
    cli.ok("watch", "add", "program", "SDGT")
    editions.imported(CARTEL, PARTY)
    summary = "CARTEL DE LOS SOLES listed on us-ofac/SDN (program SDGT)"
    table = cli.ok("alerts").stdout
    assert "new-listing" in table
    assert "CARTEL DE LOS SOLES" in table
    document = json.loads(cli.ok("alerts", "--format", "json").stdout)
    assert document["kind"] == "alerts"
    (alert,) = document["alerts"]
    assert (alert["summary"], alert["watch_kind"], alert["watch_target"]) == (
        summary,
        "program",
        "SDGT",
    )
    (row,) = csv.DictReader(io.StringIO(cli.ok("alerts", "--format", "csv").stdout))
    assert (row["kind"], row["summary"], row["watch_id"]) == ("new-listing", summary, "1")
    assert summary in cli.ok("alerts", "--format", "markdown").stdout
    assert "<table" in cli.ok("alerts", "--format", "html").stdout
    assert cli.ok("alerts", "list", "--unread", "--format", "csv").stdout.count("\n") == 2
    for fmt in ("table", "json", "csv", "markdown", "html"):
        cli.ok("watch", "list", "--format", fmt)


def test_a_webhook_secret_is_read_from_the_environment_and_never_shown(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--secret-env names the variable; no listing or JSON holds the secret."""
    monkeypatch.setenv("HOOK_SECRET", "s3cret-value")
    added = cli.json(
        "watch",
        "add",
        "program",
        "SDGT",
        "--webhook",
        "http://127.0.0.1:9/hook",
        "--secret-env",
        "HOOK_SECRET",
        "--by",
        "analyst",
    )
    assert added["watch"]["webhook_url"] == "http://127.0.0.1:9/hook"
    assert added["watch"]["created_by"] == "analyst"
    for fmt in ("table", "json", "csv"):
        assert "s3cret" not in cli.ok("watch", "list", "--format", fmt).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("watch", "add", "entity", "ofac-9009"), "Error: no entity 'ofac-9009'; did you mean"),
        (("watch", "add", "list", "SDN"), "Error: list 'SDN': expected AUTHORITY/LIST"),
        (("watch", "add", "list", "nobody/SDN"), "Error: no authority 'nobody'"),
        (("watch", "add", "program", "  "), "Error: a program watch needs a target"),
        (
            ("watch", "add", "name", "Cartel", "--threshold", "1.5"),
            "Error: threshold 1.5: expected a likeness from 0 to 1",
        ),
        (
            ("watch", "add", "program", "SDGT", "--threshold", "0.9"),
            "Error: --threshold goes with a name watch only",
        ),
        (("watch", "add", "vessel", "X"), "Error: watch kind 'vessel': expected one of"),
        (
            (
                "watch",
                "add",
                "program",
                "SDGT",
                "--webhook",
                "ftp://example.org/x",
                "--secret-env",
                "HOME",
            ),
            "Error: webhook 'ftp://example.org/x': expected an http",
        ),
        (
            ("watch", "add", "program", "SDGT", "--webhook", "http://example.org/x"),
            "Error: a webhook needs a secret",
        ),
        (
            (
                "watch",
                "add",
                "program",
                "SDGT",
                "--webhook",
                "http://example.org/x",
                "--secret-env",
                "TRACKER_TEST_UNSET_VARIABLE",
            ),
            "Error: --secret-env",
        ),
        (("watch", "add", "program", "VENEZUELA"), "Error: watch 1 already follows program"),
        (("watch", "remove", "77"), "Error: no watch '77'"),
        (("alerts", "ack", "1", "404"), "Error: no alert '404'"),
        (("alerts", "ack"), "Error: give the alerts' ids, or --all"),
        (("alerts", "--kind", "bogus"), "Error: alert kind 'bogus'"),
        (("alerts", "--since", "yesterday"), "Error: since 'yesterday'"),
    ],
)
def test_bad_input_is_one_line_a_non_zero_exit_and_writes_nothing(
    cli: Cli, editions: Editions, args: tuple[str, ...], message: str
) -> None:
    """An unknown key, list, watch or alert, a bad threshold, kind or webhook: refused."""
    editions.imported(CARTEL)
    cli.ok("watch", "add", "program", "venezuela")
    editions.imported({**CARTEL, "programs": ["SDGT", "VENEZUELA"]})
    before = content_checksum(cli.url)
    result = cli(*args)
    assert result.exit_code != 0, result.output
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert content_checksum(cli.url) == before


def test_the_api_returns_records(cli: Cli, editions: Editions) -> None:
    """watch / watches / unwatch / alerts / ack_alerts, as a script would call them."""
    editions.imported(CARTEL)
    db = cli.api
    watch = db.watch("name", "Banco del Sur", note="supplier", by="analyst")
    assert (watch.kind, watch.threshold, watch.created_by) == ("name", 0.85, "analyst")
    editions.imported(CARTEL, PARTY)
    (alert,) = db.alerts(watch=watch.id)
    assert (alert.kind, alert.entity_key, alert.watch_target) == (
        "name-match",
        "ofac-9002",
        "Banco del Sur",
    )
    assert db.ack_alerts([alert.id]) == 1
    assert db.alerts(unread=True) == []
    assert db.unwatch(watch.id).removed_at is not None
    assert db.watches() == []
    assert len(db.watches(include_removed=True)) == 1


def test_with_no_active_watch_an_import_asks_one_small_query_more(
    cli: Cli, editions: Editions
) -> None:
    """What keeps large imports as fast as before: one query on `watch`, none on alerts."""
    editions.imported(CARTEL)
    cli.ok("watch", "add", "program", "SDGT")
    cli.ok("watch", "remove", "1")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        editions.imported({**CARTEL, "programs": ["SDGT", "VENEZUELA"]}, PARTY)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    touching = [s for s in statements if re.search(r"\b(watch|alert|webhook_delivery)\b", s)]
    assert len(touching) == 1, touching
    assert "FROM watch" in touching[0]


def test_alerts_of_a_watch_id_no_table_can_hold_are_none(cli: Cli) -> None:
    """On PostgreSQL an integer column refuses 2**45: the answer is no alerts, not an error."""
    assert cli.api.alerts(watch=2**45) == []
    assert cli.api.alerts(watch=0) == []
