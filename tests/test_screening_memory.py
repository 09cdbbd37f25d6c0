"""Screening that remembers: a named screening keeps its rows, every run's hits and the
reviewers' decisions; a hit decided false-positive stays quiet until the listed party changes,
and a rescreen after an import raises (and alerts) only what is new or changed.

The list is the UN consolidated list of 2018-06-07; its next edition is the real one of
2018-06-21 (two parties newly listed), with one decided party given a new alias and another's
remarks re-punctuated (a cosmetic change), as an edition amending them would."""

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import Result

import tracker
from tests import test_sync
from tests.conftest import Cli, Copies, imported, shared_file
from tests.helpers.search_queries import ordinary_names
from tests.test_sync import Route, Server
from tracker import ScreeningInput, ScreenQuery
from tracker.db import create_engine
from tracker.errors import Conflict, DatabaseBusy, InvalidInput, InvalidValue, NotFound

UN_2018_06_07 = ("un_consolidated", "2018-06-07", "consolidated.xml")
UN_2018_06_21 = ("un_consolidated", "2018-06-21", "consolidated.xml")
NEWLY_LISTED = {"Abdulpatta Escalon Abubakar": "un-qdi-414", "Myrna Ajijul Mabanza": "un-qdi-413"}
LISTED_ROWS = 100
server = test_sync.server  # the fixture: a local HTTP server the sync downloads from
ROWS = 1000


@pytest.fixture
def un(copies: Copies) -> Cli:
    """A fresh copy of a database holding the UN list of 2018-06-07."""
    return imported(copies, "un-2018-06-07", (shared_file(*UN_2018_06_07), {}))


@pytest.fixture
def db(un: Cli) -> Iterator[tracker.Tracker]:
    with tracker.connect(un.url) as connection:
        yield connection


def book(db: tracker.Tracker) -> list[ScreeningInput]:
    """1,000 customers: real listed names (as listed, lower-cased, or reordered), the names
    of the two parties the next edition lists, and ordinary people nobody lists."""
    listed = [e for e in db.entities(kind="person") if e.key.startswith("un-")][:LISTED_ROWS]
    rows = []
    for number, entity in enumerate(listed):
        words = entity.name.split()
        name = [entity.name, entity.name.lower(), " ".join(reversed(words))][number % 3]
        rows.append(ScreeningInput(f"L-{number:03d}", name))
    rows += [ScreeningInput(f"N-{n}", name) for n, name in enumerate(NEWLY_LISTED)]
    ordinary = ordinary_names(ROWS - len(rows))
    rows += [ScreeningInput(f"P-{n:03d}", query.text) for n, query in enumerate(ordinary)]
    return rows


def next_edition(folder: Path, *, new_alias: tuple[str, str], cosmetic: str) -> Path:
    """The edition of 2018-06-21 with one party (by UN reference) given a new alias and
    another's remarks re-punctuated."""
    text = shared_file(*UN_2018_06_21).read_text(encoding="utf-8")
    reference, alias = new_alias
    entry = _entry(text, reference)
    aliased = entry.replace(
        "<INDIVIDUAL_ALIAS>",
        f"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>{alias}</ALIAS_NAME>"
        "</INDIVIDUAL_ALIAS><INDIVIDUAL_ALIAS>",
        1,
    )
    text = text.replace(entry, aliased)
    entry = _entry(text, cosmetic)
    respaced = re.sub(r"<COMMENTS1>(.*?)</COMMENTS1>",
                      lambda m: f"<COMMENTS1>{m.group(1).replace(' ', '; ', 1)}</COMMENTS1>",
                      entry, count=1, flags=re.S)  # fmt: skip
    assert respaced != entry, f"{cosmetic} has no remarks to re-punctuate"
    path = folder / "consolidated-2018-06-21.xml"
    path.write_text(text.replace(entry, respaced), encoding="utf-8")
    return path


def _entry(text: str, reference: str) -> str:
    found = re.search(
        rf"<INDIVIDUAL>(?:(?!</INDIVIDUAL>).)*<REFERENCE_NUMBER>{re.escape(reference)}"
        r"\s*</REFERENCE_NUMBER>.*?</INDIVIDUAL>",
        text,
        flags=re.S,
    )
    assert found, reference
    return found.group(0)


def reference_of(db: tracker.Tracker, key: str) -> str:
    """The UN reference number behind an entity key (un-kpi-034: KPi.034)."""
    identifiers = db.entity(key).identifiers
    return next(i.value for i in identifiers if i.scheme == "un-ref")


