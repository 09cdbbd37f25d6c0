"""Screening weighs more than the name: a date of birth, country, gender or kind that
contradicts what the lists state lowers the score by a fixed amount; an identifier the lists
give a party is decisive (score 1, whatever the names); a fact the lists do not state neither
helps nor hurts. Imports keep what each entry states in `match_fact`; revision 0011 fills it
for the lists imported before it.

The party most tests screen is NICOLAS MADURO MOROS of the SDN list of 2023-04-24 (ent_num
22790: "DOB 23 Nov 1962; POB Caracas, Venezuela; citizen Venezuela; Gender Male; Cedula No.
5892464 (Venezuela)"), whose name alone scores 0.99 for "Nicolas Maduro Moros".
"""

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

import tracker
from tests.conftest import Cli, Copies, Templates, _engines, imported, shared_file
from tests.test_migration_0005 import _restore
from tests.test_server import assert_problem, client_for
from tracker import Filters, ScreeningInput, ScreenQuery, migrations
from tracker.db import create_engine
from tracker.errors import InvalidValue
from tracker.matching.facts import (
    Check,
    PartyFacts,
    QueryFacts,
    gender_of,
    normalized_number,
    weigh,
)
from tracker.records import SearchHit

SDN_2023_04_24 = ("ofac_sdn_csv", "2023-04-24T1843Z", "sdn.csv")
SDN_2023_04_27 = ("ofac_sdn_csv", "2023-04-27T1843Z", "sdn.csv")
UN_2018_06_07 = ("un_consolidated", "2018-06-07", "consolidated.xml")
MADURO = "ofac-22790"
ZAWAHIRI = "ofac-2676"  # "DOB 19 Jun 1951; ... Passport 1084010 (Egypt); alt. Passport 19820215"
CILIA_FLORES = "ofac-25079"  # FLORES DE MADURO, Cilia Adela: Gender Female
FELIX_MADURO = "ofac-19147"  # FELIX B. MADURO S.A.: an organisation, no gender stated
FORTUNE = "ofac-15068"  # a vessel: "IMO 9283746; MMSI 422303000"
KAZEMI = "ofac-39656"  # KAZEMI, Mohammad: one of the 32 entries the 2023-04-27 edition changed
THE_EXAMPLE_WHY = (
    "same words in another order; born 1970 contradicts (listed 1962-11-23): -0.15;"
    " country US contradicts (listed VE): -0.10; gender female contradicts (listed male): -0.20"
)


def sdn_copy(copies: Copies) -> Cli:
    """A fresh copy of a database holding the SDN CSV of 2023-04-24 (the template
    test_importers_ofac builds under the same name)."""
    return imported(copies, "sdn-2023-04-24", (shared_file(*SDN_2023_04_24),
                                                {"published": "2023-04-24"}))  # fmt: skip


def un_copy(copies: Copies) -> Cli:
    """A fresh copy of a database holding the UN list of 2018-06-07 (as in
    test_screening_memory)."""
    return imported(copies, "un-2018-06-07", (shared_file(*UN_2018_06_07), {}))


@pytest.fixture
def sdn(copies: Copies) -> Cli:
    """A copy of the SDN database of its own, for a test that writes."""
    return sdn_copy(copies)


@pytest.fixture
def un(copies: Copies) -> Cli:
    return un_copy(copies)


@pytest.fixture(scope="module", params=_engines())
def listed(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cli]:
    """One copy of the SDN database per engine for the module's tests that only read it
    (screening writes nothing unless it is remembered)."""
    made = Copies(str(request.param), templates, tmp_path_factory.mktemp("listed"))
    try:
        yield sdn_copy(made)
    finally:
        made.close()


@pytest.fixture
def db(listed: Cli) -> Iterator[tracker.Tracker]:
    with tracker.connect(listed.url) as connection:
        yield connection


def rows(url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(sa.text(query), params)]
    engine.dispose()
    return found


def facts_of(url: str, key: str) -> set[tuple[str, str, str]]:
    """(kind, as stated, as compared) of each match_fact row of the entity."""
    return set(
        rows(
            url,
            "SELECT f.kind, f.value, f.normalized FROM match_fact f"
            " JOIN entity e ON e.id = f.entity_id WHERE e.key = :key",
            key=key,
        )
    )


def screened(db: tracker.Tracker, query: ScreenQuery, **options: Any) -> list[SearchHit]:
    [result] = db.screen([query], **options)
    return list(result.hits)


def keys(hits: list[Any]) -> list[str]:
    return [hit.entity.key for hit in hits]


# -- weighing, the pure rules -------------------------------------------------------------

# What the SDN list states of Maduro, as screening reads it.
LISTED_MADURO = PartyFacts(
    kind="person",
    births=("1962-11-23",),
    countries=frozenset({"VE"}),
    genders=frozenset({"male"}),
    numbers={"5892464": "Cedula No. 5892464"},
    references=frozenset({"ofac-uid:22790"}),
)


