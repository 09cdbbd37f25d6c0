"""The pure rules every report rests on, table by table, without a database: a listing's
status as of a day, since when it is in force, name normalisation, and which edition-to-edition
changes are cosmetic."""

from dataclasses import dataclass

import pytest

from tracker.enums import DesignationStatus, SanctionStatus
from tracker.importers.diff import is_cosmetic
from tracker.names import index_keys, normalize_name
from tracker.status import (
    Since,
    designation_since,
    designation_status,
    sanction_since,
    sanction_status,
)


@dataclass(frozen=True)
class Designation:
    announced_on: str | None = None
    effective_on: str | None = None
    ended_on: str | None = None
    first_seen_on: str | None = None
    removed_on: str | None = None
    status: str = "active"


@dataclass(frozen=True)
class Sanction:
    start_on: str | None = None
    end_on: str | None = None
    first_seen_on: str | None = None
    removed_on: str | None = None
    status: str = "active"


FTO = Designation(announced_on="2025-11-16", effective_on="2025-11-24")
REVOKED = Designation(effective_on="2021-01-19", ended_on="2021-02-16", status="revoked")
SEEN = Designation(first_seen_on="2022-06-17")
SEEN_THEN_GONE = Designation(first_seen_on="2022-06-17", removed_on="2022-06-28",
                             status="delisted")  # fmt: skip