def alerts(url: str) -> list[dict[str, object]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT kind, summary, detail, screening_run_id, import_run_id FROM alert"
                " ORDER BY id"
            )
        )
        found = [
            {"kind": kind, "summary": summary, "screening_run_id": run_id,
             "import_run_id": import_run_id,
             "detail": detail if isinstance(detail, dict) else json.loads(detail)}
            for kind, summary, detail, run_id, import_run_id in rows
        ]  # fmt: skip
    engine.dispose()
    return found


def states(run: object) -> dict[tuple[str, str], str]:
    return {(hit.row, hit.entity.key): hit.state for hit in run.hits}  # type: ignore[attr-defined]


def has_remarks(text: str, reference: str) -> bool:
    """Whether the UN entry of this reference has remarks (COMMENTS1) to re-punctuate."""
    return re.search(r"<COMMENTS1>[^<]*\s[^<]*</COMMENTS1>", _entry(text, reference)) is not None


def test_screen_decide_import_rescreen_raises_only_new_and_changed_hits(
    db: tracker.Tracker, un: Cli, tmp_path: Path
) -> None:
    """The issue's scripted test: 1,000 names screened, hits decided, the next edition
    imported, a rescreen: only new or changed hits come back (and are alerted), decided
    ones stay decided, and the changed one says what changed."""
    rows = book(db)
    first = db.screen_and_record("customers", rows, file_name="customers.csv")
    assert first.rows == ROWS
    assert {hit.state for hit in first.hits} == {"new"}
    exact = {hit.row: hit for hit in first.hits if hit.rank == 1 and hit.score == 1.0}
    listed = sorted(row for row in exact if row.startswith("L-"))
    assert len(listed) >= LISTED_ROWS // 2, "most listed names are found as listed"
    assert not any(hit.row.startswith("N-") and hit.entity.key in NEWLY_LISTED.values()
                   for hit in first.hits), "not listed yet"  # fmt: skip

    # Decide: A false-positive (its party will gain an alias), B false-positive (its party's
    # remarks only get re-punctuated), C a match (untouched).
    text = shared_file(*UN_2018_06_21).read_text(encoding="utf-8")
    b = next(
        exact[row] for row in listed if has_remarks(text, reference_of(db, exact[row].entity.key))
    )
    a, c = [exact[row] for row in listed if exact[row] is not b][:2]
    for hit, verdict in ((a, "false-positive"), (b, "false-positive"), (c, "match")):
        db.decide("customers", hit.row, hit.entity.key, verdict, note="checked", by="ana")

    edition = next_edition(tmp_path, new_alias=(reference_of(db, a.entity.key), "Karim Volkov"),
                           cosmetic=reference_of(db, b.entity.key))  # fmt: skip
    summary = db.import_list(edition)
    assert (summary.added, summary.changed) == (2, 2)

    run = db.rescreen("customers", import_run_id=summary.run_id)
    raised = {(hit.row, hit.entity.key): hit for hit in run.hits if hit.raised}
    expected_new = {(row.id, NEWLY_LISTED[row.name]) for row in rows if row.id.startswith("N-")}
    assert set(raised) == expected_new | {(a.row, a.entity.key)}
    assert {raised[pair].state for pair in expected_new} == {"new"}
    changed = raised[(a.row, a.entity.key)]
    assert changed.state == "changed-since-decision"
    assert any("Karim Volkov" in line for line in changed.changes), changed.changes
    assert changed.decision is not None
    assert changed.decision.verdict == "false-positive"
    now = states(run)
    assert now[(b.row, b.entity.key)] == "false-positive", "a cosmetic change reopens nothing"
    assert now[(c.row, c.entity.key)] == "match"
    assert {s for pair, s in now.items() if pair not in raised} <= {"open", "false-positive",
                                                                      "match"}  # fmt: skip
    assert run.screened < ROWS // 10, "only the rows the changes touch are scored again"

    raised_alerts = alerts(un.url)
    assert sorted((alert["kind"], alert["detail"]["row"], alert["detail"]["entity"])
                  for alert in raised_alerts) == sorted(
        [("screening-hit", row, key) for row, key in expected_new]
        + [("screening-changed", a.row, a.entity.key)])  # fmt: skip
    assert {alert["screening_run_id"] for alert in raised_alerts} == {run.id}

    again = db.rescreen("customers")
    assert {(hit.row, hit.entity.key) for hit in again.hits if hit.raised} == {
        (a.row, a.entity.key)
    }
    assert len(alerts(un.url)) == len(raised_alerts), "a change is alerted once"

    report = db.screening_report("customers")
    open_pairs = {(hit.row, hit.entity.key): hit for hit in report.open}
    assert open_pairs[(a.row, a.entity.key)].state == "changed-since-decision"
    assert open_pairs[(a.row, a.entity.key)].changes == changed.changes
    assert (b.row, b.entity.key) not in open_pairs
    assert (c.row, c.entity.key) not in open_pairs


