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

from tests.conftest import Tracker, fingerprint

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TRACKER_UPDATE_GOLDEN") == "1"
VOLATILE = {"recorded_at", "recorded_day", "event_id", "subject"}

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
def test_json_matches_golden_field_by_field(seeded: Tracker, report: str) -> None:
    """The JSON schema is stable: every field of the seeded reports is as recorded."""
    document = _stable(seeded.json(*REPORTS[report]))
    expected = json.loads(_golden(f"{report}.json", json.dumps(document, indent=2) + "\n"))
    assert document["schema_version"] == 1
    assert document.keys() == expected.keys()
    for key in expected:
        assert document[key] == expected[key], key


@pytest.mark.parametrize("report", list(REPORTS))
def test_markdown_matches_golden(seeded: Tracker, report: str) -> None:
    """Markdown output is exactly the reviewed golden file."""
    text = seeded.ok(*REPORTS[report], "--format", "markdown").stdout
    assert text == _golden(f"{report}.md", text)


@pytest.mark.parametrize("report", list(REPORTS))
def test_csv_parses_to_the_json_rows(seeded: Tracker, report: str) -> None:
    """CSV carries the same rows as JSON (a `section` column when there are several)."""
    rows = list(csv.DictReader(io.StringIO(seeded.ok(*REPORTS[report], "--format", "csv").stdout)))
    document = seeded.json(*REPORTS[report])
    sections = [k for k, v in document.items() if isinstance(v, list)]
    expected = sum(len(document[k]) for k in sections)
    assert len(rows) == expected
    if len(sections) > 1:
        assert {row["section"] for row in rows} <= set(sections)


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
    seeded: Tracker, report: str, tmp_path: Path
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
    seeded: Tracker, tmp_path: Path
) -> None:
    """The status page charts what is in force and the latest responses."""
    output = tmp_path / "status.html"
    seeded.ok(*REPORTS["status"], "--format", "html", "-o", str(output))
    structure = parse_html(output.read_text(encoding="utf-8"))
    document = seeded.json(*REPORTS["status"])
    responses = sum(1 for e in document["entities"] if e["latest_response"])
    assert structure.marks == len(document["designations"]) + len(document["sanctions"]) + responses
    assert structure.tables == 4


def test_output_format_follows_the_file_suffix(seeded: Tracker, tmp_path: Path) -> None:
    """`-o report.json` writes JSON without `--format`."""
    output = tmp_path / "status.json"
    result = seeded.ok(*REPORTS["status"], "-o", str(output))
    assert "Wrote" in result.stdout
    assert json.loads(output.read_text())["kind"] == "status"


def _designated_on(tracker: Tracker, as_of: str) -> dict[str, str]:
    document = tracker.json("report", "status", "--as-of", as_of, "--authority", "us-state")
    return {d["entity"]: d["status"] for d in document["designations"]}


@pytest.fixture
def edge_cases(tracker: Tracker) -> Tracker:
    """Designations placed exactly on the edges the as-of rule must get right."""
    tracker.ok("seed", str(Path(__file__).parents[1] / "seeds" / "01-authorities.yaml"))
    for key in ("announced-then-effective", "same-day-revoked", "known-by-year", "relisted"):
        tracker.ok("entity", "add", key, "--kind", "organization", "--key", key)

    def designate(key: str, *args: str) -> int:
        document = tracker.json("designate", key, "--authority", "us-state", "--list", "FTO", *args)
        return int(document["designation"]["id"])

    designate("announced-then-effective", "--announced", "2025-11-16", "--effective", "2025-11-24")
    same_day = designate("same-day-revoked", "--effective", "2021-01-19")
    tracker.ok("designation", "revoke", str(same_day), "--on", "2021-01-19")
    designate("known-by-year", "--effective", "2001")
    first = designate("relisted", "--effective", "2021-01-19")
    tracker.ok("designation", "revoke", str(first), "--on", "2021-02-16")
    designate("relisted", "--effective", "2025-03-04")
    return tracker


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-11-15", None),
        ("2025-11-16", "pending"),
        ("2025-11-23", "pending"),
        ("2025-11-24", "active"),
        ("2025-11-25", "active"),
    ],
)
def test_as_of_around_an_effective_date(edge_cases: Tracker, as_of: str, expected: str) -> None:
    """Before the announcement: absent; announced: pending; from the effective day: active."""
    assert _designated_on(edge_cases, as_of).get("announced-then-effective") == expected


