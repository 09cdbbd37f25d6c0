"""`tracker search` and `tracker screen`: any spelling finds the listed party, with why."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import tracker
from tests.conftest import FILLED_EDITION, Cli, content_checksum
from tracker.db import create_engine
from tracker.errors import InvalidValue
from tracker.models import SearchKey, SearchName
from tracker.names import likeness, normalize_name
from tracker.records import ScreenQuery
from tracker.reports.json import jsonable


def hits(cli: Cli, *args: str) -> list[dict[str, Any]]:
    return cli.json("search", *args)["hits"]


def keys(found: list[dict[str, Any]]) -> list[str]:
    return [hit["entity"]["key"] for hit in found]


def listings(hit: dict[str, Any]) -> list[tuple[str, str, str, str | None]]:
    """A hit's designations in force, as (kind, authority, list, program)."""
    return [(ref["kind"], ref["authority"], ref["list"], ref["program"]) for ref in hit["in_force"]]


def active_ids(cli: Cli, key: str, as_of: str | None = None) -> set[int]:
    """The ids of the entity's designations in force on the day, as the API states them."""
    with cli.api as db:
        return {d.id for d in db.designations(entity=key, as_of=as_of) if d.status == "active"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Cartel of the Suns", "cartel-de-los-soles"),  # an alias, in English
        ("CARTEL DE LOS SOLES", "cartel-de-los-soles"),  # case
        ("Cártel de los Soles", "cartel-de-los-soles"),  # accents added
        ("Soles de los Cartel", "cartel-de-los-soles"),  # word order
        ("Cartel de los Solse", "cartel-de-los-soles"),  # a typo
        ("Картель де лос Солес", "cartel-de-los-soles"),  # Cyrillic
        ("حزب الله", "hizballah"),  # Arabic script: no short vowels written
        ("Cartel de Sinaloa", "cartel-de-sinaloa"),  # accents dropped (stored: Cártel)
        ("Hizbollah", "hizballah"),  # another spelling
    ],
)
def test_any_spelling_finds_the_listed_party_first(seeded: Cli, query: str, expected: str) -> None:
    found = hits(seeded, query)
    assert found, f"nothing found for {query!r}"
    assert found[0]["entity"]["key"] == expected
    assert 0 < found[0]["score"] <= 1
    assert found[0]["why"]


def test_a_hit_shows_the_matched_name_why_and_designations_in_force(seeded: Cli) -> None:
    [hit] = hits(seeded, "Cartel of the Suns", "--limit", "1")
    assert hit["matched"] == "Cartel of the Suns"
    assert hit["matched_as"] == "aka"
    entity = hit["entity"]
    assert (entity["key"], entity["name"], entity["kind"], entity["country"]) == (
        "cartel-de-los-soles",
        "Cartel de los Soles",
        "organization",
        "VE",
    )
    with seeded.api as db:
        assert entity == jsonable(db.entity("cartel-de-los-soles").entity)  # the whole record
    assert hit["score"] == 1.0
    assert "ignoring case" in hit["why"]
    assert listings(hit) == [
        ("designation", "us-ofac", "SDN", "SDGT"),
        ("designation", "us-state", "FTO", None),
    ]
    assert {ref["id"] for ref in hit["in_force"]} == active_ids(seeded, "cartel-de-los-soles")


def test_the_json_document_is_the_api_hits_with_the_question(seeded: Cli) -> None:
    """`--format json` is the API's records as they are, under what was asked."""
    document = seeded.json("search", "Cartel de los Soles", "--as-of", "2025-11-20",
                           "--authority", "us-ofac", "--threshold", "0.9")  # fmt: skip
    with seeded.api as db:
        found = db.search("Cartel de los Soles", as_of="2025-11-20", threshold=0.9,
                          filters=tracker.Filters(authority="us-ofac"))  # fmt: skip
    assert found
    assert document["hits"] == jsonable(found)
    question = {key: value for key, value in document.items() if key != "hits"}
    assert question == {"schema_version": 2, "kind": "search", "query": "Cartel de los Soles",
                        "threshold": 0.9, "as_of": "2025-11-20", "active_only": False,
                        "filters": {"authority": "us-ofac"}}  # fmt: skip


def test_in_force_follows_the_as_of_date(seeded: Cli) -> None:
    """Before 2025-11-24 the FTO designation was announced, not yet in force."""
    [hit] = hits(seeded, "Cartel de los Soles", "--limit", "1", "--as-of", "2025-11-20")
    assert listings(hit) == [("designation", "us-ofac", "SDN", "SDGT")]
    assert {ref["id"] for ref in hit["in_force"]} == active_ids(
        seeded, "cartel-de-los-soles", "2025-11-20"
    )
    [before] = hits(seeded, "Cartel de los Soles", "--limit", "1", "--as-of", "2025-01-01")
    assert (before["entity"]["key"], before["in_force"]) == ("cartel-de-los-soles", [])
    assert hits(seeded, "Cartel de los Soles", "--as-of", "2025-01-01", "--active-only") == []
    assert keys(hits(seeded, "Cartel de los Soles", "--limit", "1", "--active-only")) == [
        "cartel-de-los-soles"
    ]


