"""Entities: added with aliases and identifiers, listed, shown, edited; keys everywhere."""

from typing import Any

import tracker
from tests.conftest import Cli


def add_soles(cli: Cli) -> None:
    cli.ok(
        "entity", "add", "Cartel de los Soles",
        "--kind", "organization", "--country", "ve",
        "--alias", "Cartel of the Suns", "--id", "ofac-uid:54321",
        "--description", "Alleged Venezuelan trafficking network",
    )  # fmt: skip


def test_add_makes_a_key_from_the_name_and_prints_what_it_did(cli: Cli) -> None:
    """The key defaults to a slug of the name; the country is normalised to upper case."""
    result = cli.ok("entity", "add", "Cártel de Sinaloa", "--kind", "organization")
    assert result.stdout.strip() == "Added entity cartel-de-sinaloa (Cártel de Sinaloa)"
    add_soles(cli)
    shown: Any = cli.json("entity", "show", "cartel-de-los-soles")
    assert shown["schema_version"] == 2
    assert shown["entity"] == {
        "key": "cartel-de-los-soles",
        "name": "Cartel de los Soles",
        "kind": "organization",
        "country": "VE",
        "description": "Alleged Venezuelan trafficking network",
    }
    assert shown["aliases"] == [
        {"name": "Cartel of the Suns", "kind": "aka", "language": None, "script": None}
    ]
    assert shown["identifiers"] == [{"scheme": "ofac-uid", "value": "54321"}]
    [added] = shown["events"]  # one event names the entity with its aliases and identifiers
    assert added["action"] == "entity-added"
    assert added["after"]["aliases"] == [{"name": "Cartel of the Suns", "kind": "aka"}]
    assert added["after"]["identifiers"] == [{"scheme": "ofac-uid", "value": "54321"}]


def test_add_json_output_is_the_record(cli: Cli) -> None:
    """`--format json` on a recording command prints the record for scripts."""
    record: Any = cli.json("entity", "add", "Tren de Aragua", "--kind", "organization")
    assert record["entity"]["key"] == "tren-de-aragua"


def test_names_are_kept_exactly_as_typed(cli: Cli) -> None:
    """No lossy normalisation of what the user typed: spacing, case and scripts survive."""
    name = "  Ḥizb  ALLAH  حزب الله "
    cli.ok("entity", "add", name, "--kind", "organization", "--key", "hizballah")
    shown: Any = cli.json("entity", "show", "hizballah")
    assert shown["entity"]["name"] == name


def test_list_filters_by_kind_country_and_name_or_alias(cli: Cli) -> None:
    """`entity list` filters; `--name` matches any part of a name or alias, any case."""
    add_soles(cli)
    cli.ok("entity", "add", "Government of Venezuela", "--kind", "government", "--country", "VE")
    cli.ok("entity", "add", "Tren de Aragua", "--kind", "organization", "--country", "VE")

    def keys(*args: str) -> list[str]:
        listing: Any = cli.json("entity", "list", *args)
        return [row["key"] for row in listing["entities"]]

    assert keys() == ["cartel-de-los-soles", "government-of-venezuela", "tren-de-aragua"]
    assert keys("--kind", "government") == ["government-of-venezuela"]
    assert keys("--name", "SUNS") == ["cartel-de-los-soles"]
    assert keys("--name", "100%") == []
    assert keys("--country", "mx") == []


def test_edit_records_before_and_after(cli: Cli) -> None:
    """An edit changes only the given fields and logs exactly what changed."""
    add_soles(cli)
    result = cli.ok("entity", "edit", "cartel-de-los-soles", "--name", "Cartel of the Suns")
    assert "name -> Cartel of the Suns" in result.stdout
    assert "No change" in cli.ok("entity", "edit", "cartel-de-los-soles", "--country", "VE").stdout
    shown: Any = cli.json("entity", "show", "cartel-de-los-soles")
    edit = next(e for e in shown["events"] if e["action"] == "entity-edited")
    assert edit["before"] == {"name": "Cartel de los Soles"}
    assert edit["after"] == {"name": "Cartel of the Suns"}


def test_alias_and_identifier_commands(cli: Cli) -> None:
    """Aliases and identifiers can be added later, with their kind and language."""
    add_soles(cli)
    cli.ok("entity", "alias", "add", "cartel-de-los-soles", "Cartel des Soleils",
               "--kind", "spelling", "--language", "fr")  # fmt: skip
    cli.ok("entity", "identify", "cartel-de-los-soles", "opensanctions:NK-soles")
    shown: Any = cli.json("entity", "show", "cartel-de-los-soles")
    assert {
        "name": "Cartel des Soleils",
        "kind": "spelling",
        "language": "fr",
        "script": None,
    } in shown["aliases"]
    assert {"scheme": "opensanctions", "value": "NK-soles"} in shown["identifiers"]


def test_unknown_key_suggests_the_closest_keys(cli: Cli) -> None:
    """A typo in a key names the keys the user probably meant."""
    add_soles(cli)
    result = cli("entity", "show", "cartel-de-los-sole")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: no entity 'cartel-de-los-sole'; did you mean 'cartel-de-los-soles'?"
    )


def test_table_output_shows_every_section(cli: Cli) -> None:
    """The default table output names the entity and its sections."""
    add_soles(cli)
    out = cli.ok("entity", "show", "cartel-de-los-soles").stdout
    for title in ("Entity", "Aliases", "Identifiers", "Recent events"):
        assert title in out


def test_a_key_is_made_from_a_name_in_any_script(db: tracker.Tracker) -> None:
    """Names in Cyrillic or Arabic get a readable, transliterated key instead of failing."""
    assert db.add_entity("Хезболла", kind="organization").key == "khezbolla"
    assert db.add_entity("حزب الله", kind="organization").key == "hzb-llh"
