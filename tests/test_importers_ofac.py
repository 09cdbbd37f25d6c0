"""Importing OFAC's lists: every real file, editions compared entry by entry, guarded."""

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, Copies, fingerprint, imported, shared_file

SDN_2022_06_17 = ("ofac_sdn_csv", "2022-06-17T1852Z", "sdn.csv")
SDN_2022_06_28 = ("ofac_sdn_csv", "2022-06-28T1855Z", "sdn.csv")
CONS_2018 = ("ofac_consolidated", "2018-04-06", "consolidated.xml")
CONS_2024 = ("ofac_consolidated", "2024-05-06", "consolidated.xml")
SDN_2023_04_24 = ("ofac_sdn_csv", "2023-04-24T1843Z", "sdn.csv")
SDN_2023_04_27 = ("ofac_sdn_csv", "2023-04-27T1843Z", "sdn.csv")
FILESET_2018 = ("ofac_sdn_csv_fileset", "2019-01-04_watchman", "sdn.csv")
CONS_PRIM_2018 = ("ofac_consolidated", "2018-04-06", "cons_prim.csv")

# Editions imported once per session (and engine) as templates, each test on a copy: a
# template's name stands for exactly these imports (test_import_history shares the first).
TEMPLATES = {
    "sdn-2022-06-17": (SDN_2022_06_17, "2022-06-17"),
    "sdn-2022-06-28": (SDN_2022_06_28, "2022-06-28"),
    "sdn-2023-04-24": (SDN_2023_04_24, "2023-04-24"),
    "sdn-2023-04-27": (SDN_2023_04_27, "2023-04-27"),
    "sdn-fileset-2018-12-19": (FILESET_2018, "2018-12-19"),
    "cons-2018-04-06": (CONS_2018, None),
    "cons-prim-2018-04-06": (CONS_PRIM_2018, "2018-04-06"),
}


def import_ofac(cli: Cli, path: Path, *args: str) -> dict[str, Any]:
    result = cli.json("import", "ofac", str(path), "--quiet", *args)
    [summary] = result["imports"]
    return summary


def edition(copies: Copies, name: str) -> Cli:
    """A fresh copy of the template `name` of TEMPLATES: one edition imported."""
    parts, published = TEMPLATES[name]
    options = {"published": published} if published else {}
    return imported(copies, name, (shared_file(*parts), options))


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if row and row != ["\x1a"])


@pytest.mark.parametrize(
    "name",
    ["sdn-2022-06-17", "sdn-2023-04-27", "sdn-fileset-2018-12-19", "cons-prim-2018-04-06"],
    ids=["sdn-2022", "sdn-2023", "sdn-fileset-2018", "cons-prim-2018"],
)
def test_every_real_csv_imports_one_entity_per_row(copies: Copies, name: str) -> None:
    """The entry count equals the file's row count; nothing is changed or removed. Read from
    the run the import recorded (the counts its summary prints), on a copy of the template
    that imported the file into a fresh database."""
    cli = edition(copies, name)
    parts, published = TEMPLATES[name]
    [run] = cli.json("import", "runs")["runs"]
    assert (run["file_name"], run["published_on"]) == (parts[-1], published)
    assert run["added"] == csv_rows(shared_file(*parts))
    assert (run["changed"], run["removed"]) == (0, 0)


@pytest.mark.parametrize("parts", [CONS_2018, CONS_2024], ids=["2018", "2024"])
def test_every_real_xml_imports_its_record_count(cli: Cli, parts: tuple[str, ...]) -> None:
    """The entry count equals the file's own Record_Count; the publish date is read."""
    path = shared_file(*parts)
    declared = int(re.search(rb"<Record_Count>(\d+)<", path.read_bytes()[:2000]).group(1))  # type: ignore[union-attr]
    summary = import_ofac(cli, path)
    assert summary["added"] == declared
    assert summary["published_on"] == parts[1]
    assert summary["list_code"] == "CONS"


def test_fto_entries_become_fto_program_designations(copies: Copies) -> None:
    """The 70 FTO-tagged rows of the 2022 SDN list are designations under program FTO."""
    cli = edition(copies, "sdn-2022-06-17")
    fto = cli.json("designation", "list", "--authority", "us-ofac", "--program", "FTO")
    assert len(fto["designations"]) == 70
    assert {d["list"] for d in fto["designations"]} == {"SDN"}


def test_aliases_and_addresses_attach_to_their_entries(copies: Copies) -> None:
    """alt.csv and add.csv rows land on the entry with their ent_num."""
    cli = edition(copies, "sdn-fileset-2018-12-19")
    shown = cli.json("entity", "show", "ofac-36")
    assert shown["entity"]["name"] == "AEROCARIBBEAN AIRLINES"
    assert shown["aliases"] == [
        {"name": "AERO-CARIBBEAN", "kind": "aka", "language": None, "script": None}
    ]
    assert shown["identifiers"] == [{"scheme": "ofac-uid", "value": "36"}]
    listed = cli.json("entity", "show", "ofac-173")
    assert "AVIA IMPORT" in [a["name"] for a in listed["aliases"]]