# (case, designation, day, status as of the day: None when not yet announced or seen)
DESIGNATION_STATUS = [
    ("before announcement", FTO, "2025-11-15", None),
    ("announced, not yet effective", FTO, "2025-11-16", "pending"),
    ("the day before effect", FTO, "2025-11-23", "pending"),
    ("effective on its day", FTO, "2025-11-24", "active"),
    ("long after", FTO, "2030-01-01", "active"),
    ("effective, not announced, before", Designation(effective_on="2001-10-08"),
     "2001-10-07", None),
    ("in force until the day before it ends", REVOKED, "2021-02-15", "active"),
    ("ended on the day of its end", REVOKED, "2021-02-16", "revoked"),
    ("ended designation with active status is expired",
     Designation(effective_on="2019-01-01", ended_on="2020-01-01"), "2020-06-01", "expired"),
    ("revoked the day it took effect: never in force",
     Designation(effective_on="2021-01-19", ended_on="2021-01-19", status="revoked"),
     "2021-01-19", "revoked"),
    ("known by year: in force from the year's first day", Designation(effective_on="2001"),
     "2001-01-01", "active"),
    ("known by year: not the day before", Designation(effective_on="2001"), "2000-12-31", None),
    ("known by month", Designation(effective_on="2019-03"), "2019-03-01", "active"),
    ("suspended stays suspended", Designation(effective_on="2020-01-01", status="suspended"),
     "2024-01-01", "suspended"),
    ("announced only: pending as recorded",
     Designation(announced_on="2025-11-16", status="pending"), "2025-11-20", "pending"),
    ("announced only, before", Designation(announced_on="2025-11-16"), "2025-11-15", None),
    ("no stated date: in force from its first sighting", SEEN, "2022-06-17", "active"),
    ("no stated date: nothing before the sighting", SEEN, "2022-06-16", None),
    ("gone from an edition: delisted from that edition", SEEN_THEN_GONE, "2022-06-28",
     "delisted"),
    ("gone from an edition: in force before it", SEEN_THEN_GONE, "2022-06-27", "active"),
    ("a stated end wins over an edition's removal",
     Designation(effective_on="2010-01-01", ended_on="2012-01-01", removed_on="2013-01-01",
                 status="revoked"), "2014-01-01", "revoked"),
    ("no date at all: what was recorded", Designation(status="pending"), "2020-01-01",
     "pending"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("designation", "day", "expected"),
    [case[1:] for case in DESIGNATION_STATUS],
    ids=[case[0] for case in DESIGNATION_STATUS],
)
def test_designation_status_as_of_a_day(
    designation: Designation, day: str, expected: str | None
) -> None:
    status = designation_status(designation, day)
    assert status == (DesignationStatus(expected) if expected else None)


SANCTION_STATUS = [
    ("before its start", Sanction(start_on="2025-02-20"), "2025-02-19", None),
    ("from its start", Sanction(start_on="2025-02-20"), "2025-02-20", "active"),
    ("lifted on its end", Sanction(start_on="2025-02-20", end_on="2026-01-15", status="lifted"),
     "2026-01-15", "lifted"),
    ("in force the day before its end", Sanction(start_on="2025-02-20", end_on="2026-01-15",
                                                 status="lifted"), "2026-01-14", "active"),
    ("ended while recorded active: expired", Sanction(start_on="2020", end_on="2021"),
     "2021-06-01", "expired"),
    ("first seen", Sanction(first_seen_on="2024-05-24"), "2024-05-24", "active"),
    ("before first seen", Sanction(first_seen_on="2024-05-24"), "2024-05-23", None),
    ("gone from an edition", Sanction(first_seen_on="2024-05-24", removed_on="2024-06-01",
                                      status="delisted"), "2024-06-01", "delisted"),
    ("suspended", Sanction(start_on="2020-01-01", status="suspended"), "2021-01-01",
     "suspended"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("sanction", "day", "expected"),
    [case[1:] for case in SANCTION_STATUS],
    ids=[case[0] for case in SANCTION_STATUS],
)
def test_sanction_status_as_of_a_day(sanction: Sanction, day: str, expected: str | None) -> None:
    status = sanction_status(sanction, day)
    assert status == (SanctionStatus(expected) if expected else None)


@pytest.mark.parametrize(
    ("designation", "since"),
    [
        (FTO, Since("2025-11-24", stated=True)),
        (Designation(announced_on="2025-11-16"), Since("2025-11-16", stated=True)),
        (Designation(effective_on="2001", first_seen_on="2022-06-17"), Since("2001", True)),
        (SEEN, Since("2022-06-17", stated=False)),
        (Designation(), Since(None, stated=False)),
    ],
)
def test_since_is_the_stated_start_else_the_first_sighting(
    designation: Designation, since: Since
) -> None:
    assert designation_since(designation) == since


def test_a_sanction_since_follows_the_same_rule() -> None:
    assert sanction_since(Sanction(start_on="2025-02", first_seen_on="2025-03-01")) == Since(
        "2025-02", stated=True
    )
    assert sanction_since(Sanction(first_seen_on="2025-03-01")) == Since("2025-03-01", False)


NORMALISED = [
    ("Grupo Bimbo, S.A. de C.V.", "grupo bimbo"),
    ("ACME Trading L.L.C.", "acme trading"),
    ("Sheikh Ahmed Yassin", "ahmed yassin"),
    ("Mr. Nicolás MADURO Moros", "nicolas maduro moros"),
    ("Пригожин Евгений", "prigozhin evgeniy"),
    ("Cártel de los Soles", "cartel los soles"),
    ("AL-QA'IDA", "al qaida"),  # an apostrophe inside a word joins it
    ("LLC", "llc"),  # nothing but a legal form: kept whole
    ("Compnay Alpha", "alpha"),  # a legal-form word mistyped by one letter
    ("  many   spaces\t", "many spaces"),
]


@pytest.mark.parametrize(("name", "normalised"), NORMALISED, ids=[n for n, _ in NORMALISED])
def test_names_are_normalised_before_comparison(name: str, normalised: str) -> None:
    assert normalize_name(name) == normalised


def test_names_in_other_scripts_normalise_to_latin_words() -> None:
    for name, normalised in [("حزب الله", "hzb allh"), ("Хезболла", "khezbolla")]:
        assert normalize_name(name) == normalised
    assert normalize_name("金正恩").isascii()


def test_index_keys_hold_words_sounds_and_affixes() -> None:
    keys = index_keys("maduro moros")
    assert {"maduro", "moros", "madu*", "*duro", "moro*", "*oros"} <= keys
    assert any(key.startswith("~") for key in keys)
    assert index_keys("a") == set()  # one letter is no key


COSMETIC = [
    ("spacing in remarks", {"remarks": "Linked To: X."}, {"remarks": "Linked To:X."}, True),
    ("case in an address", {"addresses": ["Caracas, VENEZUELA"]},
     {"addresses": ["Caracas, Venezuela"]}, True),
    ("punctuation in remarks", {"remarks": "a.k.a. X"}, {"remarks": "aka X"}, True),
    ("a word changed in remarks", {"remarks": "Linked To: X."}, {"remarks": "Linked To: Y."},
     False),
    ("a name", {"name": "CARTEL DE LOS SOLES"}, {"name": "Cartel de los Soles"}, False),
    ("a program", {"programs": ["SDGT"]}, {"programs": ["SDGT", "VENEZUELA"]}, False),
    ("remarks added", {}, {"remarks": "new"}, False),
    ("cosmetic and substantive together", {"remarks": "a b", "name": "X"},
     {"remarks": "a  b", "name": "Y"}, False),
    ("nothing changed", {"remarks": "x"}, {"remarks": "x"}, True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after", "cosmetic"),
    [case[1:] for case in COSMETIC],
    ids=[case[0] for case in COSMETIC],
)
def test_only_formatting_of_remarks_and_addresses_is_cosmetic(
    before: dict, after: dict, cosmetic: bool
) -> None:
    assert is_cosmetic(before, after) is cosmetic
