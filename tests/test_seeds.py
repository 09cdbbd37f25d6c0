"""Seeds: the shipped case and FTO history load, idempotently; bad files are named errors."""

import csv
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, fingerprint, shared_file
from tracker.services.seed_files import default_seed_paths


def test_shipped_seeds_hold_the_cartel_de_los_soles_case(seeded: Cli) -> None:
    """The case: OFAC SDGT 2025-07-25, FTO announced 11-16 and effective 11-24, Venezuela's
    rejection, each with its source."""
    shown: Any = seeded.json("entity", "show", "cartel-de-los-soles")
    assert shown["entity"]["country"] == "VE"
    assert {"name": "Cartel of the Suns", "kind": "aka", "language": "en", "script": None} in shown[
        "aliases"
    ]
    designations = {(d["authority"], d["list"]): d for d in shown["designations"]}
    sdgt = designations[("us-ofac", "SDN")]
    assert (sdgt["program"], sdgt["effective_on"], sdgt["legal_basis"]) == (
        "SDGT",
        "2025-07-25",
        "E.O. 13224",
    )
    fto = designations[("us-state", "FTO")]
    assert (fto["announced_on"], fto["effective_on"]) == ("2025-11-16", "2025-11-24")
    assert fto["legal_basis"] == "INA §219 (8 U.S.C. 1189)"
    assert any("2025-20750" in (source["url"] or "") for source in fto["sources"])
    [response] = shown["responses"]
    assert (response["responder"]["key"], response["stance"], response["stated_on"]) == (
        "government-of-venezuela",
        "rejects",
        "2025-11-24",
    )
    assert response["about"] == {"kind": "designation", "id": fto["id"], "key": None}
    assert [s["measure"] for s in shown["sanctions"]] == ["asset-freeze"]


def test_the_eight_cartels_of_2025_02_20_are_fto_and_sdgt(seeded: Cli) -> None:
    """Each of the eight groups designated on 2025-02-20 carries an FTO and an SDGT listing."""
    listing: Any = seeded.json("designation", "list", "--authority", "us-state")
    on_day = [d for d in listing["designations"] if d["effective_on"] == "2025-02-20"]
    by_entity: dict[str, set[str]] = {}
    for designation in on_day:
        by_entity.setdefault(designation["entity"]["key"], set()).add(designation["list"])
    assert len(by_entity) == 8
    assert all(lists == {"FTO", "SDGT"} for lists in by_entity.values())
    assert all(d["sources"] for d in on_day)


def test_fto_history_matches_the_compiled_list(seeded: Cli) -> None:
    """Every row of the State Department FTO history is a designation with its dates."""
    rows = list(csv.DictReader(shared_file("us_state_fto", "fto_list.csv").open(encoding="utf-8")))
    listing: Any = seeded.json("designation", "list", "--authority", "us-state", "--list", "FTO")
    recorded = sorted(
        (d["effective_on"] or "", d["ended_on"] or "") for d in listing["designations"]
    )
    expected = sorted((r["designated_on"], r["revoked_on"]) for r in rows)
    assert len(rows) == 112
    assert recorded == expected
    ansarallah: Any = seeded.json("designation", "list", "--entity", "ansarallah")
    assert [(d["effective_on"], d["ended_on"]) for d in ansarallah["designations"]] == [
        ("2021-01-19", "2021-02-16"),
        ("2025-03-04", None),
    ]


def test_seeding_twice_adds_nothing(seeded: Cli) -> None:
    """A second load recognises every record and records no event."""
    events_before: Any = seeded.json("report", "changes", "--since", "1900-01-01")
    result = seeded.ok("seed")
    assert "nothing new" in result.stdout
    events_after: Any = seeded.json("report", "changes", "--since", "1900-01-01")
    assert events_after == events_before


def test_seed_files_ship_in_load_order() -> None:
    """Authorities first, then the case, then the FTO history that cites the case's facts."""
    names = [path.name for path in default_seed_paths()]
    assert names == [
        "01-authorities.yaml",
        "02-case-cartel-de-los-soles.yaml",
        "03-us-state-fto-history.yaml",
    ]


MALFORMED = {
    "bad date": (
        "designations:\n"
        "  - {entity: hamas, authority: us-state, list: FTO, effective: 2025-02-30}\n",
        "designations[0] (hamas): effective: impossible date '2025-02-30'",
    ),
    "unknown field": (
        "entities:\n  - {key: x, name: X, kind: organization, colour: red}\n",
        "entities[0] (x): colour: unknown field",
    ),
    "unknown enum": (
        "entities:\n  - {key: x, name: X, kind: planet}\n",
        "entities[0] (x): kind: unknown value 'planet'",
    ),
    "unknown entity": (
        "designations:\n  - {entity: nobody, authority: us-state, list: FTO}\n",
        "designations[0] (nobody): no entity 'nobody'",
    ),
    "not yaml": ("entities: [unclosed\n", "not valid YAML"),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_seed_names_file_record_and_field_and_writes_nothing(
    seeded: Cli, tmp_path: Path, case: str
) -> None:
    """A bad seed file is one line naming where the problem is; nothing is loaded."""
    text, message = MALFORMED[case]
    good = tmp_path / "good.yaml"
    good.write_text("entities:\n  - {key: fresh-group, name: Fresh Group, kind: organization}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    before = fingerprint(seeded.url)
    result = seeded("seed", str(good), str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(seeded.url) == before


def test_norway_is_a_country_not_false(seeded: Cli, tmp_path: Path) -> None:
    """YAML 1.1 reads `NO` as false; seeds read it as the country code it is."""
    seed = tmp_path / "norway.yaml"
    seed.write_text(
        "entities:\n  - {key: nor-group, name: Nor Group, kind: company, country: NO}\n"
    )
    seeded.ok("seed", str(seed))
    shown: Any = seeded.json("entity", "show", "nor-group")
    assert shown["entity"]["country"] == "NO"