@pytest.mark.parametrize(
    ("older", "newer", "expected"),
    [
        (
            "sdn-2022-06-17",
            (SDN_2022_06_28, "2022-06-28"),
            {"added": 169, "removed": 1, "changed": 14},
        ),
        (
            "sdn-2023-04-24",
            (SDN_2023_04_27, "2023-04-27"),
            {"added": 30, "removed": 14, "changed": 32},
        ),
    ],
    ids=["sdn-2022-06", "sdn-2023-04"],
)
def test_csv_edition_pairs_reproduce_the_published_differences(
    copies: Copies, older: str, newer: tuple, expected: dict[str, int]
) -> None:
    """The counts in shared/data/SOURCES.md come out exactly."""
    cli = edition(copies, older)
    summary = import_ofac(cli, shared_file(*newer[0]), "--published", newer[1])
    assert {k: summary[k] for k in expected} == expected
    assert summary["published_on"] == newer[1]


def test_xml_edition_pair_with_a_real_mass_delisting(copies: Copies) -> None:
    """consolidated.xml 2018 -> 2024: +78, -274; refused until the user allows it."""
    cli = edition(copies, "cons-2018-04-06")
    refused = cli("import", "ofac", str(shared_file(*CONS_2024)), "--quiet")
    assert refused.exit_code == 1
    assert "would delist 274 of the 639 entries" in refused.stderr
    summary = import_ofac(cli, shared_file(*CONS_2024), "--allow-mass-delisting")
    assert (summary["added"], summary["removed"]) == (78, 274)


def test_changes_are_recorded_field_by_field(copies: Copies) -> None:
    """An amended entry's event holds exactly the changed fields, before and after."""
    cli = edition(copies, "sdn-2022-06-17")
    import_ofac(cli, shared_file(*SDN_2022_06_28), "--published", "2022-06-28")
    changes = cli.json("report", "changes", "--since", "2022-06-28", "--until", "2022-06-28")
    amended = [c for c in changes["changes"] if c["action"] == "amended"]
    assert len(amended) == 14
    for change in amended:
        assert change["before"].keys() == change["after"].keys()
        assert all(change["before"][k] != change["after"][k] for k in change["after"])
    delisted = [c for c in changes["changes"] if c["action"] == "delisted"]
    assert delisted
    listed = {c["entity"]["key"] for c in changes["changes"] if c["action"] == "listed"}
    amended_entities = {c["entity"]["key"] for c in amended}
    assert len(listed - amended_entities) == 169
    # An amended entry listed under a new program has that program in its before / after.
    for entity in listed & amended_entities:
        change = next(c for c in amended if c["entity"]["key"] == entity)
        assert "programs" in change["after"]
    # Filtering by the list's authority or code keeps the amendments (it once dropped them).
    for option in (("--authority", "us-ofac"), ("--list", "SDN")):
        filtered = cli.json("report", "changes", "--since", "2022-06-28", "--until", "2022-06-28",
                            *option)  # fmt: skip
        assert filtered["changes"] == changes["changes"], option


def test_reimporting_the_same_file_changes_nothing(copies: Copies) -> None:
    """The identical file again: zero changes, no new event, and it says so."""
    path = shared_file(*SDN_2022_06_17)
    cli = edition(copies, "sdn-2022-06-17")
    before = fingerprint(cli.url)
    result = cli.ok("import", "ofac", str(path), "--published", "2022-06-17", "--quiet")
    assert "already imported, nothing changed" in result.stdout
    assert fingerprint(cli.url) == before


def test_an_older_edition_is_refused_unless_forced(copies: Copies) -> None:
    """Going back in time needs --force, and then fills in history: what both editions show
    was first seen in the older one; what only the older one shows existed then and was gone
    by the newer one. Nothing is delisted for being absent from an old edition."""
    cli = edition(copies, "sdn-2022-06-28")
    refused = cli("import", "ofac", str(shared_file(*SDN_2022_06_17)), "--published",
                      "2022-06-17", "--quiet")  # fmt: skip
    assert refused.exit_code == 1
    assert "older than the latest imported (2022-06-28)" in refused.stderr
    forced = import_ofac(cli, shared_file(*SDN_2022_06_17), "--published", "2022-06-17", "--force")
    assert (forced["added"], forced["removed"], forced["backfill"]) == (1, 0, True)
    assert forced["changed"] + forced["unchanged"] == 10_240
    [gone] = cli.json("designation", "list", "--entity", "ofac-20002")["designations"][:1]
    assert gone["observed"] == {
        "first_seen_on": "2022-06-17", "last_seen_on": "2022-06-17", "removed_on": "2022-06-28",
    }  # fmt: skip
    assert (gone["status"], gone["ended_on"], gone["since_stated"]) == ("delisted", None, False)
    [aero] = cli.json("designation", "list", "--entity", "ofac-36")["designations"]
    assert aero["observed"] == {
        "first_seen_on": "2022-06-17", "last_seen_on": "2022-06-28", "removed_on": None,
    }  # fmt: skip
    assert (aero["status"], aero["since"]) == ("active", "2022-06-17")


