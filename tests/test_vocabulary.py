"""One vocabulary: every group has the same verbs (add, show, list...), a subject is written
the same way wherever it is asked for, and an old option spelling still works for a release,
with a note."""

from typing import Any

import pytest

from tests.conftest import Cli, Copies, imported, shared_file

EU_2018 = ("eu_fsf_csv", "2018-07-04_excerpt", "EUSanctionsShort.csv")


def test_designation_add_is_designate(seeded: Cli) -> None:
    """`designation add` and the `designate` shortcut record the same thing."""
    added: Any = seeded.json(
        "designation", "add", "tren-de-aragua", "--authority", "us-ofac", "--list", "SDN",
        "--program", "SDGT", "--effective", "2025-02-20", "--format", "json",
    )  # fmt: skip
    shown: Any = seeded.json("designation", "show", str(added["designation"]["id"]))
    assert shown["designation"] == added["designation"]


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        (("designation", "show", "cartel-de-los-soles/us-state/FTO"), "designation"),
        (("sanction", "show", "cartel-de-los-soles/us-ofac/asset-freeze"), "sanction"),
        (("response", "show", "1"), "response"),
        (("source", "show", "1"), "source"),
    ],
    ids=["designation", "sanction", "response", "source"],
)
def test_every_record_has_a_show_command(seeded: Cli, command: tuple[str, ...], kind: str) -> None:
    """`show` prints one record under its kind, in JSON as the recording command writes it,
    and as fields for a person."""
    document: Any = seeded.json(*command)
    assert document["kind"] == kind
    assert document[kind]["id"] >= 1
    table = seeded.ok(*command).stdout
    assert "field" in table
    assert f"{kind} {document[kind]['id']}" in table


def test_about_reads_the_same_in_add_and_list(seeded: Cli) -> None:
    """`response list --about` takes what `response add --about` takes: a designation by
    reference, or an entity by its key."""
    by_designation: Any = seeded.json(
        "response", "list", "--about", "designation:cartel-de-los-soles/us-state/FTO"
    )
    assert [r["stance"] for r in by_designation["responses"]] == ["rejects"]
    by_entity: Any = seeded.json("response", "list", "--about", "cartel-de-los-soles")
    assert by_entity["responses"] == by_designation["responses"]
    none: Any = seeded.json(
        "response", "list", "--about", "designation:cartel-de-los-soles/us-ofac"
    )
    assert none["responses"] == []
    added: Any = seeded.json(
        "response", "add", "--by", "government-of-venezuela", "--about", "tren-de-aragua",
        "--stance", "rejects", "--on", "2025-02-21", "--summary", "Denied the group exists",
        "--format", "json",
    )  # fmt: skip
    assert added["response"]["about"] == {"kind": "entity", "key": "tren-de-aragua", "id": None}


def test_an_old_option_spelling_works_with_a_note(seeded: Cli) -> None:
    """`sanction add --from/--until` are now `--effective/--ends`: the old names still work,
    hidden, and say so; both at once is a usage error."""
    old = seeded(
        "sanction", "add", "tren-de-aragua", "--authority", "us-ofac", "--measure",
        "asset-freeze", "--from", "2025-02-20", "--until", "2026-02-20",
    )  # fmt: skip
    assert old.exit_code == 0, old.output
    assert "--from is now --effective" in old.stderr
    assert "--until is now --ends" in old.stderr
    record: Any = seeded.json("sanction", "show", "tren-de-aragua/us-ofac")
    assert (record["sanction"]["start_on"], record["sanction"]["end_on"]) == (
        "2025-02-20",
        "2026-02-20",
    )
    both = seeded(
        "sanction", "add", "tren-de-aragua", "--authority", "us-ofac", "--measure",
        "travel-ban", "--from", "2025-02-20", "--effective", "2025-02-20",
    )  # fmt: skip
    assert both.exit_code == 2
    assert "give --effective only" in both.stderr
    assert "--from" not in seeded.ok("sanction", "add", "--help").stdout


def test_a_sanction_needs_its_start(seeded: Cli) -> None:
    """Without --effective (or its old name) a sanction is a usage error naming the option."""
    result = seeded(
        "sanction", "add", "tren-de-aragua", "--authority", "us-ofac", "--measure", "travel-ban"
    )
    assert result.exit_code == 2
    assert "give --effective DATE" in result.stderr


def test_aliases_are_added_listed_and_removed(seeded: Cli) -> None:
    """`entity alias add|list|remove`: a removed name is gone from the entity and from search,
    and the history keeps an `alias-removed` event."""
    seeded.ok("entity", "alias", "add", "tren-de-aragua", "Aragua Train")
    listed: Any = seeded.json("entity", "alias", "list", "tren-de-aragua")
    assert "Aragua Train" in [alias["name"] for alias in listed["aliases"]]
    seeded.ok("entity", "alias", "remove", "tren-de-aragua", "Aragua Train")
    listed = seeded.json("entity", "alias", "list", "tren-de-aragua")
    assert "Aragua Train" not in [alias["name"] for alias in listed["aliases"]]
    hits: Any = seeded.json("search", "Aragua Train")
    assert "Aragua Train" not in [hit["matched"] for hit in hits["hits"]]
    timeline: Any = seeded.json("report", "timeline", "tren-de-aragua")
    assert "alias-removed" in [e["action"] for e in timeline["events"]]
    typo = seeded("entity", "alias", "remove", "tren-de-aragua", "Aragua Train")
    assert typo.exit_code == 1
    assert "no alias of tren-de-aragua 'Aragua Train'" in typo.stderr


def test_a_name_an_imported_list_gives_is_not_removed(copies: Copies) -> None:
    """An alias an edition gave stays while the list gives it: removing it is refused."""
    cli = imported(copies, "eu-2018-07-04", (shared_file(*EU_2018), {}))
    profile: Any = cli.json("entity", "show", "eu-13")
    name = profile["aliases"][0]["name"]
    refused = cli("entity", "alias", "remove", "eu-13", name)
    assert refused.exit_code == 1
    assert "an imported name stays while the list gives it" in refused.stderr