@pytest.mark.parametrize(
    ("given", "penalty"),
    [
        (QueryFacts(birth_date="1962"), 0.0),  # the year alone agrees with the day listed
        (QueryFacts(birth_date="1962-11"), 0.0),
        (QueryFacts(birth_date="1962-11-23"), 0.0),
        (QueryFacts(birth_date="1962-05"), 0.10),  # the same year, another month
        (QueryFacts(birth_date="1962-11-24"), 0.10),  # the same month, another day
        (QueryFacts(birth_date="1970"), 0.15),  # another year
        (QueryFacts(birth_date="1970-11-23"), 0.15),  # another year, whatever the day
        (QueryFacts(country="VE"), 0.0),
        (QueryFacts(country="US"), 0.10),
        (QueryFacts(gender="male"), 0.0),
        (QueryFacts(gender="female"), 0.20),
        (QueryFacts(kind="person"), 0.0),
        (QueryFacts(kind="vessel"), 0.20),
        (QueryFacts(birth_date="1970", country="US", gender="female"), 0.45),
        (QueryFacts(birth_date="1962-05", country="US", gender="female", kind="company"), 0.60),
    ],
)
def test_each_contradiction_costs_its_amount_and_agreement_costs_nothing(
    given: QueryFacts, penalty: float
) -> None:
    weighing = weigh(given, LISTED_MADURO)
    assert weighing.decisive is None
    assert weighing.penalty == penalty
    assert sum(check.cost for check in weighing.checks) == pytest.approx(penalty)
    assert len(weighing.checks) == sum(
        value is not None for value in (given.birth_date, given.country, given.gender, given.kind)
    )  # one check per fact given: the lists state each of them


def test_agreements_and_contradictions_are_named_with_what_the_lists_state() -> None:
    weighing = weigh(QueryFacts(birth_date="1962", country="US", gender="male"), LISTED_MADURO)
    assert weighing.checks == (
        Check("born 1962", "1962-11-23", 0.0),
        Check("country US", "VE", 0.10),
        Check("gender male", "male", 0.0),
    )
    assert weighing.agrees == ("born 1962 (listed 1962-11-23)", "gender male (listed male)")
    assert weighing.contradicts == ("country US (listed VE): -0.10",)
    assert weighing.why("same words in another order") == (
        "same words in another order; born 1962 agrees (listed 1962-11-23);"
        " country US contradicts (listed VE): -0.10; gender male agrees (listed male)"
    )


@pytest.mark.parametrize(
    ("listed", "given", "cost"),
    [
        (("1962",), "1962-11-23", 0.0),  # the list states the year only: any day of it
        (("1962-11",), "1962-11-23", 0.0),
        (("1962-11",), "1962-05-01", 0.10),
        # "circa 1942": a year either side
        (("~1942",), "1941", 0.0),
        (("~1942",), "1943-02-03", 0.0),
        (("~1942",), "1940", 0.15),
        (("~1942",), "1944", 0.15),
        (("~1962-11-23",), "1963-01-05", 0.0),  # approximate: the year is all it says
        # "DOB 1929 to 1930": any year inside
        (("1929/1930",), "1929", 0.0),
        (("1929/1930",), "1930-12-31", 0.0),
        (("1929/1930",), "1928", 0.15),
        (("1929/1930",), "1931", 0.15),
        (("1946-09-26/1946-12-07",), "1946", 0.0),
        (("1946-09-26/1946-12-07",), "1947", 0.15),
        (("~1960/1962",), "1959", 0.0),
        (("~1960/1962",), "1963", 0.0),
        (("~1960/1962",), "1964", 0.15),
        # several dates: agreement with any; else the mildest contradiction
        (("~1946", "1949"), "1947", 0.0),
        (("~1946", "1949"), "1949-03", 0.0),
        (("~1946", "1949"), "1948", 0.15),
        (("1962-11-23", "1970-01-01"), "1962-05", 0.10),
    ],
)
def test_dates_of_birth_agree_at_the_precision_both_sides_state(
    listed: tuple[str, ...], given: str, cost: float
) -> None:
    [check] = weigh(QueryFacts(birth_date=given), PartyFacts("person", births=listed)).checks
    assert check.cost == cost


def test_an_approximate_or_several_listed_dates_read_as_the_list_says_them() -> None:
    listed = PartyFacts("person", births=("~1946", "1949"))
    [agrees] = weigh(QueryFacts(birth_date="1947"), listed).checks
    assert agrees.text() == "born 1947 (listed circa 1946)"  # the date it agrees with
    [contradicts] = weigh(QueryFacts(birth_date="1952"), listed).checks
    assert contradicts.text() == "born 1952 (listed circa 1946, 1949): -0.15"  # all of them


def test_a_fact_the_lists_do_not_state_neither_helps_nor_hurts() -> None:
    unstated = PartyFacts("person")  # no date of birth, country, gender or number
    weighing = weigh(QueryFacts("1970", "US", "female", identifiers=("A1234567",)), unstated)
    assert (weighing.decisive, weighing.checks, weighing.penalty) == (None, (), 0.0)
    assert weighing.why("same words in another order") == "same words in another order"
    assert (weighing.agrees, weighing.contradicts) == ((), ())
    assert weigh(QueryFacts(), LISTED_MADURO).checks == ()  # nor does one the query omits


@pytest.mark.parametrize(
    ("given", "listed", "cost"),
    [
        ("company", "organization", 0.0),  # bodies may be listed as one another
        ("organization", "government", 0.0),
        ("government", "state", 0.0),
        ("state", "company", 0.0),
        ("person", "person", 0.0),
        ("person", "vessel", 0.20),
        ("vessel", "aircraft", 0.20),
        ("person", "company", 0.20),
        ("aircraft", "organization", 0.20),
        ("other", "person", None),  # "other" never contradicts, nor is it checked
        ("person", "other", None),
        ("other", "other", None),
    ],
)
def test_kinds_contradict_only_across_groups(given: str, listed: str, cost: float | None) -> None:
    checks = weigh(QueryFacts(kind=given), PartyFacts(listed)).checks
    assert [check.cost for check in checks] == ([] if cost is None else [cost])