@pytest.mark.parametrize("as_of", ["2021-01-18", "2021-01-19", "2021-01-20"])
def test_revoked_on_the_day_it_took_effect_is_never_in_force(
    edge_cases: Tracker, as_of: str
) -> None:
    """Effective and revoked on the same day: not in force on any day."""
    assert "same-day-revoked" not in _designated_on(edge_cases, as_of)


@pytest.mark.parametrize(
    ("as_of", "present"), [("2000-12-31", False), ("2001-01-01", True), ("2001-06-30", True)]
)
def test_a_designation_known_only_by_year(edge_cases: Tracker, as_of: str, present: bool) -> None:
    """ "2001" counts from 2001-01-01 and keeps its precision in the report."""
    designated = edge_cases.json("report", "status", "--as-of", as_of)["designations"]
    rows = [d for d in designated if d["entity"] == "known-by-year"]
    assert bool(rows) is present
    if present:
        assert rows[0]["since"] == "2001"


@pytest.mark.parametrize(
    ("as_of", "present"),
    [("2021-02-01", True), ("2022-06-01", False), ("2025-03-03", False), ("2025-06-01", True)],
)
def test_revoked_and_redesignated(edge_cases: Tracker, as_of: str, present: bool) -> None:
    """Revoked in 2021 and designated again in 2025: absent in 2022, present in 2025."""
    assert ("relisted" in _designated_on(edge_cases, as_of)) is present


def test_seeded_ansarallah_history(seeded: Tracker) -> None:
    """The real case: Ansarallah was revoked in 2021 and re-designated in 2025."""
    assert "ansarallah" not in _designated_on(seeded, "2022-01-01")
    assert _designated_on(seeded, "2025-06-01")["ansarallah"] == "active"


def test_empty_result_is_a_clear_line_and_exit_zero(seeded: Tracker) -> None:
    """Nothing matched is said plainly, not as an empty table or an error."""
    result = seeded.ok("report", "status", "--as-of", "1990-01-01")
    assert "nothing in force as of 1990-01-01 matched" in result.stdout
    changes = seeded.ok("report", "changes", "--since", "1990-01-01", "--until", "1990-12-31")
    assert "no changes matched" in changes.stdout


def test_changes_filters_by_authority_list_and_country(seeded: Tracker) -> None:
    """Filters narrow the changes to matching designations, sanctions and responses."""
    ofac = seeded.json("report", "changes", "--since", "2025-01-01", "--authority", "us-ofac")
    assert {(c["entity"], c["action"]) for c in ofac["changes"]} == {
        ("cartel-de-los-soles", "listed"),
        ("cartel-de-los-soles", "imposed"),
    }
    sdgt = seeded.json("report", "changes", "--since", "2025-01-01", "--list", "SDGT")
    assert len(sdgt["changes"]) == 8
    venezuela = seeded.json("report", "changes", "--since", "2025-01-01", "--country", "VE")
    assert {c["entity"] for c in venezuela["changes"]} == {"cartel-de-los-soles", "tren-de-aragua"}


def test_changes_recorded_since_is_transaction_time(seeded: Tracker) -> None:
    """`--recorded-since` answers "what was entered since", whatever the real-world date."""
    everything = seeded.json("report", "changes", "--recorded-since", "2000-01-01T00:00:00")
    future = seeded.json("report", "changes", "--recorded-since", "2999-01-01T00:00:00")
    assert len(everything["changes"]) > 500
    assert future["changes"] == []


def test_reports_never_write(seeded: Tracker, tmp_path: Path) -> None:
    """Running every report in every format leaves the database file unchanged."""
    before = fingerprint(seeded.url)
    for args in REPORTS.values():
        for fmt in ("table", "json", "csv", "markdown", "html"):
            seeded.ok(*args, "--format", fmt)
    seeded.ok("entity", "show", "cartel-de-los-soles")
    assert fingerprint(seeded.url) == before


def test_bad_report_dates_are_one_line_errors(seeded: Tracker) -> None:
    """An impossible as-of date or an inverted window is refused plainly."""
    result = seeded("report", "status", "--as-of", "2025-02-30")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: --as-of: impossible date '2025-02-30'"
    inverted = seeded("report", "changes", "--since", "2025-12-01", "--until", "2025-01-01")
    assert inverted.exit_code == 1
    assert "is before --since" in inverted.stderr


def test_html_report_renders_in_a_real_browser(seeded: Tracker, tmp_path: Path) -> None:
    """Headless Chromium opens the page offline and takes a screenshot."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium installed (apt-get install chromium)")
    page = tmp_path / "status.html"
    seeded.ok(*REPORTS["status"], "-o", str(page))
    screenshot = tmp_path / "status.png"
    result = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,1024", f"--screenshot={screenshot}", page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 10_000
