"""Countries from the lists: the spellings of real lists read as ISO codes (never guessed),
imports store each entry's nationalities, citizenships, addresses... with their role, and the
country filter matches an entity by any of them."""

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import tracker
from tests.conftest import Cli, Copies, imported, shared_file
from tracker import countries
from tracker.db import create_engine
from tracker.enums import CountryRole
from tracker.errors import InvalidValue
from tracker.importers.countries import listed_countries
from tracker.records import Filters

SDN_2022_06_17 = ("ofac_sdn_csv", "2022-06-17T1852Z", "sdn.csv")
UN_2018 = ("un_consolidated", "2018-06-07", "consolidated.xml")
# Venezuelan nationals and citizens of the 2022-06-17 SDN CSV, which states no country but in
# its remarks ("DOB 28 Aug 1961; nationality Venezuela; ...").
VENEZUELANS = {"ofac-11185", "ofac-11186", "ofac-12882", "ofac-15343"}

EDITION = """<?xml version="1.0"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>{date}</Publish_Date><Record_Count>1</Record_Count>
  </publshInformation>
  <sdnEntry><uid>9101</uid><lastName>PEREZ</lastName><firstName>Juan</firstName>
    <sdnType>Individual</sdnType><programList><program>VENEZUELA</program></programList>
    <addressList><address><uid>1</uid><city>{city}</city><country>{address}</country></address>
    </addressList>
    <nationalityList><nationality><uid>2</uid><country>{nationality}</country>
      <mainEntry>true</mainEntry></nationality></nationalityList>
  </sdnEntry>
</sdnList>
"""