@pytest.mark.parametrize(
    ("identifier", "decisive"),
    [
        ("5892464", "identifier 5892464 agrees (listed Cedula No. 5892464)"),
        ("58-92 464", "identifier 58-92 464 agrees (listed Cedula No. 5892464)"),
        # As the list writes it, its label before the number.
        ("Cedula No. 5892464", "identifier Cedula No. 5892464 agrees (listed Cedula No. 5892464)"),
        ("ofac-uid:22790", "identifier ofac-uid:22790 agrees"),  # the list's own reference
        ("OFAC-UID:22790", "identifier OFAC-UID:22790 agrees"),
        ("cedula:5892464", "identifier cedula:5892464 agrees (listed Cedula No. 5892464)"),
        ("5892465", None),
        ("ofac-uid:22791", None),
    ],
)
def test_an_identifier_the_lists_give_is_decisive(identifier: str, decisive: str | None) -> None:
    """Every contradiction is still named, but none costs anything (none shows a cost): the
    score is 1."""
    given = QueryFacts(birth_date="1970", country="US", identifiers=("X0000001", identifier))
    weighing = weigh(given, LISTED_MADURO)
    if decisive is None:
        assert weighing.decisive is None
        assert weighing.penalty == 0.25
        return
    assert weighing.decisive is not None
    assert weighing.penalty == 0.0
    assert weighing.agrees[0] == decisive.replace(" agrees", "")
    assert weighing.contradicts == ("born 1970 (listed 1962-11-23)",
                                    "country US (listed VE)")  # fmt: skip
    assert weighing.why("same words in another order") == (
        f"{decisive}; name: same words in another order;"
        " born 1970 contradicts (listed 1962-11-23);"
        " country US contradicts (listed VE)"
    )
    assert weighing.why("").startswith(f"{decisive};")  # found by it alone: no name part


def test_numbers_are_compared_in_upper_case_letters_and_digits_and_never_when_short() -> None:
    assert normalized_number("ab-12 345") == normalized_number("AB12345") == "AB12345"
    party = PartyFacts("person", numbers={"AB12345": "Passport AB-12345", "1234": "Passport 1234"})
    held = weigh(QueryFacts(identifiers=("ab-12 345",)), party).decisive
    assert held == Check("identifier ab-12 345", "Passport AB-12345")
    assert weigh(QueryFacts(identifiers=("1234",)), party).decisive is None  # 4 characters
    assert weigh(QueryFacts(identifiers=("12-34",)), party).decisive is None
    # A list's reference is the list's own key: short or not, it names the party.
    short = PartyFacts("organization", references=frozenset({"ofac-uid:36"}))
    assert weigh(QueryFacts(identifiers=("ofac-uid:36",)), short).decisive is not None


@pytest.mark.parametrize(
    ("text", "gender"),
    [("m", "male"), ("M", "male"), ("Male", "male"), ("man", "male"), (" f ", "female"),
     ("FEMALE", "female"), ("woman", "female"), ("x", None), ("", None), ("unknown", None)],
)  # fmt: skip
def test_genders_read_as_people_and_lists_write_them(text: str, gender: str | None) -> None:
    assert gender_of(text) == gender


# -- what imports keep ----------------------------------------------------------------------


def test_an_import_keeps_each_entrys_numbers_dates_of_birth_and_gender(listed: Cli) -> None:
    """From the SDN CSV's remarks, as stated and as compared."""
    assert facts_of(listed.url, MADURO) == {
        ("birth", "1962-11-23", "1962-11-23"),
        ("document", "Cedula No. 5892464", "5892464"),
        ("gender", "Male", "male"),
    }
    assert facts_of(listed.url, ZAWAHIRI) == {
        ("birth", "1951-06-19", "1951-06-19"),
        ("document", "Passport 1084010", "1084010"),
        ("document", "Passport 19820215", "19820215"),
    }
    assert facts_of(listed.url, FORTUNE) == {
        ("document", "IMO 9283746", "9283746"),
        ("document", "MMSI 422303000", "422303000"),
    }
    # "DOB circa 1942"; "DOB circa 1946; alt. DOB 1949"; "DOB 1929 to 1930"
    assert facts_of(listed.url, "ofac-7848") == {("birth", "1942", "~1942")}
    tikriti = {("birth", "1946", "~1946"), ("birth", "1949", "1949")}
    assert facts_of(listed.url, "ofac-7854") == tikriti
    assert facts_of(listed.url, "ofac-15496") == {("birth", "1929/1930", "1929/1930")}
    counts = dict(rows(listed.url, "SELECT kind, count(*) FROM match_fact GROUP BY kind"))
    assert counts.keys() == {"birth", "document", "gender"}
    assert min(counts.values()) > 1000  # every entry's, not a few