def test_filters_by_authority_list_and_kind(seeded: Cli) -> None:
    found = hits(seeded, "Cartel de los Soles", "--authority", "us-state", "--list", "fto")
    assert keys(found)[0] == "cartel-de-los-soles"
    assert ("designation", "us-state", "FTO", None) in listings(found[0])
    assert hits(seeded, "Cartel de los Soles", "--authority", "un-sc") == []
    assert hits(seeded, "Cartel de los Soles", "--kind", "person") == []
    assert keys(hits(seeded, "Cartel de los Soles", "--kind", "organization", "--limit", "1")) == [
        "cartel-de-los-soles"
    ]


def test_a_score_below_the_threshold_is_not_shown(seeded: Cli) -> None:
    query = "Cartel de los Lunes"
    assert hits(seeded, query, "--threshold", "0.99") == []
    assert hits(seeded, query) == []  # the default threshold, 0.85
    lowered = hits(seeded, query, "--threshold", "0.6")
    assert "cartel-de-los-soles" in keys(lowered)
    assert all(0.6 <= hit["score"] < 0.85 for hit in lowered)
    assert hits(seeded, "Emily Thompson") == []


def test_search_by_identifier_is_exact(seeded: Cli) -> None:
    seeded.ok("entity", "identify", "tren-de-aragua", "test-id:42")
    [hit] = hits(seeded, "--id", "test-id:42")
    assert hit["entity"]["key"] == "tren-de-aragua"
    assert hit["score"] == 1.0
    assert (hit["matched"], hit["matched_as"]) == ("Tren de Aragua", "name")
    assert hit["why"] == "identifier test-id:42"
    assert {ref["id"] for ref in hit["in_force"]} == active_ids(seeded, "tren-de-aragua")
    assert hits(seeded, "--id", "test-id:43") == []


def test_names_written_later_are_found_at_once(seeded: Cli) -> None:
    """Entities, aliases and renames are indexed in the command that writes them."""
    seeded.ok("entity", "add", "Los Chapitos", "--kind", "organization")
    assert keys(hits(seeded, "chapitos"))[0] == "los-chapitos"
    seeded.ok("entity", "alias", "add", "los-chapitos", "Sons of El Chapo")
    [alias] = hits(seeded, "Sons of El Chapo", "--limit", "1")
    assert (alias["entity"]["key"], alias["matched_as"]) == ("los-chapitos", "aka")
    seeded.ok("entity", "edit", "los-chapitos", "--name", "Facción de Los Chapitos")
    renamed = hits(seeded, "Faccion Chapitos")[0]
    assert (renamed["entity"]["key"], renamed["entity"]["name"]) == (
        "los-chapitos",
        "Facción de Los Chapitos",
    )


def test_imported_entries_are_indexed_with_their_former_names(seeded: Cli, tmp_path: Path) -> None:
    for number, name in enumerate(["ALPHA TRADING LLC", "OMEGA TRADING LLC"]):
        path = tmp_path / f"sdn-{number}.xml"
        path.write_text(
            FILLED_EDITION.format(date=f"0{number + 1}/02/2025", name=name, remarks="-")
        )
        seeded.ok("import", "ofac", str(path), "--quiet")
    assert keys(hits(seeded, "Omega Trading"))[0] == "ofac-9001"
    former = hits(seeded, "Alpha Trading")[0]
    with seeded.api as db:
        entity = db.entity("ofac-9001").entity
    assert entity.name == "OMEGA TRADING LLC"
    assert former["entity"] == jsonable(entity)  # the entity as it is now, not as it was
    assert (former["matched"], former["matched_as"]) == ("ALPHA TRADING LLC", "fka")
    assert listings(former) == [("designation", "us-ofac", "SDN", "SDGT")]
    assert keys(hits(seeded, "Мадуро Морос Николас"))[0] == "ofac-9002"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "the name to search for is empty"),
        ([], "give a NAME or --id"),
        (["Cartel", "--id", "ofac-uid:1"], "give a NAME or --id"),
        (["--id", "no:"], "give SCHEME:VALUE (e.g. ofac-uid:36) or a number of 5 or more"),
        (["Cartel", "--threshold", "2"], "--threshold"),
        (["Cartel", "--limit", "0"], "--limit"),
        (["Cartel", "--as-of", "2025-02-30"], "--as-of: impossible date '2025-02-30'"),
        (["Cartel", "--kind", "planet"], "--kind"),
    ],
)
def test_bad_searches_are_one_line(seeded: Cli, args: list[str], message: str) -> None:
    """A malformed search is a usage error: exit 2, one line."""
    result = seeded("search", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: db.search(), "give a name or an identifier"),
        (lambda db: db.search("Cartel", identifier="a:b"), "give a name or an identifier"),
        (lambda db: db.search(" "), "the name to search for is empty"),
        (lambda db: db.search(identifier="a-b"), "give SCHEME:VALUE"),
        (lambda db: db.search("Cartel", limit=0), "limit: 0"),
        (lambda db: db.search("Cartel", threshold=1.5), "threshold: 1.5"),
        (lambda db: db.search("Cartel", as_of="2025-02-30"), "as_of: impossible date"),
        (lambda db: db.screen(["Cartel"], limit=0), "limit: 0"),  # at the call, not later
        (lambda db: db.screen(["Cartel"], threshold=-0.1), "threshold: -0.1"),
        (lambda db: db.screen(["Cartel"], as_of="x"), "as_of: invalid date"),
    ],
)
def test_the_api_refuses_malformed_searches(
    db: tracker.Tracker, call: Callable[[tracker.Tracker], object], message: str
) -> None:
    """What the command line's options refuse, the API refuses too: a usage error."""
    with pytest.raises(InvalidValue, match=message):
        call(db)


