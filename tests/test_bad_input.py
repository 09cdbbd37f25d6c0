"""Bad input: one clear line on stderr, a non-zero exit, the database byte-for-byte unchanged.

Exit 2 for a usage error (a value in the wrong syntax or outside its vocabulary, a missing
option); exit 1 for input that is well-formed but breaks a rule of the data."""

import pytest

from tests.conftest import Cli, fingerprint

BAD_COMMANDS = {
    "unknown key": (["designate", "no-such-group", "--authority", "us-state", "--list", "FTO",
                     "--effective", "2025-01-01"], 1, "no entity 'no-such-group'"),
    "malformed date": (["designate", "tren-de-aragua", "--authority", "us-state", "--list", "FTO",
                        "--effective", "24/11/2025"], 2, "invalid date '24/11/2025'"),
    "impossible date": (["designate", "tren-de-aragua", "--authority", "us-state", "--list",
                         "FTO", "--effective", "2025-02-30"], 2, "impossible date '2025-02-30'"),
    "effective before announced": (["designate", "tren-de-aragua", "--authority", "us-state",
                                    "--list", "FTO", "--announced", "2025-11-24",
                                    "--effective", "2025-11-16"], 1,
                                   "effective date 2025-11-16 is before the announcement"),
    "unknown enum value": (["sanction", "add", "tren-de-aragua", "--authority", "us-ofac",
                            "--measure", "naming-and-shaming", "--effective", "2025-01-01"], 2,
                           "naming-and-shaming"),
    "unknown authority": (["designate", "tren-de-aragua", "--authority", "us-stat", "--list",
                           "FTO", "--effective", "2025-01-01"], 1, "did you mean 'us-state'"),
    "duplicate key": (["entity", "add", "Tren de Aragua", "--kind", "organization"], 1,
                      "entity 'tren-de-aragua' already exists"),
    "bad country": (["entity", "add", "X", "--kind", "organization", "--country", "ZZ"], 2,
                    "unknown country 'ZZ': give an ISO 3166 code or a name"),
    "revoking a revoked designation": (["designation", "revoke", "{revoked}", "--on",
                                        "2026-01-01"], 1, "is already revoked"),
    "revoked before it began": (["designation", "revoke", "{active}", "--on", "1990-01-01"], 1,
                                "is before the designation began"),
    "lifting a lifted sanction": (["sanction", "lift", "{lifted}", "--on", "2026-02-01"], 1,
                                  "already lifted"),
    "response about a missing record": (["response", "add", "--by", "government-of-venezuela",
                                         "--about", "designation:99999", "--stance", "rejects",
                                         "--on", "2025-11-24", "--summary", "x"], 1,
                                        "no designation '99999'"),
    "response with a malformed subject": (["response", "add", "--by", "government-of-venezuela",
                                           "--about", "treaty:5", "--stance", "rejects", "--on",
                                           "2025-11-24", "--summary", "x"], 2,
                                          "expected designation:REF"),
    "empty summary": (["response", "add", "--by", "government-of-venezuela", "--about",
                       "entity:tren-de-aragua", "--stance", "rejects", "--on", "2025-11-24",
                       "--summary", "  "], 1, "summary: must not be empty"),
    "source that is neither URL nor id": (["designate", "tren-de-aragua", "--authority",
                                           "us-state", "--list", "FTO", "--effective",
                                           "2025-01-01", "--source", "a newspaper"], 2,
                                          "give a URL or the id"),
    "amend with nothing to change": (["designation", "amend", "{active}"], 2,
                                     "nothing to amend"),
}  # fmt: skip


@pytest.fixture
def prepared(seeded: Cli) -> tuple[Cli, dict[str, str]]:
    """A seeded database with a revoked designation and a lifted sanction to misuse."""
    revoked = seeded.json("designation", "list", "--status", "revoked")["designations"][0]["id"]
    active = seeded.json("designation", "list", "--entity", "tren-de-aragua")["designations"][0][
        "id"
    ]
    sanction = seeded.json(
        "sanction", "add", "tren-de-aragua", "--authority", "us-ofac", "--measure",
        "asset-freeze", "--effective", "2025-02-20",
    )["sanction"]["id"]  # fmt: skip
    seeded.ok("sanction", "lift", str(sanction), "--on", "2026-01-15")
    return seeded, {"revoked": str(revoked), "active": str(active), "lifted": str(sanction)}


@pytest.mark.parametrize("case", list(BAD_COMMANDS), ids=list(BAD_COMMANDS))
def test_bad_input_is_one_line_and_writes_nothing(
    prepared: tuple[Cli, dict[str, str]], case: str
) -> None:
    """Every kind of bad input fails cleanly and leaves the database as it was."""
    cli, ids = prepared
    args, exit_code, message = BAD_COMMANDS[case]
    before = fingerprint(cli.url)
    result = cli(*(arg.format(**ids) for arg in args))
    assert result.exit_code == exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert result.stdout == ""
    assert fingerprint(cli.url) == before
