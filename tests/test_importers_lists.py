"""Importing the UN, UK and EU lists: every real file, the published edition changes, and what
each entry becomes. One reconcile step serves every list (see test_importers_ofac)."""

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, shared_file

UN_2018_06_07 = ("un_consolidated", "2018-06-07", "consolidated.xml")
UN_2018_06_21 = ("un_consolidated", "2018-06-21", "consolidated.xml")
UN_2022 = ("un_consolidated", "2022-09-15", "consolidated.xml")
UN_2024 = ("un_consolidated", "2024-09-26", "consolidated.xml")
UK_2014 = ("uk_hmt_conlist", "2014-04-02", "sanctionsconlist.csv")
UK_2018 = ("uk_hmt_conlist", "2018-04-13", "sanctionsconlist.csv")
EU_2018 = ("eu_fsf_csv", "2018-07-04_excerpt", "EUSanctionsShort.csv")


def import_list(cli: Cli, kind: str, path: Path, *args: str) -> dict[str, Any]:
    [summary] = cli.json("import", kind, str(path), "--quiet", *args)["imports"]
    return summary


def un_records(path: Path) -> int:
    """INDIVIDUAL + ENTITY elements, counted in the file itself."""
    return len(re.findall(rb"<(?:INDIVIDUAL|ENTITY)>", path.read_bytes()))


def uk_groups(path: Path) -> int:
    """Distinct Group IDs (the last column), counted in the file itself."""
    lines = path.read_bytes().decode("cp1252").splitlines()[2:]
    return len({line.rsplit(",", 1)[-1] for line in lines if line.strip()})


def designations(cli: Cli, key: str) -> list[dict[str, Any]]:
    return cli.json("entity", "show", key)["designations"]


def test_un_editions_reproduce_the_published_changes(cli: Cli) -> None:
    """2018-06-07 -> 2018-06-21: every record, then +2 and -0; the same file again is a
    no-op. Counts are the files' own INDIVIDUAL + ENTITY elements."""
    first, second = shared_file(*UN_2018_06_07), shared_file(*UN_2018_06_21)
    summary = import_list(cli, "un", first)
    assert (summary["added"], summary["published_on"]) == (un_records(first), "2018-06-07")
    assert un_records(first) == 1_098
    summary = import_list(cli, "un", second)
    assert (summary["added"], summary["removed"], summary["changed"]) == (2, 0, 0)
    assert summary["unchanged"] == un_records(second) - 2
    assert import_list(cli, "un", second)["already_imported"]


def test_un_2022_to_2024_delists_the_iran_and_mali_entries(cli: Cli) -> None:
    """+24, -101: more than 5% of the list, so refused until the user says the list shrank;
    the delisted designations are gone from the new edition (observed: the list states no
    end date), and their stated listing dates stay."""
    old, new = shared_file(*UN_2022), shared_file(*UN_2024)
    assert import_list(cli, "un", old)["added"] == un_records(old) == 952
    refused = cli("import", "un", str(new), "--quiet")
    assert refused.exit_code == 1
    assert "would delist 101 of the 952" in refused.stderr
    summary = import_list(cli, "un", new, "--allow-mass-delisting")
    assert (summary["added"], summary["removed"]) == (24, 101)
    assert summary["unchanged"] + summary["changed"] + summary["added"] == un_records(new)
    [iran] = designations(cli, "un-iri-001")  # Iran (1737) entries are all delisted
    assert (iran["program"], iran["ended_on"], iran["status"]) == ("1737", None, "delisted")
    assert iran["observed"] == {
        "first_seen_on": "2022-09-15", "last_seen_on": "2022-09-15", "removed_on": "2024-09-26",
    }  # fmt: skip
    assert iran["effective_on"] is not None  # LISTED_ON, as the UN states it