def test_the_api_screens_lazily_in_order_with_the_callers_ids(seeded: Cli) -> None:
    taken: list[str] = []

    def names() -> Iterator[str | ScreenQuery]:
        items: list[str | ScreenQuery] = [ScreenQuery("Hizbollah", "c-7"), "Emily Thompson",
                                          ScreenQuery("Cartel of the Suns", "c-9")]  # fmt: skip
        for item in items:
            taken.append(item if isinstance(item, str) else item.name)
            yield item

    with seeded.api as db:
        screening = db.screen(names(), limit=2)
        first = next(screening)
        assert taken == ["Hizbollah"]  # one name read, one screened
        results = [first, *screening]
        alone = db.search("Cartel of the Suns", limit=2)
    assert [result.query for result in results] == [
        ScreenQuery("Hizbollah", "c-7"),
        ScreenQuery("Emily Thompson"),
        ScreenQuery("Cartel of the Suns", "c-9"),
    ]
    assert results[0].hits[0].entity.key == "hizballah"
    assert results[1].hits == ()
    assert results[2].hits == tuple(alone)  # the same hits as one search


def test_screen_writes_one_row_per_input_and_hit(seeded: Cli, tmp_path: Path) -> None:
    names = tmp_path / "customers.csv"
    names.write_text(
        "id,full_name\n1,Cartel of the Suns\n2,Emily Thompson\n3,Tren de Aragua\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    before = content_checksum(seeded.url)
    result = seeded.ok("screen", str(names), "--column", "full_name", "-o", str(out))
    assert "Screened 3 names: 2 with hits (2 rows)" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "input_line,input,rank,score,key,name,matched,why,in_force,agrees,contradicts"
    )
    assert [line.split(",")[1] for line in lines[1:]] == ["Cartel of the Suns", "Tren de Aragua"]
    assert lines[1] == (
        "2,Cartel of the Suns,1,1.0,cartel-de-los-soles,Cartel de los Soles,Cartel of the Suns,"
        '"same name, ignoring case, accents, punctuation and legal form",'
        "us-ofac SDN SDGT; us-state FTO,,"
    )
    assert lines[2].startswith("4,Tren de Aragua,1,1.0,tren-de-aragua,")
    written = sorted(path.name for path in tmp_path.iterdir() if path.suffix != ".db")
    assert written == ["customers.csv", "hits.csv"]  # and no partial file left
    assert content_checksum(seeded.url) == before  # screening never writes