def test_a_changed_entry_has_its_facts_replaced_and_an_unchanged_one_keeps_its_rows(
    sdn: Cli, tmp_path: Path
) -> None:
    """The edition of 2023-04-27 changes 32 entries (vessels' flags, programs, one man's
    links); here one of them, KAZEMI, is also given another date of birth and a passport.
    Each changed entry's facts are what its new edition says, once; an unchanged entry's
    rows are not rewritten."""
    text = shared_file(*SDN_2023_04_27).read_bytes()
    [line] = [line for line in text.split(b"\r\n") if line.startswith(b"39656,")]
    assert line.count(b"DOB 11 Jul 1961;") == 1
    restated = b"DOB 11 Jul 1963; alt. DOB 1964; Passport K12345678 (Iran);"
    amended = line.replace(b"DOB 11 Jul 1961;", restated)
    edition = tmp_path / "sdn.csv"
    edition.write_bytes(text.replace(line, amended))
    unchanged = rows(sdn.url, "SELECT f.id FROM match_fact f JOIN entity e ON e.id = f.entity_id"
                     " WHERE e.key = :key ORDER BY f.id", key=MADURO)  # fmt: skip
    fortune = facts_of(sdn.url, FORTUNE)
    with sdn.api as db:
        summary = db.import_list(edition, published="2023-04-27")
    assert (summary.added, summary.changed, summary.removed) == (30, 32, 14)
    assert facts_of(sdn.url, KAZEMI) == {
        ("birth", "1963-07-11", "1963-07-11"),
        ("birth", "1964", "1964"),
        ("document", "Passport K12345678", "K12345678"),
        ("gender", "Male", "male"),
    }  # not 1961 any more
    assert facts_of(sdn.url, FORTUNE) == fortune  # its flag changed, its numbers did not
    twice = rows(sdn.url, "SELECT list_entry_id, kind, value FROM match_fact"
                 " GROUP BY list_entry_id, kind, value HAVING count(*) > 1")  # fmt: skip
    assert twice == []
    assert rows(sdn.url, "SELECT f.id FROM match_fact f JOIN entity e ON e.id = f.entity_id"
                " WHERE e.key = :key ORDER BY f.id", key=MADURO) == unchanged  # fmt: skip
    with sdn.api as db:
        [hit] = screened(
            db, ScreenQuery("Mohammad Kazemi", birth_date="1961"), limit=1, threshold=0.5
        )
        assert hit.contradicts == ("born 1961 (listed 1963-07-11, 1964): -0.15",)
        [held] = screened(db, ScreenQuery("Somebody Else", identifiers=("K12345678",)))
        assert (held.entity.key, held.score) == (KAZEMI, 1.0)


def test_the_un_lists_dates_of_birth_keep_their_type_of_date(un: Cli) -> None:
    """EXACT, APPROXIMATELY (a year either side) and BETWEEN (any year inside) as the UN
    XML states them; its GENDER too."""
    xml = shared_file(*UN_2018_06_07).read_text(encoding="utf-8")
    assert "<TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1985</YEAR>" in xml
    assert "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1984</FROM_YEAR><TO_YEAR>1986" in xml
    assert facts_of(un.url, "un-yei-002") == {  # ABDULLAH YAHYA AL HAKIM, YEi.002
        ("birth", "1985", "~1985"),
        ("birth", "1984/1986", "1984/1986"),
        ("gender", "Male", "male"),
    }
    assert facts_of(un.url, "un-kpi-033") == {  # RI WON HO, KPi.033
        ("birth", "1964-07-17", "1964-07-17"),
        ("document", "Passport 381310014", "381310014"),
    }
    with un.api as db:
        scores = {
            born: screened(db, ScreenQuery("Abdullah Yahya al Hakim", birth_date=born),
                           limit=1, threshold=0.5)[0].score
            for born in ("1983", "1984", "1986", "1987")
        }  # fmt: skip
        assert scores == {"1983": 0.85, "1984": 1.0, "1986": 1.0, "1987": 0.85}
        [ri] = screened(db, ScreenQuery("Ri Won Ho", birth_date="1964-07-18"), limit=1)
        assert (ri.score, ri.contradicts) == (0.9, ("born 1964-07-18 (listed 1964-07-17): -0.10",))


# -- revision 0011 ------------------------------------------------------------------------


