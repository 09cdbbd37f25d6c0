"""`tracker demo`: one command from nothing to a seeded database and readable reports."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app


def test_demo_creates_seeds_and_reports(tmp_path: Path) -> None:
    """The demo makes a fresh SQLite file, prints who is designated and the 2025 changes, and
    writes them as one HTML page."""
    path = tmp_path / "demo.db"
    page = tmp_path / "demo.html"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--report", str(page)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Loaded 3 seed file(s)" in out
    assert "cartel-de-los-soles" in out
    assert "government-of-venezuela" in out
    assert "rejects" in out
    assert "Changes from 2025-01-01 to 2025-12-31" in out
    assert path.read_bytes().startswith(b"SQLite format 3")
    html = page.read_text(encoding="utf-8")
    assert html.count("<table") == 5
    assert 'class="mark' in html


def test_demo_without_db_replaces_its_own_file_and_says_what_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no --db the demo writes tracker-demo.db here (a stale one is replaced) and
    tells the next command, which then finds the case."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    (tmp_path / "tracker-demo.db").write_text("stale")
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Next: tracker --db tracker-demo.db entity show cartel-de-los-soles" in result.stdout
    shown = CliRunner().invoke(app, ["--db", "tracker-demo.db", "entity", "show",
                                     "cartel-de-los-soles"])  # fmt: skip
    assert shown.exit_code == 0, shown.output


def test_demo_refuses_a_database_that_already_holds_one(tmp_path: Path) -> None:
    """The demo never writes over a database the user named: one line, nothing changed."""
    path = tmp_path / "mine.db"
    assert CliRunner().invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(app, ["--db", str(path), "demo"])
    assert result.exit_code == 1
    assert "already holds a tracker database" in result.stderr
