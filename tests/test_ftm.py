"""FollowTheMoney in and out: the yente fixtures import, deltas apply in order to the same
state as the final file, and `export ftm` is valid FtM that imports back to the same data."""

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from followthemoney import model
from followthemoney.exc import InvalidData

from tests.conftest import Cli, Copies, imported, shared_file
from tracker.db import create_engine

T1 = ("opensanctions_ftm", "yente_fixture_sanctions_t1", "entities.ftm.json")
ZALA = ("opensanctions_ftm", "yente_fixture_zala", "entities.ftm.json")
DELTAS = ("20240527134702-zbn", "20240527194702-wnk", "20240528014702-pfh",
          "20240528074703-npf", "20240528134729-3iv")  # fmt: skip
PARTIES = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}


def delta(version: str) -> Path:
    return shared_file("opensanctions_ftm", "yente_fixture_sanctions_t2", version,
                       "entities.delta.json")  # fmt: skip


def zala(copies: Copies) -> Cli:
    """A fresh copy of a template holding the zala fixture imported as the list "zala"."""
    return imported(copies, "ftm-zala", (shared_file(*ZALA), {"format": "ftm", "list": "zala"}))


def import_ftm(cli: Cli, path: Path, *args: str) -> dict[str, Any]:
    [summary] = cli.json("import", "ftm", str(path), "--quiet", *args)["imports"]
    return summary


def schemata(path: Path) -> Counter[str]:
    return Counter(json.loads(line)["schema"] for line in path.read_text().splitlines())


@pytest.mark.parametrize("parts", [T1, ZALA], ids=["t1", "zala"])
def test_the_yente_fixtures_import_every_party_by_schema(cli: Cli, parts: tuple[str, ...]) -> None:
    """People, organisations and companies become entities, counted by schema from the file;
    the same file again changes nothing."""
    path = shared_file(*parts)
    summary = import_ftm(cli, path, "--list", "os")
    counts = schemata(path)
    assert summary["added"] == sum(counts[schema] for schema in PARTIES)
    listed = Counter(e["kind"] for e in cli.json("entity", "list")["entities"])
    assert listed["person"] == counts["Person"]
    assert listed["organization"] + listed["company"] == counts["Organization"] + counts["Company"]
    assert import_ftm(cli, path, "--list", "os")["already_imported"]


def test_sanctions_become_designations_under_the_authority_they_name(copies: Copies) -> None:
    """Zala's 41 Sanction entities: each authority by its key (seeded ones recognised by
    name), programId as program, startDate / listingDate as the date, endDate and status
    kept; `ofac-<n>` referents become the OFAC identifiers they are."""
    cli = zala(copies)
    shown = cli.json("entity", "show", "ftm-nk-abdzbebkqyt29gyrebiurz")  # LLC CST
    listings = {(d["authority"], d["program"]): d for d in shown["designations"]}
    australia = listings[("au-department-of-foreign-affairs-and-trade", "AU-RUSSIA")]
    assert (australia["effective_on"], australia["status"]) == ("2023-02-24", "active")
    assert ("us-ofac", "US-RUSHAR") in listings
    expired = listings[("ua-national-security-and-defense-council", "UA-SA1644")]
    assert expired["ended_on"] is not None
    assert {i["value"] for i in shown["identifiers"] if i["scheme"] == "ofac-uid"} == {
        "45928", "45934",
    }  # fmt: skip


def final_state(directory: Path) -> Path:
    """The fixture's last version as one entities file: the deltas applied in memory."""
    entities: dict[str, dict[str, Any]] = {}
    for version in DELTAS:
        for line in delta(version).read_text().splitlines():
            operation = json.loads(line)
            if operation["op"] == "DEL":
                entities.pop(operation["entity"]["id"], None)
            else:
                entities[operation["entity"]["id"]] = operation["entity"]
    path = directory / "final.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities.values()))
    return path


