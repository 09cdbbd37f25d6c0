"""Safe by default: the same fact twice is refused with a pointer to the one recorded, records
are addressed by what they are so a typo cannot hit another row, and commands that destroy
data need `--yes` when there is no terminal to ask at."""

from typing import Any

import pytest

from tests.conftest import Cli

DESIGNATE = ("designate", "tren-de-aragua", "--authority", "us-ofac", "--list", "SDN",
             "--program", "SDGT", "--effective", "2025-02-20")  # fmt: skip


def test_the_same_designation_twice_is_refused_with_its_id(seeded: Cli) -> None:
    """A second `designate` of a listing not yet ended names the first; the totals count one."""
    first: Any = seeded.json(*DESIGNATE, "--format", "json")
    designation_id = first["designation"]["id"]
    again = seeded(*DESIGNATE)
    assert again.exit_code == 1, again.output
    assert f"(designation {designation_id}, active)" in again.stderr
    assert f"tracker designation show {designation_id}" in again.stderr
    assert "--allow-duplicate" in again.stderr
    listed: Any = seeded.json("designation", "list", "--entity", "tren-de-aragua", "--list", "SDN")
    assert [d["id"] for d in listed["designations"]] == [designation_id]


def test_allow_duplicate_records_it_again(seeded: Cli) -> None:
    """`--allow-duplicate` is the way to insist."""
    seeded.ok(*DESIGNATE)
    seeded.ok(*DESIGNATE, "--allow-duplicate")
    listed: Any = seeded.json("designation", "list", "--entity", "tren-de-aragua", "--list", "SDN")
    assert len(listed["designations"]) == 2


def test_a_revoked_designation_may_be_made_again(seeded: Cli) -> None:
    """A re-designation after a revocation is a new fact, not a duplicate."""
    seeded.ok(*DESIGNATE)
    seeded.ok("designation", "revoke", "tren-de-aragua/us-ofac/SDN", "--on", "2025-06-01")
    seeded.ok(*DESIGNATE[:-1], "2025-09-01")


@pytest.mark.parametrize(
    ("command", "pointer"),
    [
        (("sanction", "add", "cartel-de-los-soles", "--authority", "us-ofac", "--measure",
          "asset-freeze", "--program", "SDGT", "--effective", "2025-07-25"),
         "tracker sanction show 1"),
        (("response", "add", "--by", "government-of-venezuela", "--about",
          "designation:cartel-de-los-soles/us-state/FTO", "--stance", "rejects", "--on",
          "2025-11-24", "--summary", "Said it again"),
         "tracker response show 1"),
        (("entity", "add", "Cartel de los Soles", "--kind", "organization", "--key", "soles"),
         "tracker entity show cartel-de-los-soles"),
        (("entity", "add", "Cartel de los Soles", "--kind", "organization"),
         "tracker entity show cartel-de-los-soles"),
        (("source", "add", "--title", "x", "--url",
          "https://ofac.treasury.gov/recent-actions/20250725"),
         "cite it as --source"),
    ],
    ids=["sanction", "response", "entity by name", "entity by key", "source by URL"],
)  # fmt: skip
def test_every_recorded_fact_refuses_its_duplicate(
    seeded: Cli, command: tuple[str, ...], pointer: str
) -> None:
    """Sanctions, responses, entities and sources already in the seeds are refused again,
    pointing at the record that holds them; the database is unchanged."""
    result = seeded(*command)
    assert result.exit_code == 1, result.output
    assert pointer in result.stderr


def test_a_designation_is_addressed_by_what_it_is(seeded: Cli) -> None:
    """KEY/AUTHORITY/LIST names one designation; a reference that fits several lists them
    and changes nothing."""
    shown: Any = seeded.json("designation", "show", "cartel-de-los-soles/us-state/FTO")
    assert (shown["kind"], shown["designation"]["list"]) == ("designation", "FTO")
    ambiguous = seeded("designation", "amend", "cartel-de-los-soles", "--notes", "x")
    assert ambiguous.exit_code == 2, ambiguous.output
    assert "matches 2 designations" in ambiguous.stderr
    assert "1 (us-ofac SDN SDGT, active), 2 (us-state FTO, active)" in ambiguous.stderr
    amended = seeded.ok("designation", "amend", "cartel-de-los-soles/us-state", "--notes", "x")
    assert (
        f"Amended designation {shown['designation']['id']} (cartel-de-los-soles: us-state FTO)"
        in (amended.stdout)
    )


def test_a_sanction_is_lifted_by_reference(seeded: Cli) -> None:
    """KEY/AUTHORITY is enough when the target has one sanction by that authority."""
    lifted: Any = seeded.json(
        "sanction", "lift", "cartel-de-los-soles/us-ofac", "--on", "2026-01-15"
    )
    assert lifted["sanction"]["recorded_status"] == "lifted"
    missing = seeded("sanction", "show", "cartel-de-los-soles/un-sc")
    assert missing.exit_code == 1
    assert "no sanction 'cartel-de-los-soles/un-sc'" in missing.stderr


def test_downgrade_without_a_terminal_needs_yes(seeded: Cli) -> None:
    """`db downgrade` drops data: run unattended without --yes it refuses and changes nothing."""
    refused = seeded("db", "downgrade", "base")
    assert refused.exit_code == 2
    assert "drops every table, with its data: give --yes" in refused.stderr
    assert seeded.ok("db", "current").stdout.endswith("(head)\n")
