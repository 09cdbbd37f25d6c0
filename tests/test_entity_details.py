"""`entity show` shows what each list says of an entry (births, nationalities, addresses,
documents, vessel particulars, remarks), typed, with the editions that said it; change
reports name the entities beside their keys."""

import csv
import dataclasses
import io
from typing import Any

import pytest

from tests.conftest import Cli, Copies, imported, shared_file
from tracker.records import Birth, IdentityDocument, ListedDetails
from tracker.reports.listed import listed_details
from tracker.reports.stated import ofac_remarks, stated_birth, stated_day

SDN_2022 = ("ofac_sdn_csv", "2022-06-17T1852Z", "sdn.csv")
UN_2018 = ("un_consolidated", "2018-06-07", "consolidated.xml")


@pytest.fixture
def sdn(copies: Copies) -> Cli:
    """The SDN legacy CSV of 2022-06-17 (births and documents only in the remarks)."""
    path = shared_file(*SDN_2022)
    return imported(copies, "sdn-2022-06-17", (path, {"published": "2022-06-17"}))


@pytest.fixture
def un(copies: Copies) -> Cli:
    """The UN consolidated list of 2018-06-07."""
    return imported(copies, "un-2018-06-07", (shared_file(*UN_2018), {}))


def entry(cli: Cli, key: str) -> dict[str, Any]:
    [listed] = cli.json("entity", "show", key)["lists"]
    return listed


def test_ofac_sdn_entry_shows_births_nationalities_and_documents_as_fields(sdn: Cli) -> None:
    """An SDN CSV entry's DOB, POB, nationality and passports come out of its remarks as
    typed fields; the remarks stay as written; the edition that said it is named."""
    listed = entry(sdn, "ofac-10000")
    details = listed["details"]
    assert details["births"] == [
        {"date": "1963-12-13", "place": "El Aguila, Valle, Colombia", "country": None,
         "approximate": False, "note": None}
    ]  # fmt: skip
    assert details["nationalities"] == ["Colombia"]
    assert details["citizenships"] == ["Colombia"]
    passports = [d for d in details["documents"] if d["kind"] == "Passport"]
    assert [(d["number"], d["country"]) for d in passports] == [
        ("AF133955", "Colombia"),
        ("AC877214", "Colombia"),
    ]
    assert details["remarks"][0].startswith("DOB 13 Dec 1963; POB El Aguila")
    assert (listed["name"], listed["programs"]) == ("CANO CORREA, Jhon Eidelber", ["SDNT"])
    assert listed["first_source"]["published_on"] == "2022-06-17"
    assert listed["last_source"] == listed["first_source"]
    assert "remarks" in listed["says"]  # the stored form is still there, as before


def test_ofac_sdn_vessel_particulars(sdn: Cli) -> None:
    """A vessel's flag, type and tonnage (columns of the CSV) and its IMO number (in the
    remarks) are vessel particulars."""
    keys = {e["key"] for e in sdn.json("entity", "list", "--kind", "vessel")["entities"]}
    vessels = [entry(sdn, key)["details"]["vessel"] for key in sorted(keys)[:20]]
    assert all(vessel is not None for vessel in vessels)
    assert any(vessel["flag"] and vessel["imo"] for vessel in vessels), vessels


def test_ofac_sdn_table_shows_what_the_list_says(sdn: Cli) -> None:
    """The table view has a block per list entry with the birth, nationality, documents
    and the edition that says it."""
    out = sdn.ok("entity", "show", "ofac-10000").stdout
    assert "What the lists say: us-ofac/SDN 10000" in out
    for text in ("1963-12-13 in El Aguila", "Colombia", "Passport AF133955 (Colombia)"):
        assert text in out, out
    assert "OFAC sanctions list SDN, edition of 2022-06-17" in out


def test_un_entry_shows_births_nationalities_and_documents_as_fields(un: Cli) -> None:
    """A UN entry's date and place of birth, nationality and passport are typed fields;
    the committee's list type is kept under its own label."""
    details = entry(un, "un-qdi-402")["details"]
    assert details["births"] == [
        {"date": "1983", "place": "Al Baydah Governorate", "country": "Yemen",
         "approximate": False, "note": None}
    ]  # fmt: skip
    assert details["nationalities"] == ["Yemen"]
    assert [(d["kind"], d["number"]) for d in details["documents"]] == [
        ("Passport", "Yemen 04796738")
    ]
    assert {"label": "list_type", "values": ["Al-Qaida"]} in details["other"]
    out = un.ok("entity", "show", "un-qdi-402", "--format", "markdown").stdout
    assert "| born | 1983 in Al Baydah Governorate, Yemen |" in out, out


def test_api_returns_typed_frozen_details(un: Cli) -> None:
    """`Tracker.entity` gives each list entry's details as frozen records, not a dict."""
    with un.api as db:
        [listed] = db.entity("un-qdi-402").lists
    assert isinstance(listed.details, ListedDetails)
    assert all(isinstance(birth, Birth) for birth in listed.details.births)
    assert all(isinstance(doc, IdentityDocument) for doc in listed.details.documents)
    with pytest.raises(dataclasses.FrozenInstanceError):
        listed.details.gender = "x"  # type: ignore[misc]


def test_a_later_edition_is_the_one_said_to_say_it(filled: Cli) -> None:
    """An entry seen in two editions: first seen in the first, said by the latest."""
    listed = entry(filled, "ofac-9001")
    assert listed["first_source"]["published_on"] == "2025-01-02"
    assert listed["last_source"]["published_on"] == "2025-02-03"
    assert listed["details"]["addresses"][0]["country"] == "Venezuela"
    assert listed["details"]["remarks"] == ["Linked To: Y."]