def test_dry_run_reports_and_writes_nothing(cli: Cli) -> None:
    """--dry-run prints what would change and leaves the database as it was."""
    before = fingerprint(cli.url)
    result = cli.ok("import", "ofac", str(shared_file(*CONS_2018)), "--dry-run", "--quiet")
    assert "would record 639 added" in result.stdout
    assert fingerprint(cli.url) == before


def test_import_runs_are_listed(copies: Copies) -> None:
    """Each import is a run with its file, digest, date and counts."""
    cli = edition(copies, "cons-2018-04-06")
    [run] = cli.json("import", "runs")["runs"]
    assert (run["file_name"], run["published_on"], run["added"]) == (
        "consolidated.xml",
        "2018-04-06",
        639,
    )
    assert len(run["sha256"]) == 64


SMALL_XML = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>01/02/2025</Publish_Date><Record_Count>{count}</Record_Count>
  </publshInformation>
  <sdnEntry><uid>1</uid><lastName>ONE</lastName><sdnType>Entity</sdnType>
    <programList><program>SDGT</program></programList></sdnEntry>
  <sdnEntry><uid>2</uid><lastName>TWO</lastName><sdnType>Entity</sdnType>
    <programList><program>SDGT</program></programList></sdnEntry>
</sdnList>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<sdnList><publshInformation><Publish_Date>&lol2;</Publish_Date></publshInformation></sdnList>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sdnList><sdnEntry><uid>&xxe;</uid></sdnEntry></sdnList>
"""
HOSTILE = {
    "record count differs": ("sdn.xml", SMALL_XML.format(count=3), "says it holds 3 entries"),
    "billion laughs": ("sdn.xml", BILLION_LAUGHS, "refused: the XML declares a DTD"),
    "external entity": ("sdn.xml", EXTERNAL_ENTITY, "refused: the XML declares a DTD"),
    "truncated xml": ("sdn.xml", SMALL_XML.format(count=2)[:-60], "not well-formed XML"),
    "wrong column count": ("sdn.csv", '1,"ONE",-0- ,"SDGT"\r\n', "line 1: expected 12 columns"),
    "not utf-8": ("sdn.csv", None, "line 1: not UTF-8 text"),
    "binary": ("sdn.csv", b"\x00\x01\x02PK", "binary file"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_or_broken_files_are_refused_and_write_nothing(
    cli: Cli, tmp_path: Path, case: str
) -> None:
    """Each is one line naming the file (and line), and the database is unchanged."""
    name, content, message = HOSTILE[case]
    path = tmp_path / name
    if content is None:
        path.write_bytes(
            '1,"CAF\xc9",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'.encode("latin-1")
        )
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = fingerprint(cli.url)
    result = cli("import", "ofac", str(path), "--published", "2025-01-02", "--quiet")
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] or path.name in lines[0]
    assert message in lines[0]
    assert fingerprint(cli.url) == before


def test_csv_needs_a_publish_date(cli: Cli) -> None:
    """The legacy CSV carries no date: --published is required, and said so."""
    result = cli("import", "ofac", str(shared_file(*SDN_2022_06_17)), "--quiet")
    assert result.exit_code == 1
    assert "give --published DATE" in result.stderr


EDITION = """<?xml version="1.0"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>{date}</Publish_Date><Record_Count>1</Record_Count>
  </publshInformation>
  <sdnEntry><uid>7</uid><lastName>{name}</lastName><sdnType>Entity</sdnType>
    <programList><program>SDGT</program></programList><remarks>{remarks}</remarks></sdnEntry>
</sdnList>
"""


def test_cosmetic_changes_are_classed_and_can_be_hidden(cli: Cli, tmp_path: Path) -> None:
    """A remark changed only in case and punctuation is cosmetic; a new name is not."""
    editions = [
        ("01/01/2025", "GROUP", "Linked To: X."),
        ("02/01/2025", "GROUP", "linked to  X"),
        ("03/01/2025", "THE GROUP", "linked to  X"),
    ]
    for number, (date, name, remarks) in enumerate(editions):
        path = tmp_path / f"sdn-{number}.xml"
        path.write_text(EDITION.format(date=date, name=name, remarks=remarks))
        summary = import_ofac(cli, path)
    assert (summary["changed"], summary["cosmetic"]) == (1, 0)
    changes = cli.json("report", "changes", "--since", "2025-01-02")["changes"]
    amended = [
        (c["entity"]["key"], c["note"], c["before"], c["after"])
        for c in changes
        if c["action"] == "amended"
    ]
    assert amended == [
        ("ofac-7", "cosmetic", {"remarks": "Linked To: X."}, {"remarks": "linked to  X"}),
        ("ofac-7", None, {"name": "GROUP"}, {"name": "THE GROUP"}),
    ]
    kept = cli.json("report", "changes", "--since", "2025-01-02", "--hide-cosmetic")
    assert [c["occurred_on"] for c in kept["changes"]] == ["2025-03-01"]