def rows(url: str, query: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = list(connection.execute(sa.text(query)))
    engine.dispose()
    return found


def ties(url: str) -> list[tuple[str, str, str, int]]:
    """(entity key, role, country, source id) of every row, in a stable order."""
    return [
        tuple(row)
        for row in rows(
            url,
            "SELECT entity.key, entity_country.role, entity_country.country,"
            " entity_country.source_id FROM entity_country"
            " JOIN entity ON entity.id = entity_country.entity_id ORDER BY 1, 2, 3",
        )
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Venezuela", "VE"),  # OFAC
        ("Korea, North", "KP"),
        ("Burma", "MM"),
        ("Russia", "RU"),
        ("Turkey", "TR"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Cote d Ivoire", "CI"),
        ("Man, Isle of", "IM"),
        ("Region: Gaza", "PS"),
        ("St. Kitts & Nevis", "KN"),
        ("Iran (Islamic Republic of)", "IR"),  # UN
        ("Russian Federation", "RU"),
        ("Libyan Arab Jamahiriya", "LY"),
        ("China, Hong Kong Special Administrative Region", "HK"),
        ("Democratic People\u2019s Republic of Korea", "KP"),  # UK
        ("DPRK", "KP"),
        ("Afghan", "AF"),
        ("Germany (previous address)", "DE"),
        ("Kuwaiti citizenship", "KW"),
        ("IRQ", "IQ"),  # EU
        ("ru", "RU"),  # FtM
        ("XK", "XK"),
        ("The Netherlands", "NL"),
        ("Curacao", "CW"),
    ],
)
def test_the_lists_spellings_read_as_iso_codes(text: str, code: str) -> None:
    """Each spelling a real list uses for a country is read as its alpha-2 code."""
    assert countries.read(text) == countries.Reading((code,))
    assert countries.country_code(text) == code


def test_several_countries_in_one_field_are_each_read() -> None:
    """A UK field that numbers its values gives each country once."""
    assert countries.read("(1) Afghan (2) Pakistani").codes == ("AF", "PK")
    assert countries.read("a) French, b) Tunisian").codes == ("FR", "TN")
    assert countries.read("(1) Russian (2) USSR (until 1991)") == countries.Reading(
        ("RU",), ("USSR (until 1991)",)
    )


@pytest.mark.parametrize(
    "text",
    ["Atlantis", "ZZ", "Aghanistan", "USSR", "Congolese", "possibly Palestinian",
     "Bahrain (citizenship revoked in January 2015)", "Region: Kafia Kingi", "Tehran 1576935561",
     "364", "Sudan/South Sudan"],
)  # fmt: skip
def test_what_names_no_single_country_is_never_guessed(text: str) -> None:
    """Typos, historic states, ambiguous or hedged words and numbers are not read."""
    assert countries.read(text).codes == ()
    assert countries.read(text).unread
    with pytest.raises(InvalidValue, match="unknown country"):
        countries.country_code(text)


def test_words_for_no_country_are_neither_read_nor_unread() -> None:
    """ "undetermined", "None Identified": the list knows no country; nothing to count."""
    for text in ("undetermined", "None Identified", "Unknown", ""):
        assert countries.read(text) == countries.Reading()


def test_every_formats_keys_give_their_countries_with_roles() -> None:
    """OFAC CSV remarks, OFAC XML records, UK address lines, EU codes, FtM properties."""
    nationality, citizenship, address = (
        CountryRole.NATIONALITY, CountryRole.CITIZENSHIP, CountryRole.ADDRESS
    )  # fmt: skip
    csv_remarks = {"remarks": "DOB 1971; nationality Venezuela; citizen Colombia; Gender Male.",
                   "vessel": {"flag": "None Identified"}}  # fmt: skip
    assert listed_countries(csv_remarks).ties == {(nationality, "VE"), (citizenship, "CO")}
    xml = {
        "nationalities": [{"country": "Korea, North", "mainEntry": "true"}],
        "addresses": [{"city": "Moscow", "country": "Russia"}, {"country": "Atlantis"}],
    }
    found = listed_countries(xml)
    assert found.ties == {(nationality, "KP"), (address, "RU")}
    assert found.unread == 1
    uk = {"nationalities": ["(1) German (2) Moroccan"],
          "addresses": ["Tehran", "Kabul, Afghanistan"]}  # fmt: skip
    found = listed_countries(uk)
    assert found.ties == {(nationality, "DE"), (nationality, "MA"), (address, "AF")}
    assert found.unread == 0  # an address line's last part need not be a country
    assert listed_countries({"citizenships": [{"country": "IRQ"}]}).ties == {(citizenship, "IQ")}
    ftm = {"schema": "Company", "jurisdiction": ["ru"], "country": ["by", "ru"]}
    assert listed_countries(ftm).ties == {
        (CountryRole.JURISDICTION, "RU"), (CountryRole.ASSOCIATED, "BY"),
        (CountryRole.ASSOCIATED, "RU"),
    }  # fmt: skip


@pytest.fixture
def sdn(copies: Copies) -> Cli:
    """The SDN CSV of 2022-06-17, imported once per engine (a shared template)."""
    path = shared_file(*SDN_2022_06_17)
    return imported(copies, "sdn-2022-06-17", (path, {"published": "2022-06-17"}))


def test_the_country_filter_finds_ofac_entries_by_their_nationality(sdn: Cli) -> None:
    """`report status --country VE` includes Venezuelans whose entity has no country: OFAC's
    CSV says it only in the remarks, now stored as nationality and citizenship rows."""
    with sdn.api as db:
        report = db.status(as_of="2022-06-17", filters=Filters(country="VE"))
        by_name = db.status(as_of="2022-06-17", filters=Filters(country="Venezuela"))
    keys = {designation.entity.key for designation in report.designations}
    assert keys >= VENEZUELANS
    assert {d.entity.key for d in by_name.designations} == keys
    assert {d.program for d in report.designations} >= {"VENEZUELA", "VENEZUELA-EO13850"}
    own = rows(sdn.url, "SELECT count(*) FROM entity WHERE country IS NOT NULL")
    assert own[0][0] == 0, "the CSV gives no entity a country of its own: the rows matched"
    found = {(key, role, code) for key, role, code, _ in ties(sdn.url) if key in VENEZUELANS}
    assert ("ofac-15343", "nationality", "VE") in found
    assert ("ofac-15343", "citizenship", "VE") in found
    others = db_keys(sdn, "CU")
    assert not keys & others


def db_keys(cli: Cli, country: str) -> set[str]:
    with cli.api as db:
        report = db.status(as_of="2022-06-17", filters=Filters(country=country))
    return {designation.entity.key for designation in report.designations}


def test_a_un_import_fills_nationalities(copies: Copies) -> None:
    """UN nationalities ("Iran (Islamic Republic of)") and address countries become rows."""
    cli = imported(copies, "un-2018-06-07", (shared_file(*UN_2018), {}))
    found = ties(cli.url)
    roles = {role for _, role, _, _ in found}
    assert {"nationality", "address"} <= roles
    iranians = {key for key, role, code, _ in found if role == "nationality" and code == "IR"}
    assert iranians
    with cli.api as db:
        report = db.status(as_of="2018-06-07", filters=Filters(country="IR"))
    assert iranians <= {designation.entity.key for designation in report.designations}


def test_editions_keep_an_entrys_countries_in_step(db: tracker.Tracker, tmp_path: Path) -> None:
    """The same content again adds nothing (rows keep the edition that first said them); a
    changed nationality or address replaces the row, and the filter follows."""
    editions = [
        ("01/02/2025", "Caracas", "Venezuela", "Venezuela"),
        ("02/03/2025", "Caracas", "Venezuela", "Venezuela"),  # a new edition, same content
        ("03/04/2025", "Bogota", "Colombia", "Venezuela"),  # moved
        ("04/05/2025", "Bogota", "Colombia", "Colombia"),  # another nationality
    ]
    sources, held, matched = [], [], []
    for number, (date, city, address, nationality) in enumerate(editions):
        path = tmp_path / f"sdn-{number}.xml"
        path.write_text(
            EDITION.format(date=date, city=city, address=address, nationality=nationality)
        )
        sources.append(db.import_list(path).source_id)
        held.append([(role, code, source) for _, role, code, source in ties(db.url)])
        matched.append({code for code in ("VE", "CO") if _listed(db, code)})
    first, _, third, fourth = sources
    assert held[0] == [("address", "VE", first), ("nationality", "VE", first)]
    assert held[1] == held[0]
    assert held[2] == [("address", "CO", third), ("nationality", "VE", first)]
    assert held[3] == [("address", "CO", third), ("nationality", "CO", fourth)]
    assert matched == [{"VE"}, {"VE"}, {"VE", "CO"}, {"CO"}]
    assert db.import_list(tmp_path / "sdn-3.xml").already_imported
    assert len(ties(db.url)) == 2


def _listed(db: tracker.Tracker, code: str) -> bool:
    return bool(db.status(as_of="2025-06-01", filters=Filters(country=code)).designations)


def test_the_migration_fills_countries_from_what_entries_say(
    db: tracker.Tracker, tmp_path: Path
) -> None:
    """Down to 0005 and up again: the upgrade reads every entry's content as an import does."""
    path = tmp_path / "sdn.xml"
    path.write_text(EDITION.format(date="01/02/2025", city="Minsk", address="Belarus",
                                   nationality="Russia"))  # fmt: skip
    db.import_list(path)
    before = ties(db.url)
    assert [(role, code) for _, role, code, _ in before] == [("address", "BY"),
                                                             ("nationality", "RU")]  # fmt: skip
    db.downgrade("0005")
    db.upgrade()
    assert ties(db.url) == before
