"""One real-world target on several lists: linking entities (never by name), and comparing
the target's standing under every authority."""

import pytest

from tests.conftest import Cli

# A group delisted by the UK in 2008, the EU in 2009 and the US in 2012, as the lists have it.
LISTINGS = [
    ("uk-group", "uk", "CONLIST", "2001-10-05", "2008-06-24"),
    ("eu-group", "eu", "FSF", "2002-05-03", "2009-01-26"),
    ("us-group", "us-ofac", "SDN", "2001-10-31", "2012-09-28"),
]


@pytest.fixture
def target(seeded: Cli) -> Cli:
    """The same group as three entities, one per list, each designated and ended."""
    for key, authority, list_code, start, end in LISTINGS:
        seeded.ok("entity", "add", "Mujahedin-e Khalq", "--kind", "organization", "--key", key,
                  "--allow-duplicate")  # fmt: skip
        created = seeded.json("designate", key, "--authority", authority, "--list", list_code,
                              "--effective", start)  # fmt: skip
        seeded.ok("designation", "revoke", str(created["designation"]["id"]), "--on", end)
    return seeded


def test_entities_with_the_same_name_stay_apart_until_linked(target: Cli) -> None:
    """Same name, no shared identifier: three entities, three rows, until the user links
    them; then entity show lists the whole target and its designations."""
    assert len(target.json("report", "compare", "uk-group")["authorities"]) == 1
    target.ok("entity", "link", "uk-group", "eu-group", "--note", "Same group, per the EU act")
    target.ok("entity", "link", "eu-group", "us-group")
    shown = target.json("entity", "show", "uk-group")
    same = [link for link in shown["links"] if link["relation"] == "same-target"]
    assert [link["other"]["key"] for link in same] == ["eu-group", "us-group"]
    assert same[0]["note"] == "Same group, per the EU act"
    assert {d["authority"] for d in shown["designations"]} == {"uk", "eu", "us-ofac"}
    events = target.json("entity", "show", "us-group")["events"]
    assert events[0]["action"] == "linked"


def test_compare_shows_each_authority_side_by_side_with_its_lag(target: Cli) -> None:
    """Who listed the group, since when, when each delisted, and the lag in days behind the
    first to list (the UK) and the first to delist (the UK again)."""
    target.ok("entity", "link", "uk-group", "eu-group")
    target.ok("entity", "link", "uk-group", "us-group")
    report = target.json("report", "compare", "eu-group", "--as-of", "2013-01-01")
    rows = {row["authority"]: row for row in report["authorities"]}
    assert [row["authority"] for row in report["authorities"]] == ["uk", "us-ofac", "eu"]
    assert rows["uk"]["listing_lag_days"] == 0
    assert rows["us-ofac"]["listing_lag_days"] == 26
    assert (rows["eu"]["ended_on"], rows["eu"]["ending_lag_days"]) == ("2009-01-26", 216)
    assert (rows["us-ofac"]["ended_on"], rows["us-ofac"]["ending_lag_days"]) == ("2012-09-28", 1557)
    assert {row["status"] for row in rows.values()} == {"ended"}
    before = target.json("report", "compare", "eu-group", "--as-of", "2008-01-01")
    assert {row["status"] for row in before["authorities"]} == {"in force"}
    for fmt, marker in [("markdown", "| uk |"), ("csv", "us-ofac"), ("html", "<table")]:
        assert marker in target.ok("report", "compare", "eu-group", "--format", fmt).stdout


def test_the_status_report_shows_a_linked_target_once(target: Cli) -> None:
    for key, *_ in LISTINGS:
        target.ok("designate", key, "--authority", "us-state", "--list", "WATCH",
                  "--effective", "2020-01-01")  # fmt: skip
    assert len(target.json("report", "status", "--list", "WATCH")["targets"]) == 3
    target.ok("entity", "link", "uk-group", "us-group")
    report = target.json("report", "status", "--list", "WATCH")
    rows = {row["entity"]["key"]: row for row in report["targets"]}
    assert sorted(rows) == ["eu-group", "uk-group"]
    assert rows["uk-group"]["linked"] == ["us-group"]
    listed = {d["id"]: d["entity"]["key"] for d in report["designations"]}
    assert sorted(listed[i] for i in rows["uk-group"]["designations"]) == ["uk-group", "us-group"]


def test_unlink_takes_a_link_back_and_keeps_its_history(target: Cli) -> None:
    target.ok("entity", "link", "uk-group", "us-group")
    target.ok("entity", "unlink", "us-group", "uk-group", "--note", "Different group")
    assert target.api.entity("uk-group").same_target == ()
    actions = [e["action"] for e in target.json("entity", "show", "uk-group")["events"]]
    assert actions[:2] == ["unlinked", "linked"]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["link", "uk-group", "uk-group"], "cannot link uk-group to itself"),
        (["link", "uk-group", "nobody"], "no entity 'nobody'"),
        (["unlink", "uk-group", "eu-group"], "uk-group and eu-group are not linked"),
    ],
)
def test_a_bad_link_is_one_line_and_writes_nothing(
    target: Cli, command: list[str], message: str
) -> None:
    before = target.json("entity", "show", "uk-group")
    result = target("entity", *command)
    assert result.exit_code == 1
    assert message in result.stderr
    assert target.json("entity", "show", "uk-group") == before


def test_linking_twice_is_refused(target: Cli) -> None:
    target.ok("entity", "link", "uk-group", "eu-group")
    again = target("entity", "link", "eu-group", "uk-group")
    assert again.exit_code == 1
    assert "already linked" in again.stderr