def on_the_list(url: str, list_code: str) -> set[tuple[Any, ...]]:
    """What the list says now: each entity it carries, with what it says of it, and the
    listings in force."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT e.key, e.name, e.kind, e.country, e.description, l.content"
                " FROM list_entry l JOIN entity e ON e.id = l.entity_id"
                " WHERE l.list_key = :key AND l.removed_on IS NULL"
            ),
            {"key": f"ftm/{list_code}"},
        ).all()
        listings = connection.execute(
            sa.text(
                "SELECT e.key, a.key, d.program, d.effective_on, d.ended_on, d.status"
                " FROM designation d JOIN entity e ON e.id = d.entity_id"
                " JOIN authority a ON a.id = d.authority_id"
                " WHERE d.removed_on IS NULL AND d.list_code = :list"
            ),
            {"list": list_code},
        ).all()
    engine.dispose()
    state: set[tuple[Any, ...]] = {("listing", *row) for row in listings}
    for key, name, kind, country, description, content in rows:
        content = json.loads(content) if isinstance(content, str) else content
        state.add((key, name, kind, country, description, json.dumps(content, sort_keys=True)))
    return state


def test_five_deltas_in_order_give_the_final_state(cli: Cli, empty: Cli, tmp_path: Path) -> None:
    """ADD, MOD and DEL apply as editions dated by their version ids; the result is what
    importing the final state gives (the deleted entity keeps its history, off the list)."""
    summaries = [import_ftm(cli, delta(version), "--list", "t2") for version in DELTAS]
    assert [(s["added"], s["changed"], s["removed"]) for s in summaries] == [
        (0, 0, 0), (2, 0, 0), (1, 1, 0), (0, 0, 1), (1, 0, 0),
    ]  # fmt: skip
    assert [s["published_on"] for s in summaries] == ["2024-05-27"] * 2 + ["2024-05-28"] * 3
    empty.ok("db", "upgrade")
    import_ftm(empty, final_state(tmp_path), "--list", "t2", "--published", "2024-05-28")
    assert on_the_list(cli.url, "t2") == on_the_list(empty.url, "t2")
    assert len([row for row in on_the_list(cli.url, "t2") if row[0] != "listing"]) == 3
    renamed = cli.json("entity", "show", "ftm-nk-2t3s8hu29ktynkstgqp2wl")
    assert renamed["entity"]["name"] == "Foobar Foobargroup"
    assert {"name": "AL-QAIDA IN IRAQ", "kind": "fka", "language": None, "script": None} in renamed[
        "aliases"
    ]


COMPANY = "NK-abdzbEBkqyT29GyREbiURZ"  # LLC CST in the zala fixture: 28 Sanctions
ENDED = "au-dfat-56600015954691cece058c2a3b0e3b27740701e6"  # AU-RUSSIA since 2023-02-24
WITHDRAWN = "ch-seco-841633b225cf7533f22a858208c7195562990afe"  # SECO-UKRAINE


def test_a_delta_changes_and_withdraws_sanctions_without_their_entity(
    copies: Copies, empty: Cli, tmp_path: Path
) -> None:
    """As OpenSanctions' deltas do: a MOD of a Sanction alone ends the listing it made on its
    new endDate, a DEL of one alone leaves that listing gone, a DEL of what the database never
    held is counted, a MOD of an entity it never held adds it; and the result is what the
    final full file gives."""
    records = [json.loads(line) for line in shared_file(*ZALA).read_text().splitlines()]
    by_id = {record["id"]: record for record in records}
    ended = json.loads(json.dumps(by_id[ENDED]))
    ended["properties"]["endDate"] = ["2026-04-30"]
    newcomer = {"id": "NK-newcomer", "schema": "Person", "properties": {"name": ["Jane Roe"]}}
    operations = [
        {"op": "MOD", "entity": ended},
        {"op": "DEL", "entity": {"id": WITHDRAWN}},
        {"op": "DEL", "entity": {"id": "NK-never-held"}},
        {"op": "MOD", "entity": newcomer},
    ]
    path = tmp_path / "20260501000000-abc" / "entities.delta.json"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(op) + "\n" for op in operations))
    cli = zala(copies)
    summary = import_ftm(cli, path, "--list", "zala")
    assert (summary["added"], summary["changed"], summary["not_held"]) == (1, 1, 1)
    listings = {
        d["record_id"]: d
        for d in cli.json("entity", "show", "ftm-" + COMPANY.lower())["designations"]
    }
    assert (listings[ENDED]["ended_on"], listings[ENDED]["status"]) == ("2026-04-30", "revoked")
    assert (listings[WITHDRAWN]["observed"]["removed_on"], listings[WITHDRAWN]["status"]) == (
        "2026-05-01", "delisted",
    )  # fmt: skip
    final = [ended if r["id"] == ENDED else r for r in records if r["id"] != WITHDRAWN]
    whole = tmp_path / "final.ftm.json"
    whole.write_text("".join(json.dumps(r) + "\n" for r in [*final, newcomer]))
    empty.ok("db", "upgrade")
    import_ftm(empty, whole, "--list", "zala", "--published", "2026-05-01")
    assert on_the_list(cli.url, "zala") == on_the_list(empty.url, "zala")


def ftm_problems(record: dict[str, Any]) -> list[str]:
    """What followthemoney itself finds wrong with an exported entity: its schema's
    validator, unknown properties (a strict proxy), required properties, and any property
    that its cleaning (`ftm validate`) would drop."""
    schema = model.get(record["schema"])
    if schema is None:
        return [f"unknown schema {record['schema']}"]
    try:
        schema.validate(record)
        proxy = model.get_proxy(record, cleaned=False)
    except InvalidData as error:
        return [str(error.errors)]
    clean = proxy.clone()
    for prop in proxy.iterprops():
        clean.set(prop, proxy.get(prop))
    problems = [f"missing {name}" for name in schema.required if not proxy.get(name)]
    kept = clean.to_dict()["properties"]
    problems += [f"dropped {name}" for name in record["properties"] if not kept.get(name)]
    return problems


def test_the_export_is_valid_followthemoney(filled: Cli, tmp_path: Path) -> None:
    """Every line of `export ftm` passes FtM's validator: seeds, OFAC imports, hand-entered
    facts and an FtM import of real entities with their properties."""
    import_ftm(filled, shared_file(*ZALA), "--list", "zala")
    path = tmp_path / "export.ftm.json"
    result = filled.json("export", "ftm", "-o", str(path))["export"]
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert result["entities"] == len(records)
    assert {r["schema"] for r in records} >= {"Person", "Organization", "Identification",
                                               "Sanction", "Event"}  # fmt: skip
    assert {r["id"]: ftm_problems(r) for r in records if ftm_problems(r)} == {}
    assert len({r["id"] for r in records}) == len(records)


def contents(url: str) -> dict[str, Counter[tuple[Any, ...]]]:
    """Entities, aliases, identifiers (but `ftm`), designations and sanctions as FtM can
    carry them, by entity key and authority key."""
    queries = {
        "entities": "SELECT key, name, kind, country, description FROM entity",
        "aliases": "SELECT e.key, a.name, CASE a.kind WHEN 'spelling' THEN 'aka' ELSE a.kind END"
        " FROM alias a JOIN entity e ON e.id = a.entity_id",
        "identifiers": "SELECT e.key, i.scheme, i.value FROM identifier i"
        " JOIN entity e ON e.id = i.entity_id WHERE i.scheme != 'ftm'",
        "designations": "SELECT e.key, a.key, d.program, d.effective_on, d.ended_on, d.status,"
        " d.reason, d.legal_basis FROM designation d JOIN entity e ON e.id = d.entity_id"
        " JOIN authority a ON a.id = d.authority_id",
        "sanctions": "SELECT e.key, a.key, s.measure, s.program, s.start_on, s.end_on,"
        " s.status, s.legal_basis, s.notes FROM sanction s JOIN entity e ON e.id = s.entity_id"
        " JOIN authority a ON a.id = s.authority_id",
    }
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            name: Counter(tuple(row) for row in connection.execute(sa.text(query)))
            for name, query in queries.items()
        }
    engine.dispose()
    return found


def test_import_of_the_export_reproduces_the_database(
    filled: Cli, empty: Cli, tmp_path: Path
) -> None:
    """import(export(db)) into a new database: the same entities (keys kept), aliases,
    identifiers, designations and sanctions, row for row."""
    import_ftm(filled, shared_file(*ZALA), "--list", "zala")
    path = tmp_path / "export.ftm.json"
    filled.ok("export", "ftm", "-o", str(path))
    empty.ok("db", "upgrade")
    import_ftm(empty, path, "--list", "tracker")
    before, after = contents(filled.url), contents(empty.url)
    for table in before:
        assert after[table] == before[table], table
    assert sum(before["designations"].values()) > 100
    assert sum(before["sanctions"].values()) >= 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{not json"], "line 1: not a JSON object"),
        (['["a list"]'], "line 1: not a JSON object"),
        (['{"schema": "Person", "properties": {"name": ["X"]}}'], "line 1: the entity has no id"),
        (['{"id": "x", "properties": {"name": ["X"]}}'], "entity x has no schema"),
        (
            ['{"id": "x", "schema": "Person", "properties": {"name": "X"}}'],
            "properties must map names to lists of strings",
        ),
        (['{"id": "x", "schema": "Person", "properties": {}}'], "entity x has no name"),
        (
            [
                '{"id": "s", "schema": "Sanction", "properties": {"entity": ["x"],'
                ' "startDate": ["2024-02-30"]}}'
            ],
            "startDate",
        ),
        (
            [
                '{"id": "s", "schema": "Sanction", "properties": {"entity": ["x"],'
                ' "startDate": ["2024-02-01"], "endDate": ["2023-01-01"]}}'
            ],
            "is before",
        ),
        (
            [
                '{"id": "A-b", "schema": "Person", "properties": {"name": ["X"]}}',
                '{"id": "a-B", "schema": "Person", "properties": {"name": ["Y"]}}',
            ],
            "differ only in case",
        ),
        (
            ['{"id": "x", "schema": "Person", "properties": {"name": ["' + "X" * 3000 + '"]}}'],
            "too long",
        ),
        (['{"op": "UPSERT", "entity": {"id": "x"}}'], "op 'UPSERT' is not ADD, MOD or DEL"),
        (['{"op": "ADD", "entity": 7}'], "the ADD has no entity"),
        (
            ['{"id": "x", "schema": "Person", "properties": {"name": ["X"]}, "datasets": 7}'],
            "datasets must be strings",
        ),
    ],
)
def test_malformed_ftm_is_one_line_naming_the_record_and_writes_nothing(
    cli: Cli, tmp_path: Path, lines: list[str], message: str
) -> None:
    path = tmp_path / "entities.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "ftm", str(path), "--quiet")
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli.json("import", "runs")["runs"] == []