UN_EXCERPT = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="{date}T10:00:00Z">
  <INDIVIDUALS><INDIVIDUAL>
    <DATAID>1</DATAID><FIRST_NAME>MUHAMMAD</FIRST_NAME><SECOND_NAME>TAHER</SECOND_NAME>
    <THIRD_NAME>ANWARI</THIRD_NAME><UN_LIST_TYPE>Taliban</UN_LIST_TYPE>
    <REFERENCE_NUMBER>TAi.005</REFERENCE_NUMBER><LISTED_ON>2001-02-23</LISTED_ON>
    <NAME_ORIGINAL_SCRIPT>محمد طاهر أنوري</NAME_ORIGINAL_SCRIPT>
    <COMMENTS1>{comments}</COMMENTS1>
    <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Mohammad Taher Anwari</ALIAS_NAME>
    </INDIVIDUAL_ALIAS>
    <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Haji Mudir</ALIAS_NAME>
    </INDIVIDUAL_ALIAS>
    <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1961</YEAR>
    </INDIVIDUAL_DATE_OF_BIRTH>
  </INDIVIDUAL></INDIVIDUALS>
  <ENTITIES><ENTITY>
    <FIRST_NAME>KOREA MINING DEVELOPMENT TRADING CORPORATION</FIRST_NAME>
    <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER>
    <LISTED_ON>2009-04-24</LISTED_ON>
    <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>KOMID</ALIAS_NAME></ENTITY_ALIAS>
  </ENTITY></ENTITIES>