def fact_rows(engine: sa.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return sorted(
            tuple(row)
            for row in connection.execute(
                sa.text("SELECT entity_id, list_entry_id, kind, value, normalized FROM match_fact")
            )
        )


@pytest.mark.parametrize("lists", ["sdn", "un"])
def test_0011_fills_match_facts_as_an_import_writes_them_and_its_downgrade_drops_them(
    copies: Copies, lists: str
) -> None:
    """Imported at head, taken down to 0010 (what a database imported before 0011 holds:
    the entries' content, no facts), then up again: the backfill writes exactly the rows the
    import wrote. The downgrade leaves no trace of the table or of the screening rows' new
    columns; a screening recorded before keeps its rows, their new facts empty."""
    cli = sdn_copy(copies) if lists == "sdn" else un_copy(copies)
    with cli.api as db:
        row = ScreeningInput("C-1", "John Nobody", gender="f", kind="person",
                             identifiers=("1084010",))  # fmt: skip
        db.screen_and_record("book", [row])
    engine = create_engine(cli.url)
    written = fact_rows(engine)
    assert len(written) > 1000
    migrations.downgrade(engine, "0010")
    inspector = sa.inspect(engine)
    assert "match_fact" not in inspector.get_table_names()
    assert not {column["name"] for column in inspector.get_columns("screening_row")} & {
        "gender", "kind", "identifiers"}  # fmt: skip
    assert not [check for check in inspector.get_check_constraints("screening_row")
                if "entity_kind" in (check["name"] or "")]  # fmt: skip
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM screening_row")) == 1
    migrations.upgrade(engine)
    assert fact_rows(engine) == written
    assert migrations.schema_differences(engine) == []
    engine.dispose()
    stored = rows(cli.url, "SELECT row_key, gender, kind, identifiers FROM screening_row")
    assert [(key, gender, kind, _json(ids)) for key, gender, kind, ids in stored] == [
        ("C-1", None, None, [])
    ]
    with cli.api as db:
        assert db.rescreen("book", full=True).rows == 1


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_a_database_filled_at_revision_0004_gets_the_facts_a_fresh_import_writes(
    copies: Copies, un: Cli
) -> None:
    """The tracker of revision 0004 stored excerpts of two UN editions (its dump, restored
    and upgraded through every revision since): each UN party the fresh import of 2018-06-07
    holds has the same facts; those of the next edition have theirs."""
    old = Cli(copies.copy("revision-0004-upgraded", _restore, base=None))
    then = [key for (key,) in rows(old.url, "SELECT key FROM entity WHERE key LIKE 'un-%'")]
    fresh = {key for (key,) in rows(un.url, "SELECT key FROM entity WHERE key LIKE 'un-%'")}
    both = [key for key in then if key in fresh]
    assert len(both) >= 8
    assert {key: facts_of(old.url, key) for key in both} == {
        key: facts_of(un.url, key) for key in both
    }
    assert ("document", "Passport EB2778599", "EB2778599") in facts_of(old.url, "un-qdi-414")


# -- Tracker.screen ------------------------------------------------------------------------


def test_the_issues_example(db: tracker.Tracker) -> None:
    """0.99 by name, less 0.15 (born 1970, not 1962), 0.10 (US, not VE), 0.20 (female)."""
    [hit] = screened(db, ScreenQuery("Nicolas Maduro Moros", birth_date="1970", country="US",
                                     gender="f"), limit=1, threshold=0.5)  # fmt: skip
    assert (hit.entity.key, hit.score, hit.why) == (MADURO, 0.54, THE_EXAMPLE_WHY)
    assert hit.agrees == ()
    assert hit.contradicts == ("born 1970 (listed 1962-11-23): -0.15",
                               "country US (listed VE): -0.10",
                               "gender female (listed male): -0.20")  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "score"),
    [
        ({}, 0.99),
        ({"birth_date": "1962-05"}, 0.89),
        ({"birth_date": "1970-11-23"}, 0.84),
        ({"country": "United States"}, 0.89),
        ({"gender": "Female"}, 0.79),
        ({"kind": "vessel"}, 0.79),
        ({"kind": "aircraft", "birth_date": "1970", "country": "US", "gender": "f"}, 0.34),
    ],
)
def test_contradicting_facts_lower_the_score_by_the_documented_amounts(
    db: tracker.Tracker, facts: dict[str, str], score: float
) -> None:
    [hit] = screened(db, ScreenQuery("Nicolas Maduro Moros", **facts), limit=1, threshold=0.3)
    assert (hit.entity.key, hit.score) == (MADURO, score)
    assert len(hit.contradicts) == len(facts)
    assert hit.why.startswith("same words in another order")


def test_agreeing_facts_leave_the_names_score(db: tracker.Tracker) -> None:
    query = ScreenQuery("Nicolas Maduro Moros", birth_date="1962", country="Venezuela",
                        gender="M", kind="person")  # fmt: skip
    [plain] = screened(db, ScreenQuery("Nicolas Maduro Moros"), limit=1)
    [hit] = screened(db, query, limit=1)
    assert (hit.entity.key, hit.score) == (plain.entity.key, plain.score) == (MADURO, 0.99)
    assert (plain.agrees, plain.contradicts) == ((), ())
    assert hit.agrees == ("born 1962 (listed 1962-11-23)", "country VE (listed VE)",
                          "gender male (listed male)", "kind person (listed person)")  # fmt: skip
    assert hit.contradicts == ()
    assert hit.why == (
        "same words in another order; born 1962 agrees (listed 1962-11-23); country VE agrees"
        " (listed VE); gender male agrees (listed male); kind person agrees (listed person)"
    )
    blank = ScreenQuery("Nicolas Maduro Moros", birth_date=" ", country="", gender=" ")
    assert screened(db, blank, limit=1) == [plain]  # blank facts are no facts


def test_a_contradiction_drops_a_hit_under_the_threshold_and_lets_the_next_names_in(
    db: tracker.Tracker,
) -> None:
    """At the default threshold (0.85), 0.99 - 0.15 is out. The name search is widened, so
    a party further down by name that agrees takes the place of those contradicted."""
    assert MADURO in keys(screened(db, ScreenQuery("Nicolas Maduro Moros")))
    assert MADURO not in keys(screened(db, ScreenQuery("Nicolas Maduro Moros", birth_date="1970")))
    by_name = screened(db, ScreenQuery("Maduro"))
    assert [(hit.entity.key, hit.score) for hit in by_name] == [
        (FELIX_MADURO, 0.867), (MADURO, 0.867), (CILIA_FLORES, 0.85)]  # fmt: skip
    # A woman: Maduro (male) is out; FELIX B. MADURO S.A. states no gender: it stays.
    assert keys(screened(db, ScreenQuery("Maduro", gender="female"), limit=2)) == [
        FELIX_MADURO, CILIA_FLORES]  # fmt: skip
    # A woman who is a person: the company is out too; one hit asked for, four names weighed.
    assert keys(screened(db, ScreenQuery("Maduro", gender="female", kind="person"), limit=1)) == [
        CILIA_FLORES
    ]


