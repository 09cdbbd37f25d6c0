"""Sanctions imposed and lifted; official responses about any record; sources cited."""

import datetime as dt
from typing import Any

from tests.conftest import Cli


def test_sanction_add_list_and_lift_once(seeded: Cli) -> None:
    """A sanction is recorded with its measure and dates, lifted once, and listed."""
    record: Any = seeded.json(
        "sanction", "add", "tren-de-aragua", "--authority", "us-ofac", "--measure", "asset-freeze",
        "--program", "SDGT", "--effective", "2025-02-20",
    )  # fmt: skip
    sanction = record["sanction"]
    assert (sanction["measure"], sanction["start_on"], sanction["status"]) == (
        "asset-freeze",
        "2025-02-20",
        "active",
    )
    lifted: Any = seeded.json("sanction", "lift", str(sanction["id"]), "--on", "2026-01-15")
    assert lifted["sanction"]["recorded_status"] == "lifted"
    assert lifted["sanction"]["end_on"] == "2026-01-15"
    again = seeded("sanction", "lift", str(sanction["id"]), "--on", "2026-02-01")
    assert again.exit_code == 1
    assert "already lifted on 2026-01-15" in again.stderr
    listing: Any = seeded.json("sanction", "list", "--entity", "tren-de-aragua")
    assert [s["id"] for s in listing["sanctions"]] == [sanction["id"]]


def test_response_about_a_designation_sanction_or_entity(seeded: Cli) -> None:
    """Responses name their subject; each is listed under the entity it concerns."""
    designations: Any = seeded.json("designation", "list", "--entity", "tren-de-aragua")
    designation_id = designations["designations"][0]["id"]
    seeded.ok(
        "response", "add", "--by", "government-of-venezuela",
        "--about", f"designation:{designation_id}", "--stance", "condemns",
        "--on", "2025-02-21", "--summary", "Called it an aggression",
    )  # fmt: skip
    seeded.ok(
        "response", "add", "--by", "government-of-venezuela", "--about", "entity:tren-de-aragua",
        "--stance", "denies", "--on", "2025-03", "--summary", "Says the gang was dismantled",
    )  # fmt: skip
    listing: Any = seeded.json("response", "list", "--about", "tren-de-aragua")
    assert [(r["about"], r["stance"], r["stated_on"]) for r in listing["responses"]] == [
        ({"kind": "designation", "id": designation_id, "key": None}, "condemns", "2025-02-21"),
        ({"kind": "entity", "id": None, "key": "tren-de-aragua"}, "denies", "2025-03"),
    ]
    assert {r["entity"]["key"] for r in listing["responses"]} == {"tren-de-aragua"}
    by_stance: Any = seeded.json("response", "list", "--stance", "rejects")
    assert [r["responder"]["key"] for r in by_stance["responses"]] == ["government-of-venezuela"]


def test_source_by_url_or_id(seeded: Cli) -> None:
    """`--source` takes a URL (recorded once) or the id of a source added before."""
    added: Any = seeded.json(
        "source", "add", "--title", "Treasury press release", "--publisher", "US Treasury",
        "--url", "https://home.treasury.gov/news/press-releases/example",
        "--published", "2025-07-25",
    )  # fmt: skip
    source_id = added["source"]["id"]
    record: Any = seeded.json(
        "sanction", "add", "cartel-del-golfo", "--authority", "us-ofac", "--measure",
        "asset-freeze", "--effective", "2025-02-20", "--source", str(source_id),
        "--source", "https://home.treasury.gov/news/press-releases/example",
        "--source", "https://example.org/other",
    )  # fmt: skip
    assert [source["url"] for source in record["sanction"]["sources"]] == [
        "https://home.treasury.gov/news/press-releases/example",
        "https://example.org/other",
    ]
    assert record["sanction"]["sources"][0]["title"] == "Treasury press release"
    sources: Any = seeded.json("source", "list")
    urls = [s["url"] for s in sources["sources"]]
    assert urls.count("https://example.org/other") == 1
    duplicate = seeded(
        "source", "add", "--title", "Again", "--url",
        "https://home.treasury.gov/news/press-releases/example",
    )  # fmt: skip
    assert duplicate.exit_code == 1
    assert f"(source {source_id}): cite it as --source {source_id}" in duplicate.stderr


def test_authority_list(seeded: Cli) -> None:
    """The seeded authorities are the keys `--authority` accepts."""
    listing: Any = seeded.json("authority", "list")
    assert [a["key"] for a in listing["authorities"]] == [
        "eu",
        "uk",
        "un-sc",
        "us-ofac",
        "us-state",
    ]


def test_authority_add_records_one_with_its_event(cli: Cli) -> None:
    """An authority the seeds do not hold can be recorded, once, and then designates."""
    added = cli.json("authority", "add", "ca-gac", "--name", "Global Affairs Canada",
                     "--jurisdiction", "CA")  # fmt: skip
    assert added["authority"] == {"key": "ca-gac", "name": "Global Affairs Canada",
                                  "jurisdiction": "CA", "description": None}  # fmt: skip
    again = cli("authority", "add", "ca-gac", "--name", "Other", "--jurisdiction", "CA")
    assert (again.exit_code, again.stderr.strip()) == (
        1,
        "Error: authority 'ca-gac' already exists",
    )
    too_long = cli("authority", "add", "x-y", "--name", "X", "--jurisdiction", "A" * 17)
    assert too_long.exit_code == 1
    assert "jurisdiction: too long" in too_long.stderr
    cli.ok("entity", "add", "Tren de Aragua", "--kind", "organization")
    cli.ok("designate", "tren-de-aragua", "--authority", "ca-gac", "--list", "SEMA",
           "--effective", "2025-02-20")  # fmt: skip
    changes = cli.api.changes(recorded_since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert "authority-added" in {event.action for event in changes.changes}
