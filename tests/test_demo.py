"""`tracker demo`: one command from nothing to a seeded database and readable reports."""

from pathlib import Path

from typer.testing import CliRunner

from tracker.cli import app


def test_demo_creates_seeds_and_reports(tmp_path: Path) -> None:
    """The demo makes a fresh SQLite file, prints who is designated and the 2025 changes, and
    writes them as one HTML page."""
    path = tmp_path / "demo.db"
    path.write_text("stale")
    page = tmp_path / "demo.html"
    result = CliRunner().invoke(app, ["demo", "--db", str(path), "--report", str(page)])
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