def test_an_identifier_finds_its_holder_whatever_the_name(db: tracker.Tracker) -> None:
    [hit] = screened(db, ScreenQuery("John Nobody", identifiers=("1084010",)))
    assert (hit.entity.key, hit.score, hit.matched) == (ZAWAHIRI, 1.0, "AL ZAWAHIRI, Dr. Ayman")
    assert hit.why == "identifier 1084010 agrees (listed Passport 1084010)"
    assert hit.agrees == ("identifier 1084010 (listed Passport 1084010)",)
    # Another party's name: the holder first, at 1, then the name's hit at its own score.
    found = screened(db, ScreenQuery("Ayman al Zawahiri", identifiers=("5892464",)))
    assert [(h.entity.key, h.score) for h in found] == [(MADURO, 1.0), (ZAWAHIRI, 0.939)]
    # The holder's own name and contradicting facts: still 1, every contradiction named.
    [own] = screened(db, ScreenQuery("Nicolas Maduro Moros", birth_date="1970",
                                     identifiers=("5892464",)), limit=1)  # fmt: skip
    assert (own.entity.key, own.score) == (MADURO, 1.0)
    assert own.why == (
        "identifier 5892464 agrees (listed Cedula No. 5892464); name: same words"
        " in another order; born 1970 contradicts (listed 1962-11-23)"
    )
    assert own.contradicts == ("born 1970 (listed 1962-11-23)",)


IDENTIFIERS = [
    ("ofac-uid:22790", MADURO),  # the list's reference
    ("OFAC-UID:22790", MADURO),
    ("58 92-464", MADURO),  # the Cedula, as a customer file may write it
    ("imo:9283746", FORTUNE),
    ("9283746", FORTUNE),
    ("mmsi:422303000", FORTUNE),
    ("19820215", ZAWAHIRI),  # an alternative passport
    (TOO_SHORT := "1084", None),  # too short to mean anything
    ("ofac-uid:99999999", None),
    ("1084011", None),
]


@pytest.mark.parametrize(("identifier", "holder"), IDENTIFIERS)
def test_identifiers_are_listed_numbers_or_list_references(
    db: tracker.Tracker, identifier: str, holder: str | None
) -> None:
    found = screened(db, ScreenQuery("Nobody In Particular", identifiers=(identifier,)))
    assert [(h.entity.key, h.score) for h in found] == ([(holder, 1.0)] if holder else [])


@pytest.mark.parametrize(
    ("identifier", "holder"), [pair for pair in IDENTIFIERS if pair[0] != TOO_SHORT]
)
def test_a_search_by_identifier_finds_the_holders_a_screen_finds(
    db: tracker.Tracker, identifier: str, holder: str | None
) -> None:
    """`search(identifier=...)` (`tracker search --id`) reads an identifier as a screen does."""
    found = db.search(identifier=identifier)
    assert [(h.entity.key, h.score) for h in found] == ([(holder, 1.0)] if holder else [])


def test_a_search_by_identifier_that_can_be_no_identifier_is_refused(
    db: tracker.Tracker,
) -> None:
    """A screen finds no holder for it; a search says why: neither a reference nor a number."""
    with pytest.raises(InvalidValue, match=r"SCHEME:VALUE .* or a number of 5 or more"):
        db.search(identifier=TOO_SHORT)


def test_a_search_by_identifier_says_what_the_party_holds(sdn: Cli) -> None:
    result = sdn.ok("search", "--id", "Cedula 5892464", "--format", "json")
    [hit] = json.loads(result.stdout)["hits"]
    assert (hit["entity"]["key"], hit["why"]) == (MADURO, "listed with Cedula No. 5892464")
    by_reference = sdn.ok("search", "--id", "OFAC-UID:22790", "--format", "json")
    [reference] = json.loads(by_reference.stdout)["hits"]
    assert reference["why"] == "identifier ofac-uid:22790"


def test_the_holder_of_an_identifier_comes_first_even_beside_an_exact_name(
    db: tracker.Tracker,
) -> None:
    query = ScreenQuery("AL ZAWAHIRI, Dr. Ayman", identifiers=("5892464",))  # Maduro's Cedula
    assert keys(screened(db, query, limit=2)) == [MADURO, ZAWAHIRI]
    assert keys(screened(db, query, limit=1)) == [MADURO]