def test_hand_recorded_entity_has_no_list_entries(seeded: Cli) -> None:
    """An entity no list carries has an empty `lists` and no list blocks in the table."""
    assert seeded.json("entity", "show", "cartel-de-los-soles")["lists"] == []
    out = seeded.ok("entity", "show", "cartel-de-los-soles", "--format", "markdown").stdout
    assert "What the lists say" not in out


def test_changes_rows_name_the_entity_and_the_responder(seeded: Cli) -> None:
    """Every change row has the entity's name beside its key (its own CSV column), and a
    response names its responder; the JSON carries both as {key, name}."""
    args = ("report", "changes", "--since", "2025-11-01", "--until", "2025-11-30")
    rows = list(csv.DictReader(io.StringIO(seeded.ok(*args, "--format", "csv").stdout)))
    soles = [row for row in rows if row["entity"] == "cartel-de-los-soles"]
    assert soles, rows
    assert {row["name"] for row in soles} == {"Cartel de los Soles"}
    [responded] = [row for row in rows if row["action"] == "responded"]
    assert responded["detail"].startswith("government-of-venezuela (Government of Venezuela)")
    markdown = seeded.ok(*args, "--format", "markdown").stdout
    assert "| cartel-de-los-soles | Cartel de los Soles |" in markdown
    [event] = [e for e in seeded.json(*args)["changes"] if e["action"] == "responded"]
    assert event["entity"] == {"key": "cartel-de-los-soles", "name": "Cartel de los Soles"}
    assert event["other"] == {"key": "government-of-venezuela", "name": "Government of Venezuela"}


def test_status_names_the_latest_responder(seeded: Cli) -> None:
    """The status report's latest response names the responder beside its key."""
    out = seeded.ok("report", "status", "--as-of", "2025-12-01", "--country", "VE",
                    "--format", "csv").stdout  # fmt: skip
    assert "government-of-venezuela (Government of Venezuela) rejects 2025-11-24" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 Dec 1963", Birth("1963-12-13")),
        ("Dec 1970", Birth("1970-12")),
        ("1963", Birth("1963")),
        ("17/08/1957", Birth("1957-08-17")),
        ("00/00/1957", Birth("1957")),
        ("circa 1954", Birth("1954", approximate=True)),
        ("1960 to 1962", Birth("1960/1962")),
        ("1979-1982", Birth("1979/1982")),
        ("1960-01-01-05:00", Birth("1960-01-01")),
        ("29/02/1969", Birth(note="29/02/1969")),
        ("30-35 years old", Birth(note="30-35 years old")),
    ],
)
def test_a_stated_birth_keeps_the_precision_given(text: str, expected: Birth) -> None:
    """Dates of birth in any list's wording become ISO with exactly the precision given;
    what cannot be read exactly is kept in the list's words."""
    assert stated_birth(text) == expected


def test_stated_day_never_invents_a_day() -> None:
    """A month and year stays a month; an impossible date is no date."""
    assert (stated_day("Feb 2001"), stated_day("2001-02-30"), stated_day("")) == (
        "2001-02",
        None,
        None,
    )


def test_ofac_remarks_read_documents_with_dates() -> None:
    """A passport with issue and expiry dates, an alt. nationality and the gender."""
    facts = ofac_remarks(
        "DOB 1960; nationality Iran; alt. nationality Iraq; Gender Male; "
        "Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001; Website example.com."
    )
    assert facts.nationalities == ["Iran", "Iraq"]
    assert facts.gender == "Male"
    assert facts.documents == [
        IdentityDocument("Passport", "L 191609", None, "1996-02-28", "2001-02-27")
    ]


def test_every_list_shape_reads_into_the_same_fields() -> None:
    """The EU's paired births and citizenships, OFAC XML's items, the enhanced XML's
    documents: the same typed fields; unknown keys are kept as labelled facts."""
    eu = listed_details(
        {"births": [{"date": "1937-04-28", "place": "al-Awja", "country": "IRQ"}],
         "citizenships": [{"country": "IRQ"}], "eu_reference": ["EU.27.28"]}
    )  # fmt: skip
    assert eu.births == (Birth("1937-04-28", "al-Awja", "IRQ"),)
    assert eu.citizenships == ("IRQ",)
    assert [(fact.label, fact.values) for fact in eu.other] == [("eu_reference", ("EU.27.28",))]
    xml = listed_details(
        {"dates_of_birth": [{"dateOfBirth": "04 Jan 1956", "mainEntry": "true"}],
         "nationalities": [{"country": "Iran", "mainEntry": "true"}],
         "ids": [{"idType": "Passport", "idNumber": "123", "idCountry": "Iran"},
                 {"idType": "Website", "idNumber": "example.com"}],
         "vessel": {"vesselFlag": "Panama", "callSign": "ABC"}}
    )  # fmt: skip
    assert xml.births == (Birth("1956-01-04"),)
    assert xml.nationalities == ("Iran",)
    assert xml.documents == (IdentityDocument("Passport", "123", "Iran"),)
    assert xml.vessel is not None
    assert (xml.vessel.flag, xml.vessel.call_sign) == ("Panama", "ABC")
    assert [(fact.label, fact.values) for fact in xml.other] == [("Website", ("example.com",))]
    enhanced = listed_details(
        {"documents": [{"type": "Passport", "number": "1", "country": "Yemen",
                        "issued_on": "2012-06-19", "valid": "false"}]}
    )  # fmt: skip
    assert enhanced.documents == (
        IdentityDocument("Passport", "1", "Yemen", "2012-06-19", note="not valid"),
    )
