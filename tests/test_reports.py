"""Reports: status as of any day, changes between dates, timelines; in every format."""

import csv
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import tracker
from tests.conftest import Cli, Copies, Templates, fingerprint, seed
from tracker.records import Filters

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TRACKER_UPDATE_GOLDEN") == "1"
VOLATILE = {"recorded_at"}

REPORTS = {
    "status": ["report", "status", "--as-of", "2025-12-01", "--country", "VE"],
    "changes": ["report", "changes", "--since", "2025-11-01", "--until", "2025-11-30"],
    "timeline": ["report", "timeline", "cartel-de-los-soles"],
}


def _stable(value: Any) -> Any:
    """The report without the fields that depend on when the test ran."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    return value


def _golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("report", list(REPORTS))
def test_json_matches_golden_field_by_field(seeded: Cli, report: str) -> None:
    """The JSON schema is stable: every field of the seeded reports is as recorded."""
    document = _stable(seeded.json(*REPORTS[report]))
    expected = json.loads(_golden(f"{report}.json", json.dumps(document, indent=2) + "\n"))
    assert document["schema_version"] == 2
    assert document.keys() == expected.keys()
    for key in expected:
        assert document[key] == expected[key], key


@pytest.mark.parametrize("report", list(REPORTS))
def test_markdown_matches_golden(seeded: Cli, report: str) -> None:
    """Markdown output is exactly the reviewed golden file."""
    text = seeded.ok(*REPORTS[report], "--format", "markdown").stdout
    assert text == _golden(f"{report}.md", text)


@pytest.mark.parametrize("report", list(REPORTS))
def test_csv_sections_carry_the_json_rows(seeded: Cli, report: str) -> None:
    """A CSV is one table: the report's main section, or the one `--section` names, with a
    row per item of the JSON list of that name, in the same order."""
    document = seeded.json(*REPORTS[report])

    def rows(*section: str) -> list[dict[str, str]]:
        text = seeded.ok(*REPORTS[report], "--format", "csv", *section).stdout
        return list(csv.DictReader(io.StringIO(text)))

    if report == "status":
        assert [row["entity"] for row in rows()] == [
            target["entity"]["key"] for target in document["targets"]
        ]
        assert [row["id"] for row in rows("--section", "designations")] == [
            str(designation["id"]) for designation in document["designations"]
        ]
    else:
        events = document["events"] if "events" in document else document["changes"]
        assert [(row["occurred_on"], row["action"]) for row in rows()] == [
            (event["occurred_on"] or "", event["action"]) for event in events
        ]
        assert events


class _Structure(HTMLParser):
    """Checks that every element is closed in order and counts what the tests look for."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tables = 0
        self.marks = 0
        self.svgs = 0
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tables += tag == "table"
        self.svgs += tag == "svg"
        self.marks += "mark" in (attributes.get("class") or "").split()
        for name in ("src", "href"):
            if attributes.get(name):
                self.external.append(str(attributes[name]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


def parse_html(text: str) -> _Structure:
    parser = _Structure()
    parser.feed(text)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


@pytest.mark.parametrize("report", ["changes", "timeline"])
def test_html_is_self_contained_with_one_mark_per_dated_event(
    seeded: Cli, report: str, tmp_path: Path
) -> None:
    """The HTML file is well-formed, fetches nothing, and its SVG has one mark per event."""
    output = tmp_path / f"{report}.html"
    seeded.ok(*REPORTS[report], "-o", str(output))
    structure = parse_html(output.read_text(encoding="utf-8"))
    rows = next(v for v in seeded.json(*REPORTS[report]).values() if isinstance(v, list))
    assert structure.tables == 1
    assert structure.svgs == 1
    assert structure.marks == sum(1 for row in rows if row["occurred_on"])
    assert structure.external == []


def test_status_html_marks_each_designation_sanction_and_response(
    seeded: Cli, tmp_path: Path
) -> None:
    """The status page charts what is in force and the latest responses."""
    output = tmp_path / "status.html"
    seeded.ok(*REPORTS["status"], "--format", "html", "-o", str(output))
    structure = parse_html(output.read_text(encoding="utf-8"))
    document = seeded.json(*REPORTS["status"])
    responses = sum(1 for t in document["targets"] if t["latest_response"])
    assert responses > 0
    assert structure.marks == len(document["designations"]) + len(document["sanctions"]) + responses
    assert structure.tables == 4


def test_output_format_follows_the_file_suffix(seeded: Cli, tmp_path: Path) -> None:
    """`-o report.json` writes JSON without `--format`."""
    output = tmp_path / "status.json"
    result = seeded.ok(*REPORTS["status"], "-o", str(output))
    assert "Wrote" in result.stdout
    assert json.loads(output.read_text())["kind"] == "status"


def _designated_on(db: tracker.Tracker, as_of: str) -> dict[str, str]:
    """The status of each us-state designation in force (or pending) on a day, by entity."""
    report = db.status(as_of=as_of, filters=Filters(authority="us-state"))
    return {d.entity.key: d.status for d in report.designations}


def _statuses(url: str, key: str, days: list[str]) -> dict[str, str | None]:
    """The status of `key`'s us-state designation on each day (None: not in the report)."""
    with tracker.connect(url) as db:
        return {day: _designated_on(db, day).get(key) for day in days}


def _build_edge_cases(db: tracker.Tracker) -> None:
    """Designations placed exactly on the edges the as-of rule must get right."""
    db.seed([Path(__file__).parents[1] / "seeds" / "01-authorities.yaml"])
    for key in ("announced-then-effective", "same-day-revoked", "known-by-year", "relisted"):
        db.add_entity(key, kind="organization", key=key)

    def designate(key: str, **dates: str) -> int:
        return db.designate(key, authority="us-state", list="FTO", **dates).id

    designate("announced-then-effective", announced="2025-11-16", effective="2025-11-24")
    db.revoke_designation(designate("same-day-revoked", effective="2021-01-19"), on="2021-01-19")
    designate("known-by-year", effective="2001")
    db.revoke_designation(designate("relisted", effective="2021-01-19"), on="2021-02-16")
    designate("relisted", effective="2025-03-04")


@pytest.fixture
def edge_cases(copies: Copies) -> Cli:
    """A copy of the edge-case database, built once per engine and session."""
    return Cli(copies.copy("as-of-edges", _build_edge_cases))


def test_as_of_around_an_effective_date(edge_cases: Cli) -> None:
    """Before the announcement: absent; announced: pending; from the effective day: active."""
    expected = {
        "2025-11-15": None,
        "2025-11-16": "pending",
        "2025-11-23": "pending",
        "2025-11-24": "active",
        "2025-11-25": "active",
    }
    assert _statuses(edge_cases.url, "announced-then-effective", list(expected)) == expected


def test_revoked_on_the_day_it_took_effect_is_never_in_force(edge_cases: Cli) -> None:
    """Effective and revoked on the same day: not in force on any day."""
    days = ["2021-01-18", "2021-01-19", "2021-01-20"]
    assert _statuses(edge_cases.url, "same-day-revoked", days) == dict.fromkeys(days)


def test_a_designation_known_only_by_year(edge_cases: Cli) -> None:
    """ "2001" counts from 2001-01-01 and keeps its precision in the report."""
    expected = {"2000-12-31": None, "2001-01-01": "active", "2001-06-30": "active"}
    assert _statuses(edge_cases.url, "known-by-year", list(expected)) == expected
    designated = edge_cases.json("report", "status", "--as-of", "2001-01-01")["designations"]
    (row,) = [d for d in designated if d["entity"]["key"] == "known-by-year"]
    assert (row["effective_on"], row["since"], row["since_stated"]) == ("2001", "2001", True)


def test_revoked_and_redesignated(edge_cases: Cli) -> None:
    """Revoked in 2021 and designated again in 2025: absent in 2022, present in 2025."""
    expected = {
        "2021-01-19": "active",
        "2021-02-01": "active",
        "2021-02-16": None,
        "2022-06-01": None,
        "2025-03-03": None,
        "2025-03-04": "active",
        "2025-06-01": "active",
    }
    assert _statuses(edge_cases.url, "relisted", list(expected)) == expected


def test_seeded_ansarallah_history(seeded: Cli) -> None:
    """The real case: Ansarallah was revoked in 2021 and re-designated in 2025."""
    expected = {"2021-02-01": "active", "2022-01-01": None, "2025-06-01": "active"}
    assert _statuses(seeded.url, "ansarallah", list(expected)) == expected


def test_empty_result_is_a_clear_line_and_exit_zero(seeded: Cli) -> None:
    """Nothing matched is said plainly, not as an empty table or an error."""
    result = seeded.ok("report", "status", "--as-of", "1990-01-01")
    assert "nothing in force as of 1990-01-01 matched" in result.stdout
    changes = seeded.ok("report", "changes", "--since", "1990-01-01", "--until", "1990-12-31")
    assert "no changes matched" in changes.stdout


def test_changes_filters_by_authority_list_and_country(seeded: Cli) -> None:
    """Filters narrow the changes to matching designations, sanctions and responses."""
    ofac = seeded.json("report", "changes", "--since", "2025-01-01", "--authority", "us-ofac")
    assert {(c["entity"]["key"], c["action"]) for c in ofac["changes"]} == {
        ("cartel-de-los-soles", "listed"),
        ("cartel-de-los-soles", "imposed"),
    }
    assert {(c["listing"]["kind"], c["listing"]["authority"]) for c in ofac["changes"]} == {
        ("designation", "us-ofac"),
        ("sanction", "us-ofac"),
    }
    sdgt = seeded.json("report", "changes", "--since", "2025-01-01", "--list", "SDGT")
    assert len(sdgt["changes"]) == 8
    assert {c["listing"]["list"] for c in sdgt["changes"]} == {"SDGT"}
    venezuela = seeded.json("report", "changes", "--since", "2025-01-01", "--country", "VE")
    assert {c["entity"]["key"] for c in venezuela["changes"]} == {
        "cartel-de-los-soles",
        "tren-de-aragua",
    }
    assert "responded" in {c["action"] for c in venezuela["changes"]}


def test_changes_recorded_since_is_transaction_time(seeded: Cli) -> None:
    """`--recorded-since` answers "what was entered since", whatever the real-world date."""
    everything = seeded.json("report", "changes", "--recorded-since", "2000-01-01T00:00:00")
    future = seeded.json("report", "changes", "--recorded-since", "2999-01-01T00:00:00")
    assert len(everything["changes"]) > 500
    assert future["changes"] == []


def test_reports_never_write(seeded: Cli, tmp_path: Path) -> None:
    """Running every report in every format leaves the database file unchanged."""
    before = fingerprint(seeded.url)
    for args in REPORTS.values():
        for fmt in ("table", "json", "csv", "markdown", "html"):
            seeded.ok(*args, "--format", fmt)
    seeded.ok("entity", "show", "cartel-de-los-soles")
    assert fingerprint(seeded.url) == before


def test_bad_report_dates_are_one_line_errors(seeded: Cli) -> None:
    """An impossible as-of date or an inverted window is refused plainly."""
    result = seeded("report", "status", "--as-of", "2025-02-30")
    assert result.exit_code == 2  # a malformed value given to a command: a usage error
    assert result.stderr.strip() == "Error: --as-of: impossible date '2025-02-30'"
    inverted = seeded("report", "changes", "--since", "2025-12-01", "--until", "2025-01-01")
    assert inverted.exit_code == 2
    assert inverted.stderr.strip() == "Error: --until 2025-01-01 is before --since 2025-12-01"
    for args in (("changes", "--since", "2025-13"), ("compare", "ansarallah", "--as-of", "x")):
        bad = seeded("report", *args)
        assert bad.exit_code == 2, args
        assert bad.stderr.startswith(f"Error: {args[-2]}: "), bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1, bad.stderr


def test_an_unwritable_output_file_is_a_one_line_error(seeded: Cli, tmp_path: Path) -> None:
    """`-o` into a folder that does not exist: one line and exit 1, not a traceback."""
    missing = tmp_path / "no-such-folder" / "status.html"
    result = seeded(*REPORTS["status"], "-o", str(missing))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: cannot write {missing}: No such file or directory"
    assert not missing.parent.exists()


class _Shown(HTMLParser):
    """What a browser shows of a status page, read from its DOM: the text of each row of
    the designations table, and the title of each mark of the chart."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.rows: list[list[str]] = []
        self.marks: list[str] = []
        self._cell: list[str] | None = None
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2":
            self.section = ""
        elif tag == "tr" and self.section == "Designations":
            self.rows.append([])
        elif tag == "td" and self.section == "Designations":
            self._cell = []
        self._in_mark = self._in_mark or "mark" in (attributes.get("class") or "").split()
        if tag == "title" and self._in_mark:
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("rect", "circle"):
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self.section == "" and self.lasttag == "h2":
            self.section = data.strip()
        elif self._cell is not None:
            self._cell.append(data)
        elif self._in_mark and self.lasttag == "title":
            self.marks[-1] += data


def test_a_browser_shows_the_status_table_and_the_chart_marks(
    templates: Templates, tmp_path: Path
) -> None:
    """Headless Chromium opens the page offline; the DOM it built holds a row per designation
    in force, with its entity and date, and one chart mark per designation, sanction and
    response. Once, on SQLite: what a page shows does not depend on the engine."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium installed (apt-get install chromium)")
    cli = Cli(Copies("sqlite", templates, tmp_path).copy("seeded", seed))
    page = tmp_path / "status.html"
    cli.ok(*REPORTS["status"], "-o", str(page))
    report = cli.api.status(as_of="2025-12-01", filters=Filters(country="VE"))
    result = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    shown = _Shown()
    shown.feed(result.stdout)
    rows = [row for row in shown.rows if row]
    assert len(rows) == len(report.designations) > 0
    for row, designation in zip(rows, report.designations, strict=True):
        assert designation.entity.key in row
        assert designation.since in " ".join(row)
    responses = [t.latest_response for t in report.targets if t.latest_response]
    assert len(shown.marks) == len(report.designations) + len(report.sanctions) + len(responses)
    assert any("rejects" in title for title in shown.marks)