def test_filters_restrict_the_names_and_the_holders_alike(db: tracker.Tracker) -> None:
    person, vessel = Filters(kind="person"), Filters(kind="vessel")
    query = ScreenQuery("Nobody", identifiers=("1084010",))
    assert keys(screened(db, query, filters=person)) == [ZAWAHIRI]
    assert screened(db, query, filters=vessel) == []
    assert screened(db, ScreenQuery("Nicolas Maduro Moros"), filters=Filters(kind="company")) == []
    vessels = screened(db, ScreenQuery("Fortune", identifiers=("9283746",)), filters=vessel)
    assert keys(vessels)[0] == FORTUNE
    assert {hit.entity.kind for hit in vessels} == {"vessel"}
    assert screened(db, query, filters=Filters(authority="un-sc")) == []


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"birth_date": "1962-13"}, "date of birth '1962-13': impossible date"),
        ({"birth_date": "23/11/1962"}, "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"country": "Atlantis"}, "unknown country 'Atlantis'"),
        ({"gender": "x"}, "gender 'x': give male or female"),
        ({"kind": "dragon"}, "kind 'dragon': give one of organization, person"),
        ({"identifiers": tuple(f"A{n:07d}" for n in range(21))}, "21 identifiers; at most 20"),
        ({"identifiers": ("A\x001234567",)}, "NUL character"),
    ],
)
def test_facts_that_do_not_read_are_refused_in_one_line(
    db: tracker.Tracker, facts: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        list(db.screen([ScreenQuery("Nicolas Maduro Moros", "c-7", **facts)]))
    text = str(refused.value)
    assert text.startswith("'Nicolas Maduro Moros' (id c-7): ")  # which query
    assert message in text
    assert "\n" not in text


# -- tracker screen FILE --------------------------------------------------------------------

HEADER = ["name", "dob", "nation", "sex", "type", "passport", "other_id"]
COLUMNS = ("--birth-date-column", "dob", "--country-column", "nation", "--gender-column", "sex",
           "--kind-column", "type", "--identifier-column", "passport",
           "--identifier-column", "other_id")  # fmt: skip


def write_csv(path: Path, table: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(table)
    return path


def test_screen_weighs_the_files_columns_and_says_what_agrees_and_contradicts(
    listed: Cli, tmp_path: Path
) -> None:
    people = write_csv(tmp_path / "people.csv", [
        HEADER,
        ["Nicolas Maduro Moros", "1970", "US", "f", "", "", ""],
        ["Nicolas Maduro Moros", "1962", "Venezuela", "male", "person", "", ""],
        ["John Nobody", "", "", "", "", "X-1; 1084010", ""],
        ["Jane Nobody", "", "", "", "", "", "imo:9283746"],
    ])  # fmt: skip
    out = tmp_path / "hits.csv"
    listed.ok("screen", str(people), *COLUMNS, "--threshold", "0.5", "--limit", "1", "-o", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        found = {row["input_line"]: row for row in csv.DictReader(handle)}
    assert {line: (row["key"], row["score"]) for line, row in found.items()} == {
        "2": (MADURO, "0.54"), "3": (MADURO, "0.99"), "4": (ZAWAHIRI, "1.0"),
        "5": (FORTUNE, "1.0")}  # fmt: skip
    assert (found["2"]["why"], found["2"]["agrees"]) == (THE_EXAMPLE_WHY, "")
    assert found["2"]["contradicts"] == (
        "born 1970 (listed 1962-11-23): -0.15; country US (listed VE): -0.10;"
        " gender female (listed male): -0.20"
    )
    assert found["3"]["agrees"] == (
        "born 1962 (listed 1962-11-23); country VE (listed VE); gender male (listed male);"
        " kind person (listed person)"
    )
    assert found["3"]["contradicts"] == ""
    assert found["4"]["agrees"] == "identifier 1084010 (listed Passport 1084010)"
    assert found["5"]["agrees"] == "identifier imo:9283746 (listed IMO 9283746)"
    lines = listed.ok("screen", str(people), *COLUMNS, "--threshold", "0.5", "--limit", "1",
                      "--format", "json").stdout.splitlines()  # fmt: skip
    first = json.loads(lines[0])
    assert (first["agrees"], first["contradicts"]) == ([], found["2"]["contradicts"].split("; "))


@pytest.mark.parametrize("record", [False, True], ids=["plain", "record"])
@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("dob", "1962-13", "date of birth '1962-13'"),
        ("nation", "Atlantis", "unknown country 'Atlantis'"),
        ("sex", "x", "gender 'x'"),
        ("type", "dragon", "kind 'dragon'"),
    ],
)
def test_a_bad_value_in_a_row_is_one_line_naming_the_file_and_line(
    listed: Cli, tmp_path: Path, column: str, cell: str, message: str, record: bool
) -> None:
    """Nothing is screened, no output file written, nothing recorded."""
    table = [["id", *HEADER], ["C-1", "Nicolas Maduro Moros", "1962", "VE", "m", "person", "", ""],
             ["C-2", "Jane Nobody", "", "", "", "", "", ""]]  # fmt: skip
    table[2][table[0].index(column)] = cell
    people = write_csv(tmp_path / "people.csv", table)
    out = tmp_path / "hits.csv"
    recording = ("--record", "customers", "--id-column", "id") if record else ()
    result = listed("screen", str(people), *COLUMNS, *recording, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {people}: line 3: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert not out.exists()
    assert listed.json("screen", "list")["screenings"] == []


@pytest.mark.parametrize(
    "option",
    ["--birth-date-column", "--country-column", "--gender-column", "--kind-column",
     "--identifier-column"],
)  # fmt: skip
def test_a_column_option_with_a_text_file_is_a_usage_error(
    listed: Cli, tmp_path: Path, option: str
) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Nicolas Maduro Moros\n", encoding="utf-8")
    result = listed("screen", str(names), option, "dob")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"Error: {names}: {option} needs a CSV file with a header"
    assert result.stdout == ""


def test_a_remembered_screening_keeps_the_facts_and_its_rescreens_weigh_them(
    sdn: Cli, tmp_path: Path
) -> None:
    """Stored per row; a rescreen weighs them as the first run did, and a row giving an
    identifier is screened again when any party changed (it may now hold it)."""
    book = write_csv(tmp_path / "book.csv", [
        ["id", *HEADER],
        ["C-1", "John Nobody", "", "", "", "", "1084010", ""],
        ["C-2", "Nicolas Maduro Moros", "1970", "US", "Female", "", "", ""],
        ["C-3", "Nicolas Maduro Moros", "", "", "", "Vessel", "", ""],
        ["C-4", "Jane Unlisted", "", "", "", "", "test-id:777", ""],
        ["C-5", "Nicolas Maduro Moros", "1962-11-23", "VE", "m", "person", "", ""],
    ])  # fmt: skip
    first = sdn.ok("screen", str(book), *COLUMNS, "--record", "customers", "--id-column", "id",
                   "--format", "json")  # fmt: skip
    hits = [json.loads(line) for line in first.stdout.splitlines()]
    assert [(hit["row"], hit["entity"]["key"], hit["score"], hit["state"]) for hit in hits] == [
        ("C-1", ZAWAHIRI, 1.0, "new"), ("C-5", MADURO, 0.99, "new")]  # fmt: skip
    assert hits[0]["why"] == "identifier 1084010 agrees (listed Passport 1084010)"
    stored = rows(sdn.url, "SELECT row_key, birth_date, country, gender, kind, identifiers"
                  " FROM screening_row ORDER BY row_key")  # fmt: skip
    assert [(*row[:5], _json(row[5])) for row in stored] == [
        ("C-1", None, None, None, None, ["1084010"]),
        ("C-2", "1970", "US", "female", None, []),
        ("C-3", None, None, None, "vessel", []),
        ("C-4", None, None, None, None, ["test-id:777"]),
        ("C-5", "1962-11-23", "VE", "male", "person", []),
    ]
    sdn.ok("entity", "identify", MADURO, "test-id:777")
    rescreened = sdn.json("rescreen", "customers")
    assert [(hit["row"], hit["entity"]["key"], hit["score"], hit["state"], hit["why"])
            for hit in rescreened["raised"]] == [
        ("C-4", MADURO, 1.0, "new", "identifier test-id:777 agrees")]  # fmt: skip
    full = sdn.json("rescreen", "customers", "--full")["run"]
    assert sorted((hit["row"], hit["entity"]["key"], hit["score"]) for hit in full["hits"]) == [
        ("C-1", ZAWAHIRI, 1.0), ("C-4", MADURO, 1.0), ("C-5", MADURO, 0.99)]  # fmt: skip


# -- POST /api/match --------------------------------------------------------------------------


@pytest.fixture
def served(listed: Cli) -> Iterator[TestClient]:
    with client_for(listed.url) as client:
        yield client


def test_match_weighs_dates_countries_genders_and_identifiers(served: TestClient) -> None:
    body = {"queries": [
        {"id": "c-1", "name": "Nicolas Maduro Moros", "birth_date": "1970", "country": "US",
         "gender": "f"},
        {"id": "c-2", "name": "Nicolas Maduro Moros", "birth_date": "1962-11", "country": "VE",
         "gender": "male"},
        {"id": "c-3", "name": "John Nobody", "identifiers": ["1084010"]},
        {"id": "c-4", "name": "John Nobody", "identifiers": ["1084010"], "kind": "vessel"},
    ], "threshold": 0.5, "limit": 1}  # fmt: skip
    answered = served.post("/api/match", json=body)
    assert answered.status_code == 200, answered.text
    results = {result["id"]: result["hits"] for result in answered.json()["results"]}
    [contradicted], [agreed], [held] = results["c-1"], results["c-2"], results["c-3"]
    assert (contradicted["entity"]["key"], contradicted["score"]) == (MADURO, 0.54)
    assert contradicted["why"] == THE_EXAMPLE_WHY
    assert contradicted["agrees"] == []
    assert len(contradicted["contradicts"]) == 3
    assert (agreed["score"], agreed["contradicts"]) == (0.99, [])
    assert agreed["agrees"] == ["born 1962-11 (listed 1962-11-23)", "country VE (listed VE)",
                                "gender male (listed male)"]  # fmt: skip
    assert (held["entity"]["key"], held["score"], held["agrees"]) == (
        ZAWAHIRI, 1.0, ["identifier 1084010 (listed Passport 1084010)"])  # fmt: skip
    assert results["c-4"] == []  # `kind` filters: the holder is a person


@pytest.mark.parametrize(
    ("fact", "status", "words"),
    [
        ({"birth_date": "1962-13"}, 400, "date of birth '1962-13': impossible date"),
        ({"country": "Atlantis"}, 400, "unknown country 'Atlantis'"),
        ({"gender": "x"}, 400, "gender 'x': give male or female"),
        ({"kind": "dragon"}, 422, "queries.0.kind: Input should be"),
        ({"birth_date": "1962-11-23T00:00"}, 422, "queries.0.birth_date"),
        ({"identifiers": ["ab"]}, 422, "queries.0.identifiers.0"),
    ],
)
def test_a_match_query_with_facts_that_do_not_read_is_refused(
    served: TestClient, fact: dict[str, Any], status: int, words: str
) -> None:
    body = {"queries": [{"id": "c-9", "name": "Nicolas Maduro Moros", **fact}]}
    assert_problem(served.post("/api/match", json=body), status, words)


def test_a_refused_match_query_is_named_as_the_caller_named_it(served: TestClient) -> None:
    body = {"queries": [{"id": "c-1", "name": "Cartel"},
                        {"id": "c-9", "name": "Nicolas Maduro Moros", "gender": "x"}]}  # fmt: skip
    detail = served.post("/api/match", json=body).json()["detail"]
    assert "c-9" in detail or "queries.1" in detail
    assert "(id 1)" not in detail