</CONSOLIDATED_LIST>
"""


def un_excerpt(tmp_path: Path, date: str, comments: str = "Belongs to Andar tribe.") -> Path:
    path = tmp_path / f"un-{date}.xml"
    path.write_text(UN_EXCERPT.format(date=date, comments=comments), encoding="utf-8")
    return path


def test_a_un_entry_becomes_an_entity_with_its_committee_and_listing_date(
    cli: Cli, tmp_path: Path
) -> None:
    """Committee as program (Taliban -> 1988, DPRK -> 1718), LISTED_ON as the date in force,
    aliases with their quality (Low -> weak-aka), the original script as an alias."""
    import_list(cli, "un", un_excerpt(tmp_path, "2024-01-05"))
    shown = cli.json("entity", "show", "un-tai-005")
    assert shown["entity"]["name"] == "MUHAMMAD TAHER ANWARI"
    assert shown["identifiers"] == [{"scheme": "un-ref", "value": "TAi.005"}]
    assert {(a["name"], a["kind"]) for a in shown["aliases"]} == {
        ("محمد طاهر أنوري", "aka"), ("Mohammad Taher Anwari", "aka"), ("Haji Mudir", "weak-aka"),
    }  # fmt: skip
    [listing] = shown["designations"]
    assert (listing["authority"], listing["list"], listing["program"]) == ("un-sc", "UNSC", "1988")
    assert listing["effective_on"] == "2001-02-23"
    assert designations(cli, "un-kpe-001")[0]["program"] == "1718"


def test_a_un_comment_respaced_is_a_cosmetic_amendment(cli: Cli, tmp_path: Path) -> None:
    """UN re-formatting ("web link: https" -> "web link:https") is recorded as cosmetic."""
    import_list(cli, "un", un_excerpt(tmp_path, "2024-01-05", "Web link: https://x.org"))
    summary = import_list(cli, "un", un_excerpt(tmp_path, "2024-02-05", "Web link:https://x.org"))
    assert (summary["changed"], summary["cosmetic"]) == (1, 1)
    changes = cli.json("report", "changes", "--since", "2024-02-01", "--hide-cosmetic")
    assert changes["changes"] == []


def test_uk_editions_reproduce_the_published_changes_and_join_the_un_entries(
    cli: Cli,
) -> None:
    """2014-04-02 -> 2018-04-13: +642, -833 (counted by Group ID). The 2018 rows that name a
    UN reference of their own kind ("UN Ref QDe.137" on an entity) join the UN entity: one
    entity for one target, compared across both authorities."""
    old, new = shared_file(*UK_2014), shared_file(*UK_2018)
    import_list(cli, "un", shared_file(*UN_2018_06_21))
    summary = import_list(cli, "uk", old)
    assert (summary["added"], summary["published_on"]) == (uk_groups(old), "2014-04-02")
    assert uk_groups(old) == 2_297
    refused = cli("import", "uk", str(new), "--quiet")
    assert "would delist 833 of the 2297" in refused.stderr
    summary = import_list(cli, "uk", new, "--allow-mass-delisting")
    assert (summary["added"], summary["removed"], summary["changed"]) == (642, 833, 704)
    assert summary["added"] + summary["changed"] + summary["unchanged"] == uk_groups(new)
    shown = cli.json("entity", "show", "un-qde-137")
    assert {i["scheme"] for i in shown["identifiers"]} == {"un-ref", "uk-group-id"}
    assert {d["authority"] for d in shown["designations"]} == {"un-sc", "uk"}
    un, uk = cli.json("report", "compare", "un-qde-137")["authorities"]
    assert (un["authority"], un["listed_on"], un["listing_lag_days"]) == ("un-sc", "2014-05-14", 0)
    assert (uk["authority"], uk["listed_on"], uk["listing_lag_days"]) == ("uk", "2014-05-29", 15)
    # An individual's row naming an entity's reference (an emir of QDe.004) joins nothing.
    assert [i["scheme"] for i in cli.json("entity", "show", "uk-13349")["identifiers"]] == [
        "uk-group-id"
    ]


UK_COLUMNS = [
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "DOB", "Town of Birth",
    "Country of Birth", "Nationality", "Passport Details", "NI Number", "Position",
    *(f"Address {n}" for n in range(1, 7)), "Post/Zip Code", "Country", "Other Information",
    "Group Type", "Alias Type", "Regime", "Listed On", "Last Updated", "Group ID",
]  # fmt: skip


def test_uk_rows_of_a_group_become_one_entity_with_aliases(cli: Cli, tmp_path: Path) -> None:
    """Rows grouped by Group ID in any order; the Prime Alias names the entity; Windows-1252
    decoded; regime as program since "Listed On"."""
    path = tmp_path / "conlist.csv"
    rows = [
        {"Name 6": "GARCÍA", "Name 1": "José", "Alias Type": "AKA", "Group ID": "99"},
        {"Name 6": "ACME TRADING", "Group Type": "Entity", "Regime": "Iran", "Group ID": "12",
         "Listed On": "01/02/2012"},
        {"Name 6": "GARCÍA LÓPEZ", "Name 1": "José", "Name 2": "Luis", "Group ID": "99"},
    ]  # fmt: skip
    person = {"Group Type": "Individual", "Alias Type": "Prime Alias", "Regime": "Venezuela",
              "Listed On": "22/01/2018", "DOB": "01/01/1960"}  # fmt: skip
    lines = [",".join(UK_COLUMNS)]
    lines += [",".join({**person, **row}.get(column, "") for column in UK_COLUMNS) for row in rows]
    text = "\r\n".join(["Last Updated,13/04/2018", *lines]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    summary = import_list(cli, "uk", path)
    assert (summary["added"], summary["published_on"]) == (2, "2018-04-13")
    shown = cli.json("entity", "show", "uk-99")
    assert shown["entity"]["name"] == "José Luis GARCÍA LÓPEZ"
    assert [a["name"] for a in shown["aliases"]] == ["José GARCÍA"]
    [listing] = shown["designations"]
    assert (listing["program"], listing["effective_on"]) == ("Venezuela", "2018-01-22")


def test_the_eu_excerpt_imports_every_entity_from_its_wrapped_lines(cli: Cli) -> None:
    """93 targets from the spreadsheet-wrapped lines; programme as program, the earliest
    regulation's publication date as the date, that regulation as the legal basis; the
    file's 0x92 is an apostrophe (Windows-1252), TABs inside names are spaces."""
    path = shared_file(*EU_2018)
    summary = import_list(cli, "eu", path)
    assert (summary["added"], summary["published_on"]) == (93, "2018-07-04")
    [mugabe] = designations(cli, "eu-1")
    assert (mugabe["authority"], mugabe["list"], mugabe["program"]) == ("eu", "FSF", "ZWE")
    assert (mugabe["effective_on"], mugabe["legal_basis"]) == ("2002-09-13", "1643/2002 (OJ L247)")
    aliases = {a["name"] for a in cli.json("entity", "show", "eu-201")["aliases"]}
    assert "Kunsill Rivoluzzjonarju ta’ Fatah" in aliases
    assert cli.json("entity", "show", "eu-215")["entity"]["name"] == "NPA Philippines"
    assert import_list(cli, "eu", path)["already_imported"]