def test_a_rescreen_of_the_rows_changes_touch_finds_what_scoring_every_row_finds(
    db: tracker.Tracker, tmp_path: Path
) -> None:
    """Only rows sharing a word or a sound with a changed party, or hitting one, are scored
    again; the others' hits carried over are exactly what a full rescreen scores."""
    rows = book(db)[:60] + book(db)[LISTED_ROWS : LISTED_ROWS + 60]
    first = db.screen_and_record("customers", rows)
    decided = next(hit for hit in first.hits if hit.score == 1.0)
    db.decide("customers", decided.row, decided.entity.key, "false-positive")
    alias = (reference_of(db, decided.entity.key), "Karim Volkov")
    db.import_list(next_edition(tmp_path, new_alias=alias, cosmetic="KPi.033"))
    restricted = db.rescreen("customers")
    full = db.rescreen("customers", full=True)
    assert restricted.screened < len(rows) // 4
    assert full.screened == len(rows)
    found = {(hit.row, hit.entity.key): (hit.score, hit.rank) for hit in restricted.hits}
    assert found == {(hit.row, hit.entity.key): (hit.score, hit.rank) for hit in full.hits}
    assert states(restricted)[(decided.row, decided.entity.key)] == "changed-since-decision"
    assert {s for pair, s in states(full).items() if pair != (decided.row, decided.entity.key)
            } <= {"open", "new"}  # fmt: skip


def test_a_row_left_out_of_the_latest_file_is_still_rescreened_against_what_changed_since(
    db: tracker.Tracker,
) -> None:
    """A row last screened by an earlier run is weighed against every change since that run,
    not only those since the latest file: here a party listed in between."""
    rows = [ScreenQuery("Myrna Ajijul Mabanza", "C-1"), ScreenQuery("Emily Thompson", "C-2")]
    db.screen_and_record("book", rows)
    db.import_list(shared_file(*UN_2018_06_21))
    db.screen_and_record("book", rows[1:])  # C-1 is not in this file
    run = db.rescreen("book")
    assert states(run) == {("C-1", "un-qdi-413"): "new"}


def test_a_file_run_marks_states_and_leaves_out_false_positives(db: tracker.Tracker) -> None:
    """The second run of a file: undecided hits are open, decided ones carry their verdict,
    a false positive is stored but counted as suppressed."""
    rows = [ScreenQuery("RI WON HO", "C-1"), ScreenQuery("Jo Yong Chol", "C-2"),
            ScreenQuery("Emily Thompson", "C-3")]  # fmt: skip
    first = db.screen_and_record("book", rows)
    assert {hit.row for hit in first.hits} == {"C-1", "C-2"}
    db.decide("book", "C-2", "un-kpi-034", "false-positive", note="born 1990")
    db.decide(str(first.id), "C-1", "un-kpi-033", "match")  # a run id names its screening
    second = db.screen_and_record("book", rows)
    assert states(second)[("C-2", "un-kpi-034")] == "false-positive"
    assert states(second)[("C-1", "un-kpi-033")] == "match"
    assert second.suppressed == 1
    assert {s for pair, s in states(second).items()
            if pair not in {("C-2", "un-kpi-034"), ("C-1", "un-kpi-033")}} == {"open"}  # fmt: skip


def test_rows_are_upserted_by_id_and_a_changed_name_is_screened_as_given(
    db: tracker.Tracker,
) -> None:
    """A later file updates a row's name, date of birth and country; the row keeps its id
    and its decisions."""
    db.screen_and_record("book", [ScreeningInput("C-1", "Emily Thompson")])
    run = db.screen_and_record(
        "book", [ScreeningInput("C-1", "RI WON HO", birth_date="1964-07", country="North Korea")]
    )
    assert (run.hits[0].row, run.hits[0].entity.key, run.hits[0].state) == (
        "C-1", "un-kpi-033", "new")  # fmt: skip
    listed = db.screenings()
    assert [(s.name, s.rows, s.runs) for s in listed] == [("book", 1, 2)]


