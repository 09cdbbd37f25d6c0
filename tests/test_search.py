"""`tracker search` and `tracker screen`: any spelling finds the listed party, with why."""

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import FILLED_EDITION, Tracker, content_checksum
from tracker.db import create_engine
from tracker.models import SearchKey, SearchName
from tracker.names import likeness, normalize_name


def hits(tracker: Tracker, *args: str) -> list[dict[str, Any]]:
    return tracker.json("search", *args)["hits"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Cartel of the Suns", "cartel-de-los-soles"),  # an alias, in English
        ("CARTEL DE LOS SOLES", "cartel-de-los-soles"),  # case
        ("Cártel de los Soles", "cartel-de-los-soles"),  # accents added
        ("Soles de los Cartel", "cartel-de-los-soles"),  # word order
        ("Cartel de los Solse", "cartel-de-los-soles"),  # a typo
        ("Картель де лос Солес", "cartel-de-los-soles"),  # Cyrillic
        ("Cartel de Sinaloa", "cartel-de-sinaloa"),  # accents dropped (stored: Cártel)
        ("Hizbollah", "hizballah"),  # another spelling
    ],
)
def test_any_spelling_finds_the_listed_party_first(
    seeded: Tracker, query: str, expected: str
) -> None:
    found = hits(seeded, query)
    assert found, f"nothing found for {query!r}"
    assert found[0]["key"] == expected
    assert 0 < found[0]["score"] <= 1
    assert found[0]["why"]


def test_a_hit_shows_the_matched_name_why_and_designations_in_force(seeded: Tracker) -> None:
    [hit] = hits(seeded, "Cartel of the Suns", "--limit", "1")
    assert hit["matched"] == "Cartel of the Suns"
    assert hit["matched_as"] == "aka"
    assert hit["name"] == "Cartel de los Soles"
    assert hit["score"] == 1.0
    assert "ignoring case" in hit["why"]
    assert hit["in_force"] == ["us-ofac SDN SDGT", "us-state FTO"]


def test_in_force_follows_the_as_of_date(seeded: Tracker) -> None:
    """Before 2025-11-24 the FTO designation was announced, not yet in force."""
    [hit] = hits(seeded, "Cartel de los Soles", "--limit", "1", "--as-of", "2025-11-20")
    assert hit["in_force"] == ["us-ofac SDN SDGT"]
    assert hits(seeded, "Cartel de los Soles", "--as-of", "2025-01-01", "--active-only") == []


def test_filters_by_authority_list_and_kind(seeded: Tracker) -> None:
    assert hits(seeded, "Cartel de los Soles", "--authority", "us-state", "--list", "FTO")
    assert hits(seeded, "Cartel de los Soles", "--authority", "un-sc") == []
    assert hits(seeded, "Cartel de los Soles", "--kind", "person") == []


def test_a_score_below_the_threshold_is_not_shown(seeded: Tracker) -> None:
    assert hits(seeded, "Cartel de los Soles Unidos del Norte", "--threshold", "0.99") == []
    assert hits(seeded, "Emily Thompson") == []


def test_search_by_identifier_is_exact(seeded: Tracker) -> None:
    seeded.ok("entity", "identify", "tren-de-aragua", "test-id:42")
    [hit] = hits(seeded, "--id", "test-id:42")
    assert hit["key"] == "tren-de-aragua"
    assert hit["score"] == 1.0
    assert hits(seeded, "--id", "test-id:43") == []


def test_names_written_later_are_found_at_once(seeded: Tracker) -> None:
    """Entities, aliases and renames are indexed in the command that writes them."""
    seeded.ok("entity", "add", "Los Chapitos", "--kind", "organization")
    assert hits(seeded, "chapitos")[0]["key"] == "los-chapitos"
    seeded.ok("entity", "alias", "add", "los-chapitos", "Sons of El Chapo")
    assert hits(seeded, "Sons of El Chapo")[0]["key"] == "los-chapitos"
    seeded.ok("entity", "edit", "los-chapitos", "--name", "Facción de Los Chapitos")
    assert hits(seeded, "Faccion Chapitos")[0]["name"] == "Facción de Los Chapitos"


def test_imported_entries_are_indexed_with_their_former_names(
    seeded: Tracker, tmp_path: Path
) -> None:
    for number, name in enumerate(["ALPHA TRADING LLC", "OMEGA TRADING LLC"]):
        path = tmp_path / f"sdn-{number}.xml"
        path.write_text(
            FILLED_EDITION.format(date=f"0{number + 1}/02/2025", name=name, remarks="-")
        )
        seeded.ok("import", "ofac", str(path), "--quiet")
    assert hits(seeded, "Omega Trading")[0]["key"] == "ofac-9001"
    former = hits(seeded, "Alpha Trading")[0]
    assert former["key"] == "ofac-9001"
    assert former["matched_as"] == "fka"
    assert hits(seeded, "Мадуро Морос Николас")[0]["key"] == "ofac-9002"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "the name to search for is empty"),
        ([], "give a NAME or --id"),
        (["Cartel", "--id", "ofac-uid:1"], "give a NAME or --id"),
        (["--id", "no-colon"], "expected SCHEME:VALUE"),
        (["Cartel", "--threshold", "2"], "--threshold"),
    ],
)
def test_bad_searches_are_one_line(seeded: Tracker, args: list[str], message: str) -> None:
    result = seeded("search", *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_screen_writes_one_row_per_input_and_hit(seeded: Tracker, tmp_path: Path) -> None:
    names = tmp_path / "customers.csv"
    names.write_text(
        "id,full_name\n1,Cartel of the Suns\n2,Emily Thompson\n3,Tren de Aragua\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    before = content_checksum(seeded.url)
    result = seeded.ok("screen", str(names), "--column", "full_name", "-o", str(out))
    assert "Screened 3 names: 2 with hits" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "input_line,input,rank,score,key,name,matched,why,in_force"
    assert [line.split(",")[1] for line in lines[1:]] == ["Cartel of the Suns", "Tren de Aragua"]
    assert content_checksum(seeded.url) == before  # screening never writes


def test_screen_reads_plain_text_and_writes_json_lines(seeded: Tracker, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Cartel de los Soles\n\nHizbollah\n", encoding="utf-8")
    result = seeded.ok("screen", str(names), "--format", "json", "--limit", "1")
    rows = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 2
    assert '"input_line": 3' in rows[1]


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("names.csv", b"id,full_name\n1,X\n", ["--column", "name"], "no column 'name'"),
        ("names.csv", b"\x00\x01PK\x03", [], "a binary file"),
        ("names.txt", b"caf\xe9\n", [], "line 1: not UTF-8 text"),
        ("missing.csv", None, [], "no such file"),
    ],
)
def test_screen_bad_input_is_one_line(
    seeded: Tracker, tmp_path: Path, name: str, content: bytes | None, args: list[str], message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = seeded("screen", str(path), *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


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


def test_db_reindex_rebuilds_the_index_from_the_names(seeded: Tracker) -> None:
    """After the index is lost (or the normalisation rules change), reindex brings it back."""
    engine = create_engine(seeded.url)
    with engine.begin() as connection:
        connection.execute(sa.delete(SearchKey))
        connection.execute(sa.delete(SearchName))
    engine.dispose()
    assert hits(seeded, "Cartel of the Suns") == []
    assert "Reindexed the names of 112 entities" in seeded.ok("db", "reindex").stdout
    assert hits(seeded, "Cartel of the Suns")[0]["key"] == "cartel-de-los-soles"
