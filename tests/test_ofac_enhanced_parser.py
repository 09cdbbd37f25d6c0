"""The OFAC enhanced XML parser on its own (no database): a real program-filtered export, and
small excerpts built from it for what the sample lacks (relationships) or breaks."""

import re
from pathlib import Path

import pytest

from tests.conftest import shared_file
from tracker.enums import AliasKind, EntityKind
from tracker.errors import InvalidInput
from tracker.importers import ofac_enhanced, specs
from tracker.importers.records import ListedParty

SAMPLE = ("ofac_enhanced_xml", "2024-05-24_yemen", "yemen_sanctions.xml")
IDS = ["30624", "31192", "31193", "31195", "31194", "17927", "17928", "17368", "17387", "17386"]
LEGACY = ("ofac_consolidated", "2018-04-06", "consolidated.xml")
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RELATIONSHIP = (
    '<relationships><relationship id="1"><type refId="1555">Owned or Controlled By</type>'
    '<relatedEntity entityId="31192">X</relatedEntity></relationship></relationships>'
)


def parties(path: Path) -> dict[str, ListedParty]:
    edition = ofac_enhanced.read(path, list_code="SDN", published_on=None)
    return {party.identifier: party for party in edition.parties}


@pytest.fixture(scope="module")
def sample() -> dict[str, ListedParty]:
    return parties(shared_file(*SAMPLE))


def entity_xml(uid: str) -> str:
    """One entity of the sample, as it is written there."""
    text = shared_file(*SAMPLE).read_text(encoding="utf-8")
    match = re.search(rf'<entity id="{uid}">.*?</entity>', text, re.DOTALL)
    assert match
    return match.group()


def excerpt(tmp_path: Path, first_entity: str) -> Path:
    """The sample's header, then `first_entity` and entity 31192."""
    text = shared_file(*SAMPLE).read_text(encoding="utf-8")
    head = text[: text.index("<referenceValues>")]
    path = tmp_path / "excerpt.xml"
    body = f"<entities>{first_entity}{entity_xml('31192')}</entities></sanctionsData>"
    path.write_text(head + body, encoding="utf-8")
    return path


def test_reads_the_ten_entities_with_their_ids(sample: dict[str, ListedParty]) -> None:
    """Every entity is read, in file order, keyed by its id attribute (OFAC's uid)."""
    assert list(sample) == IDS


def test_zabin_is_a_person_listed_under_two_programs(sample: dict[str, ListedParty]) -> None:
    """30624 is ZABIN, Sultan: GLOMAG and YEMEN, both since the SDN List's 2020-12-10, under
    both executive orders, each with the program membership's own id."""
    zabin = sample["30624"]
    assert (zabin.name, zabin.kind) == ("ZABIN, Sultan", EntityKind.PERSON)
    assert [listing.program for listing in zabin.listings] == ["GLOMAG", "YEMEN"]
    for listing in zabin.listings:
        assert listing.listed_on == "2020-12-10"
        assert listing.legal_basis == (
            "Executive Order 13611 (Yemen); Executive Order 13818 (Global Magnitsky)"
        )
    assert [listing.record_id for listing in zabin.listings] == ["33157", "33165"]


def test_arabic_aliases_carry_their_script_and_no_bidi_marks(
    sample: dict[str, ListedParty],
) -> None:
    """Arabic translations are aliases with script "Arabic", stripped of the bidi controls."""
    arabic = [alias for alias in sample["30624"].aliases if alias.script]
    assert {alias.script for alias in arabic} == {"Arabic"}
    assert "ابو صقر زابن" in {alias.name for alias in arabic}
    assert not any(BIDI.search(alias.name) for party in sample.values() for alias in party.aliases)


def test_low_quality_names_are_weak_aliases(sample: dict[str, ListedParty]) -> None:
    """isLowQuality names are weak-aka; the others stay aka; the primary name is no alias."""
    kinds = {alias.name: alias.kind for alias in sample["30624"].aliases}
    assert kinds["SAQAR, Abu"] == AliasKind.WEAK_AKA
    assert kinds["ZABIN, Sultan Saleh"] == AliasKind.AKA
    assert "ZABIN, Sultan" not in kinds


def test_details_hold_birth_nationality_documents_and_title(
    sample: dict[str, ListedParty],
) -> None:
    """Features, identity documents and the title land in details, JSON-ready."""
    details = sample["30624"].details
    assert details["dates_of_birth"] == ["1986"]
    assert details["nationalities"] == ["Yemen"]
    assert details["lists"] == [{"list": "SDN List", "published": "2020-12-10"}]
    assert {(doc["type"], doc["number"]) for doc in details["documents"]} == {
        ("Identification Number", "20322"),
        ("National ID No.", "10010095104"),
    }
    assert sample["31195"].details["title"] == "Commander of the Houthi Air Force"
    passport = sample["17928"].details["documents"][0]
    assert (passport["issued_on"], passport["expires_on"]) == ("2008-10-27", "2014-10-26")


def test_edition_is_dated_by_data_as_of_and_filtered_is_partial() -> None:
    """dataAsOf's date is the edition's; a program filter makes it incomplete; a contradicting
    --published is refused."""
    path = shared_file(*SAMPLE)
    edition = ofac_enhanced.read(path, list_code="SDN", published_on="2024-05-24")
    assert (edition.published_on, edition.complete) == ("2024-05-24", False)
    assert (edition.format, edition.declared_count) == ("ofac-enhanced-xml", None)
    assert edition.official_url == specs.ofac_url("SDN_ENHANCED.XML")
    with pytest.raises(InvalidInput, match="contradicts the file's own dataAsOf 2024-05-24"):
        ofac_enhanced.read(path, list_code="SDN", published_on="2024-05-23")


def test_is_enhanced_tells_it_from_the_legacy_xml() -> None:
    """The sanctionsData root is recognised in the first bytes; a legacy sdnList is not."""
    with shared_file(*SAMPLE).open("rb") as handle:
        assert ofac_enhanced.is_enhanced(handle.read(512))
    with shared_file(*LEGACY).open("rb") as handle:
        assert not ofac_enhanced.is_enhanced(handle.read(512))


def test_relationships_become_relations(tmp_path: Path) -> None:
    """A relationship names its type and the related entity's id, in relations and details."""
    related = entity_xml("30624").replace("</entity>", RELATIONSHIP + "</entity>")
    found = parties(excerpt(tmp_path, related))
    assert found["30624"].relations == (("Owned or Controlled By", "31192"),)
    assert found["30624"].details["relationships"] == [
        {"relation": "Owned or Controlled By", "entity": "31192"}
    ]
    assert found["31192"].relations == ()


def test_an_entity_without_names_is_one_clear_error(tmp_path: Path) -> None:
    """No names: an InvalidInput naming the file and the entity."""
    nameless = re.sub(r"<names>.*</names>", "", entity_xml("30624"), flags=re.DOTALL)
    path = excerpt(tmp_path, nameless)
    with pytest.raises(InvalidInput, match=r"excerpt\.xml: entity 1 \(id 30624\): no name"):
        parties(path)


def test_a_truncated_file_is_invalid_input(tmp_path: Path) -> None:
    """A file cut off mid-entity is a clean InvalidInput, not a parser traceback."""
    data = shared_file(*SAMPLE).read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: data.index(b'<entity id="31193"') + 200])
    with pytest.raises(InvalidInput, match="not well-formed"):
        parties(path)