def test_decisions_keep_their_history_and_the_latest_stands(db: tracker.Tracker) -> None:
    """Deciding a pair again adds a decision; the report shows the standing one first, then
    the earlier ones, with who, when, verdict and note."""
    db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")])
    db.decide("book", "C-1", "un-kpi-033", "false-positive", note="dob differs", by="ana")
    db.decide("book", "C-1", "un-kpi-033", "match", note="passport matches", by="ben")
    report = db.screening_report("book")
    assert [(d.verdict, d.decided_by, d.note, d.current) for d in report.decisions] == [
        ("match", "ben", "passport matches", True),
        ("false-positive", "ana", "dob differs", False),
    ]
    assert report.decisions[0].decided_at >= report.decisions[1].decided_at
    assert report.open == ()


def test_deciding_without_by_records_the_user_name(
    db: tracker.Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`by` defaults to the user the process runs as."""
    monkeypatch.setattr("getpass.getuser", lambda: "reviewer7")
    db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")])
    assert db.decide("book", "C-1", "un-kpi-033", "match").decided_by == "reviewer7"


@pytest.mark.parametrize(
    ("screening", "row", "entity", "verdict", "error", "message"),
    [
        ("nobook", "C-1", "un-kpi-033", "match", NotFound, "no screening 'nobook'"),
        ("book", "C-9", "un-kpi-033", "match", NotFound, "'C-9'"),
        ("book", "C-1", "un-kpi-999", "match", NotFound, "no entity 'un-kpi-999'"),
        ("book", "C-1", "un-kpi-034", "match", InvalidInput, "only a hit can be decided"),
        ("book", "C-1", "un-kpi-033", "maybe", InvalidValue, "false-positive, match"),
    ],
)
def test_a_decision_must_name_a_hit_of_the_screening(
    db: tracker.Tracker,
    screening: str,
    row: str,
    entity: str,
    verdict: str,
    error: type[Exception],
    message: str,
) -> None:
    """Unknown screening, row or entity, a pair never hit, or an unknown verdict: refused."""
    db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")])
    with pytest.raises(error, match=re.escape(message)):
        db.decide(screening, row, entity, verdict)
    assert db.screening_report("book").decisions == ()


def test_a_screening_keeps_its_threshold(db: tracker.Tracker) -> None:
    """A later run at another threshold or limit is refused: its decisions were taken at the
    first one's."""
    db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")], threshold=0.9)
    with pytest.raises(Conflict, match=r"threshold 0\.9"):
        db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")], threshold=0.8)
    with pytest.raises(Conflict, match="limit 3"):
        db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")], limit=5)
    assert db.screen_and_record("book", [ScreenQuery("RI WON HO", "C-1")]).rows == 1
    assert [s.threshold for s in db.screenings()] == [0.9]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([ScreeningInput("", "RI WON HO")], "row 1: no id"),
        ([ScreenQuery("RI WON HO")], "row 1: no id"),
        ([ScreeningInput("C-1", " ")], "has no name"),
        ([ScreeningInput("C-1", "A"), ScreeningInput("C-1", "B")], "row 2: id 'C-1' again"),
        ([ScreeningInput("C-1", "A", birth_date="1964-13-01")], "date of birth"),
        ([ScreeningInput("C-1", "A", country="Atlantis")], "unknown country"),
        ([], "no rows"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(
    db: tracker.Tracker, rows: list[ScreeningInput], message: str
) -> None:
    """Every row is checked before anything is stored."""
    with pytest.raises(InvalidInput, match=re.escape(message)):
        db.screen_and_record("book", rows)
    assert db.screenings() == []


def _sync_next_edition(un: Cli, server: Server, tmp_path: Path) -> Result:
    server.routes["/un.xml"] = Route(shared_file(*UN_2018_06_21).read_bytes())
    archive = str(tmp_path / "archive")
    return un("sync", "--url", server.url("/un.xml"), "--format", "un", "--name", "un-sc",
              "--archive", archive, "--timeout", "5", "--retries", "0")  # fmt: skip


def test_a_sync_rescreens_the_screenings_that_follow(
    db: tracker.Tracker, un: Cli, server: Server, tmp_path: Path
) -> None:
    """After a sync imports a new edition, every screening marked to follow gets a run tied
    to that import, and its new hits are alerted; the others wait for `tracker rescreen`."""
    db.screen_and_record("follows", [ScreenQuery("Myrna Ajijul Mabanza", "N-1")], follow=True)
    db.screen_and_record("stays", [ScreenQuery("Myrna Ajijul Mabanza", "N-1")])
    result = _sync_next_edition(un, server, tmp_path)
    assert result.exit_code == 0, result.output
    import_run = db.import_runs()[0].id
    listed = {s.name: s for s in db.screenings()}
    assert (listed["follows"].runs, listed["stays"].runs) == (2, 1)
    report = db.screening_report("follows")
    assert [(h.row, h.entity.key, h.state, h.run) for h in report.open] == [
        ("N-1", "un-qdi-413", "new", listed["follows"].last_run)
    ]
    found = alerts(un.url)
    assert [(a["kind"], a["detail"]["screening"]) for a in found] == [("screening-hit", "follows")]
    assert found[0]["import_run_id"] == import_run


def test_a_failed_rescreen_does_not_undo_the_sync(
    db: tracker.Tracker,
    un: Cli,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The import stands and the sync succeeds; the failure is logged as an error line."""
    db.screen_and_record("follows", [ScreenQuery("Myrna Ajijul Mabanza", "N-1")], follow=True)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise DatabaseBusy("database is busy, try again")

    monkeypatch.setattr(tracker.Tracker, "rescreen", broken)
    result = _sync_next_edition(un, server, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(db.import_runs()) == 2
    assert "rescreen of follows after import run" in caplog.text
    assert "database is busy" in caplog.text


# -- the command line ----------------------------------------------------------------------


def write_book(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["id", "name", "born", "country"], *rows])
    return path


CLI_BOOK = [["C-1", "RI WON HO", "1964-07-17", "KP"], ["C-2", "Jo Yong Chol", "1973", ""],
            ["C-3", "Emily Thompson", "", ""], ["C-4", "Myrna Ajijul Mabanza", "", ""]]  # fmt: skip


def test_the_workflow_on_the_command_line(un: Cli, tmp_path: Path) -> None:
    """screen --record, decide, import, rescreen, screen report: states marked, false
    positives left out of the output, the changed hit back with what changed."""
    path = write_book(tmp_path / "customers.csv", CLI_BOOK)
    record = ("screen", str(path), "--id-column", "id", "--record", "customers",
              "--birth-date-column", "born", "--country-column", "country")  # fmt: skip
    first = un.ok(*record, "--format", "json")
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert {(line["row"], line["entity"]["key"], line["state"]) for line in lines} >= {
        ("C-1", "un-kpi-033", "new"), ("C-2", "un-kpi-034", "new")}  # fmt: skip
    assert "run 1 of customers: 4 rows" in first.stderr

    decided = un.json("decide", "customers", "C-2", "un-kpi-034", "--false-positive",
                      "--note", "born 1990", "--by", "ana")  # fmt: skip
    assert decided["decision"]["verdict"] == "false-positive"
    assert decided["decision"]["decided_by"] == "ana"

    again = un.ok(*record)
    shown = list(csv.DictReader(again.stdout.splitlines()))
    assert ("C-2", "un-kpi-034") not in {(row["id"], row["key"]) for row in shown}
    assert {row["state"] for row in shown} == {"open"}
    assert "1 decided false-positive not shown" in again.stderr

    reference = "KPi.034"
    edition = next_edition(tmp_path, new_alias=(reference, "Karim Volkov"), cosmetic="KPi.033")
    un.ok("import", "un", str(edition), "--quiet")
    rescreened = un.json("rescreen", "customers")
    raised = {(hit["row"], hit["entity"]["key"]): hit for hit in rescreened["raised"]}
    assert set(raised) == {("C-4", "un-qdi-413"), ("C-2", "un-kpi-034")}
    assert raised[("C-2", "un-kpi-034")]["state"] == "changed-since-decision"
    assert any("Karim Volkov" in line for line in raised[("C-2", "un-kpi-034")]["changes"])

    report = un.json("screen", "report", "customers")
    assert {(hit["row"], hit["state"]) for hit in report["open"]} >= {
        ("C-2", "changed-since-decision"), ("C-4", "new")}  # fmt: skip
    assert [d["note"] for d in report["decisions"]] == ["born 1990"]
    listed = un.json("screen", "list")["screenings"]
    assert [(s["name"], s["rows"], s["runs"]) for s in listed] == [("customers", 4, 3)]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
def test_the_report_renders_in_every_format(un: Cli, tmp_path: Path, fmt: str) -> None:
    """`screen report` and `screen list` in each format of the other reports."""
    path = write_book(tmp_path / "customers.csv", CLI_BOOK)
    un.ok("screen", str(path), "--id-column", "id", "--record", "customers")
    un.ok("decide", "customers", "C-2", "un-kpi-034", "--match", "--note", "passport")
    report = un.ok("screen", "report", "customers", "--format", fmt).stdout
    listing = un.ok("screen", "list", "--format", fmt).stdout
    if fmt == "csv":  # one table per CSV: the decisions are their own section
        decisions = un.ok("screen", "report", "customers", "-f", "csv", "--section", "decisions")
        assert "passport" in decisions.stdout
    else:
        assert "passport" in report
    assert "un-kpi-033" in report
    assert "customers" in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("decide", "customers", "C-2", "un-kpi-034"), "give --false-positive or --match"),
        (("decide", "customers", "C-2", "un-kpi-034", "--match", "--false-positive"),
         "give --false-positive or --match"),
        (("decide", "nobody", "C-2", "un-kpi-034", "--match"), "no screening 'nobody'"),
        (("decide", "customers", "C-9", "un-kpi-034", "--match"), "'C-9'"),
        (("decide", "customers", "C-2", "un-nope", "--match"), "no entity 'un-nope'"),
        (("decide", "customers", "C-3", "un-kpi-034", "--match"), "only a hit can be decided"),
        (("rescreen", "nobody"), "no screening 'nobody'"),
        (("screen", "report", "nobody"), "no screening 'nobody'"),
    ],
)  # fmt: skip
def test_bad_decisions_are_one_line_errors_that_write_nothing(
    un: Cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """Each is `Error: ...` on one line, a non-zero exit, and no decision stored."""
    path = write_book(tmp_path / "customers.csv", CLI_BOOK)
    un.ok("screen", str(path), "--id-column", "id", "--record", "customers")
    result = un(*args)
    assert result.exit_code != 0, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert un.json("screen", "report", "customers")["decisions"] == []


@pytest.mark.parametrize(
    ("rows", "options", "message"),
    [
        ([["C-1", "RI WON HO", "", ""], ["", "Jo Yong Chol", "", ""]], (), "line 3: no 'id'"),
        ([["C-1", "RI WON HO", "", ""], ["C-1", "Jo Yong Chol", "", ""]], (),
         "line 3: id 'C-1' again (first on line 2)"),
        ([["C-1", "RI WON HO", "17/07/1964", ""]], ("--birth-date-column", "born"),
         "line 2: date of birth"),
        ([["C-1", "RI WON HO", "", ""]], ("--country-column", "nation"), "no column 'nation'"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_before_anything_is_screened(
    un: Cli, tmp_path: Path, rows: list[list[str]], options: tuple[str, ...], message: str
) -> None:
    """Missing ids, duplicate ids, unreadable dates, unknown columns: one line, nothing
    stored."""
    path = write_book(tmp_path / "customers.csv", rows)
    result = un("screen", str(path), "--id-column", "id", "--record", "customers", *options)
    assert result.exit_code != 0, result.output
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
    assert un.json("screen", "list")["screenings"] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--record", "customers"), "--record needs --id-column"),
        (("--id-column", "id"), "go with --record"),
        (("--follow",), "go with --record"),
        (("--record", "customers", "--id-column", "id", "--active-only"), "do not go with"),
    ],
)
def test_recording_options_go_together(
    un: Cli, tmp_path: Path, options: tuple[str, ...], message: str
) -> None:
    """--record needs --id-column; the columns and --follow need --record."""
    path = write_book(tmp_path / "customers.csv", CLI_BOOK)
    result = un("screen", str(path), *options)
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr


def test_screen_without_record_is_unchanged_and_its_group_has_help(un: Cli, tmp_path: Path) -> None:
    """`tracker screen FILE` still writes its CSV (no state column, nothing stored);
    `tracker screen --help` names the subcommands."""
    path = write_book(tmp_path / "customers.csv", CLI_BOOK)
    plain = un.ok("screen", str(path))
    assert plain.stdout.splitlines()[0].startswith("input_line,input,rank,score,key")
    assert un.json("screen", "list")["screenings"] == []
    help_text = un.ok("screen", "--help").stdout
    assert all(word in help_text for word in ("file", "report", "list"))