UK_HEADER = "Last Updated,13/04/2018\r\nName 6,Group Type,Alias Type,Regime,Listed On,Group ID\r\n"
EU_HEADER = "Date_file;Entity_logical_id;Subject_type;Programme;Naal_wholename\n"


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        (
            "un",
            b"<CONSOLIDATED_LIST dateGenerated='2024-01-01'><INDIVIDUALS><IND",
            "not well-formed XML",
        ),
        ("un", b"<sdnList/>", "not a UN consolidated list"),
        ("un", b"<!DOCTYPE x [<!ENTITY a 'b'>]><CONSOLIDATED_LIST/>", "DTD"),
        (
            "un",
            b"<CONSOLIDATED_LIST dateGenerated='2024-01-01'><ENTITIES><ENTITY><FIRST_NAME>X"
            b"</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
            "no REFERENCE_NUMBER",
        ),
        (
            "un",
            b"<CONSOLIDATED_LIST dateGenerated='2024-01-01'><ENTITIES><ENTITY><FIRST_NAME>X"
            b"</FIRST_NAME><REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER><LISTED_ON>2024-13-01"
            b"</LISTED_ON></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
            "LISTED_ON",
        ),
        ("uk", b"Name 6,Group ID\r\nX,1\r\n", "line 1 is not 'Last Updated"),
        ("uk", b"Last Updated,13/04/2018\r\nName 6,Group ID\r\n", "the header lacks"),
        ("uk", (UK_HEADER + "X,Entity,AKA,Iran,31/31/2012,7\r\n").encode(), "line 3"),
        ("uk", (UK_HEADER + "X,Entity,AKA,Iran\r\n").encode(), "4 fields where the header has 6"),
        ("uk", (UK_HEADER + "X,Entity,AKA,Iran,01/01/2012,\r\n").encode(), "no Group ID"),
        ("uk", b"Last Updated,13/04/2018\r\n\x00\x01\x02", "binary"),
        ("eu", b"Name;Id\nX;1\n", "no Date_file header"),
        ("eu", EU_HEADER.encode(), "no rows"),
        ("eu", (EU_HEADER + "04/07/2018;;P;ZWE;X\n").encode(), "no Entity_logical_id"),
        ("eu", (EU_HEADER + "2018-07-04;1;P;ZWE;X\n").encode(), "unreadable date"),
        ("eu", (EU_HEADER + "04/07/2018;1;P;ZWE;\n").encode(), "has no name"),
    ],
)
def test_a_malformed_list_is_one_line_naming_the_problem_and_writes_nothing(
    cli: Cli, tmp_path: Path, kind: str, content: bytes, message: str
) -> None:
    path = tmp_path / "list.file"
    path.write_bytes(content)
    result = cli("import", kind, str(path), "--quiet")
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli.json("import", "runs")["runs"] == []


@pytest.mark.parametrize("kind", ["un", "uk", "eu", "ftm"])
def test_a_missing_or_empty_file_is_named(cli: Cli, tmp_path: Path, kind: str) -> None:
    missing = cli("import", kind, str(tmp_path / "nope"))
    assert missing.exit_code == 1
    assert "no such file" in missing.stderr
    (tmp_path / "empty").write_bytes(b"")
    empty = cli("import", kind, str(tmp_path / "empty"))
    assert "the file is empty" in empty.stderr
