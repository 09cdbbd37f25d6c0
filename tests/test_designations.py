"""Designations: listed, pending until effective, amended with before/after, revoked once."""

from typing import Any

import pytest

from tests.conftest import Cli

SOURCE = "https://www.federalregister.gov/d/2025-20750"


@pytest.fixture
def soles(seeded: Cli) -> Cli:
    seeded.ok("entity", "add", "Cartel de los Soles 2", "--kind", "organization", "--key", "soles")
    return seeded


def designate(cli: Cli, *args: str) -> dict[str, Any]:
    result: Any = cli.json("designate", "soles", "--authority", "us-state", "--list", "FTO", *args)
    return result["designation"]


def test_designate_records_dates_basis_and_sources(soles: Cli) -> None:
    """Both dates are kept; the listing and its entry into force are two events."""
    record = designate(
        soles, "--basis", "INA §219", "--announced", "2025-11-16", "--effective", "2025-11-24",
        "--source", SOURCE,
    )  # fmt: skip
    assert record["announced_on"] == "2025-11-16"
    assert record["effective_on"] == "2025-11-24"
    assert record["legal_basis"] == "INA §219"
    assert [source["url"] for source in record["sources"]] == [SOURCE]
    timeline: Any = soles.json("entity", "show", "soles")
    actions = sorted(e["action"] for e in timeline["events"])
    assert actions == ["effective", "entity-added", "listed"]


def test_announced_only_is_pending_until_amended_with_an_effective_date(soles: Cli) -> None:
    """A designation announced but not in force is pending; its effective date activates it."""
    record = designate(soles, "--announced", "2025-11-16")
    assert record["recorded_status"] == "pending"
    amended: Any = soles.json(
        "designation", "amend", str(record["id"]), "--effective", "2025-11-24"
    )
    assert amended["designation"]["recorded_status"] == "active"
    events: Any = soles.json("report", "timeline", "soles")
    effective = [e for e in events["events"] if e["action"] == "effective"]
    assert effective[0]["occurred_on"] == "2025-11-24"
    assert effective[0]["before"] == {"effective_on": None, "status": "pending"}


def test_amend_records_exactly_the_changed_fields(soles: Cli) -> None:
    """`designation amend` logs before -> after of the fields that changed, nothing else."""
    record = designate(soles, "--effective", "2025-11-24", "--program", "FTO")
    result = soles.ok(
        "designation", "amend", str(record["id"]), "--program", "SDGT", "--basis", "E.O. 13224",
        "--on", "2025-12-01",
    )  # fmt: skip
    assert "program -> SDGT" in result.stdout
    events: Any = soles.json("report", "timeline", "soles")
    amended = next(e for e in events["events"] if e["action"] == "amended")
    assert amended["before"] == {"program": "FTO", "legal_basis": None}
    assert amended["after"] == {"program": "SDGT", "legal_basis": "E.O. 13224"}
    assert amended["occurred_on"] == "2025-12-01"
    unchanged = soles.ok("designation", "amend", str(record["id"]), "--program", "SDGT")
    assert "No change" in unchanged.stdout


def test_revoke_ends_the_designation_once(soles: Cli) -> None:
    """Revoking sets the end date and status; revoking again is refused."""
    record = designate(soles, "--effective", "2021-01-19")
    revoked: Any = soles.json(
        "designation", "revoke", str(record["id"]), "--on", "2021-02-16", "--reason", "Humanitarian"
    )
    assert revoked["designation"]["ended_on"] == "2021-02-16"
    assert revoked["designation"]["recorded_status"] == "revoked"
    again = soles("designation", "revoke", str(record["id"]), "--on", "2021-03-01")
    assert again.exit_code == 1
    assert again.stderr.strip() == (
        f"Error: designation {record['id']} is already revoked (since 2021-02-16)"
    )


def test_partial_dates_are_kept(soles: Cli) -> None:
    """A designation known only as "2001" stays "2001"."""
    record = designate(soles, "--effective", "2001")
    assert record["effective_on"] == "2001"


def test_list_filters(seeded: Cli) -> None:
    """`designation list` filters by entity, authority, list, program and status."""
    listing: Any = seeded.json("designation", "list", "--entity", "cartel-de-los-soles")
    lists = sorted((r["authority"], r["list"]) for r in listing["designations"])
    assert lists == [("us-ofac", "SDN"), ("us-state", "FTO")]
    sdgt: Any = seeded.json("designation", "list", "--list", "SDGT")
    assert len(sdgt["designations"]) == 8
    revoked: Any = seeded.json("designation", "list", "--status", "revoked")
    assert {r["entity"]["key"] for r in revoked["designations"]} >= {"aum-shinrikyo", "ansarallah"}