def test_screen_reads_plain_text_and_writes_json_lines(seeded: Cli, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Cartel de los Soles\n\nHizbollah\n", encoding="utf-8")
    result = seeded.ok("screen", str(names), "--format", "json", "--limit", "1")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [
        (row["input_line"], row["input"], row["rank"], row["entity"]["key"]) for row in rows
    ] == [
        (1, "Cartel de los Soles", 1, "cartel-de-los-soles"),
        (3, "Hizbollah", 1, "hizballah"),
    ]
    assert listings(rows[0]) == [
        ("designation", "us-ofac", "SDN", "SDGT"),
        ("designation", "us-state", "FTO", None),
    ]
    with seeded.api as db:
        [hit] = db.search("Hizbollah", limit=1)
    assert {k: v for k, v in rows[1].items() if k not in ("input_line", "input", "rank")} == (
        jsonable(hit)
    )
    assert "Screened 2 names: 2 with hits (2 rows)" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "args", "message", "code"),
    [
        # The file: data errors (exit 1).
        ("names.csv", b"id,full_name\n1,X\n", ["--column", "name"], "no column 'name'", 1),
        ("names.csv", b"\x00\x01PK\x03", [], "a binary file", 1),
        ("names.txt", b"caf\xe9\n", [], "line 1: not UTF-8 text", 1),
        ("names.txt", b"ok\ncaf\xe9\n", [], "line 2: not UTF-8 text", 1),
        ("names.csv", b"", [], "empty CSV file", 1),
        ("missing.csv", None, [], "no such file", 1),
        # The options: usage errors (exit 2).
        ("names.txt", b"X\n", ["--column", "name"], "--column needs a CSV file", 2),
        ("names.csv", b"name\nX\n", ["--format", "html"], "'html' is not one of 'csv', 'json'", 2),
        ("names.csv", b"name\nX\n", ["-o", "hits.xlsx"], "unknown suffix '.xlsx'", 2),
        ("names.csv", b"name\nX\n", ["--as-of", "2025-13"], "--as-of: ", 2),
        ("names.csv", b"name\nX\n", ["--limit", "0"], "--limit", 2),
    ],
)
def test_screen_bad_input_is_one_line(
    seeded: Cli,
    tmp_path: Path,
    name: str,
    content: bytes | None,
    args: list[str],
    message: str,
    code: int,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = seeded("screen", str(path), *args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_screen_output_is_written_whole_or_not_at_all(
    seeded: Cli, bare: Cli, tmp_path: Path
) -> None:
    """An error (no database, an unwritable path) is one line and leaves no partial file;
    a file already there stays as it was."""
    folder = tmp_path / "screening"
    folder.mkdir()
    names = folder / "names.txt"
    names.write_text("Cartel of the Suns\n", encoding="utf-8")
    kept = folder / "kept.csv"
    kept.write_text("earlier results\n", encoding="utf-8")
    for cli, out in [(bare, kept), (seeded, folder / "no-such-folder" / "hits.csv")]:
        result = cli("screen", str(names), "-o", str(out))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: ")
        assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot write" in result.stderr
    assert kept.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(path.name for path in folder.iterdir()) == ["kept.csv", "names.txt"]
    seeded.ok("screen", str(names), "-o", str(kept))
    assert kept.read_text(encoding="utf-8").splitlines()[1].startswith("1,Cartel of the Suns,1,")
    assert sorted(path.name for path in folder.iterdir()) == ["kept.csv", "names.txt"]


def test_normalisation_sets_aside_titles_legal_forms_and_scripts() -> None:
    assert normalize_name("Grupo Bimbo, S.A. de C.V.") == "grupo bimbo"
    assert normalize_name("ACME Trading L.L.C.") == normalize_name("Acme Trading")
    assert normalize_name("Sheikh Ahmed Yassin") == "ahmed yassin"
    assert normalize_name("Пригожин Евгений") == "prigozhin evgeniy"
    assert normalize_name("LLC") == "llc"  # nothing but a legal form: kept


def test_likeness_explains_itself() -> None:
    assert likeness("maduro nicolas", "maduro nicolas").score == 1.0
    reordered = likeness("nicolas maduro", "maduro nicolas")
    assert reordered.why == "same words in another order"
    partial = likeness("nicolas maduro", "maduro moros nicolas")
    assert partial.why == "2 of 2 words match, 1 more in the listed name"
    typo = likeness("maduro nikolas", "maduro nicolas")
    assert typo.why == "2 of 2 words match, 1 spelt differently"
    assert typo.score > 0.85 > likeness("emily kim", "kim lidia").score


def test_db_reindex_rebuilds_the_index_from_the_names(seeded: Cli) -> None:
    """After the index is lost (or the normalisation rules change), reindex brings it back."""
    queries = ["Cartel of the Suns", "Hizbollah", "Картель де лос Солес"]
    before = {query: hits(seeded, query) for query in queries}
    assert keys(before["Cartel of the Suns"])[0] == "cartel-de-los-soles"
    engine = create_engine(seeded.url)
    with engine.begin() as connection:
        connection.execute(sa.delete(SearchKey))
        connection.execute(sa.delete(SearchName))
    engine.dispose()
    assert hits(seeded, "Cartel of the Suns") == []
    assert "Reindexed the names of 112 entities" in seeded.ok("db", "reindex").stdout
    assert {query: hits(seeded, query) for query in queries} == before
    with seeded.api as db:
        assert db.reindex() == 112  # again: the same index, rebuilt
    assert {query: hits(seeded, query) for query in queries} == before
