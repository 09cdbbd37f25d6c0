"""Output for people and for scripts: a terminal gets the first page of a long table and how
to see the rest; a pipe or a file gets every row; a CSV is one table; an `-o` suffix that
names no format is an error."""

import csv
import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.conftest import Cli
from tracker.cli.output import FIRST_PAGE_ROWS
from tracker.reports import render


def _on_a_terminal(url: str, *args: str, timeout: float = 60) -> str:
    """What `tracker ARGS` prints to a pseudo-terminal (stdout and stderr, as a person sees)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", url, *args],
        stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], timeout)
        if not ready:
            process.kill()
            raise AssertionError(f"no output for {timeout} s")
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def test_a_terminal_gets_the_first_page_and_how_to_see_the_rest(seeded: Cli) -> None:
    """`report status` of 100+ targets shows the first page, the totals, and the way to
    everything; a pipe gets every row."""
    every: Any = seeded.json("report", "status")
    targets = len(every["targets"])
    assert targets > FIRST_PAGE_ROWS
    shown = _on_a_terminal(seeded.url, "report", "status")
    assert (
        f"{targets - FIRST_PAGE_ROWS} more targets not shown (first {FIRST_PAGE_ROWS} of" in shown
    )
    assert "-o FILE, --format csv, or | less" in shown
    assert "Totals" in shown
    piped = seeded.ok("report", "status").stdout
    assert "not shown" not in piped
    short_keys = [t["entity"]["key"] for t in every["targets"] if len(t["entity"]["key"]) < 16]
    assert all(key in piped for key in short_keys)  # (long ones may wrap in their cell)


def test_csv_is_one_table_and_a_file_per_section(seeded: Cli, tmp_path: Path) -> None:
    """To stdout a CSV is the main section (others named on stderr, one picked with
    --section); with -o, every section with rows gets its own file beside it."""
    printed = seeded("report", "status", "--as-of", "2025-12-01", "--format", "csv")
    header = printed.stdout.splitlines()[0]
    assert header.startswith("entity,name,kind")
    assert "section" not in header
    assert "--section NAME" in printed.stderr
    totals = seeded.ok("report", "status", "--format", "csv", "--section", "totals").stdout
    assert totals.splitlines()[0].startswith("authority,list")
    folder = tmp_path / "out"
    folder.mkdir()
    written = seeded.ok("report", "status", "-o", str(folder / "status.csv")).stdout
    assert "status.csv (targets)" in written
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["status-designations.csv", "status-sanctions.csv", "status-totals.csv",
                     "status.csv"]  # fmt: skip
    for path in folder.iterdir():
        rows = list(csv.reader(path.open(encoding="utf-8")))
        assert len({len(row) for row in rows}) == 1, f"{path.name}: ragged rows"


def test_csv_cells_are_flat_text_never_python_reprs(seeded: Cli) -> None:
    """Nested values (an entity, sources, an event's before/after) read as text in a cell."""
    events = seeded.ok(
        "entity", "show", "cartel-de-los-soles", "--format", "csv", "--section", "events"
    ).stdout
    assert "{'" not in events
    assert "['" not in events


def test_an_unknown_output_suffix_is_an_error_naming_the_known_ones(
    seeded: Cli, tmp_path: Path
) -> None:
    """`-o out.xlsx` writes nothing and says which suffixes work; --format overrides it."""
    result = seeded("designation", "list", "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 2
    assert "unknown suffix '.xlsx': use one of .json .csv" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()
    seeded.ok("designation", "list", "-o", str(tmp_path / "out.xlsx"), "--format", "csv")
    assert (tmp_path / "out.xlsx").read_text().startswith("id,entity")


def test_an_unknown_section_names_the_sections(seeded: Cli) -> None:
    """--section with a name the report does not have is a usage error listing them."""
    result = seeded("report", "status", "--format", "csv", "--section", "nope")
    assert result.exit_code == 2
    assert "use one of: coverage, targets, designations, sanctions, totals" in result.stderr


def test_a_large_table_is_drawn_as_rich_draws_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A section over LARGE_TABLE rows is drawn line by line, the same text as rich's."""
    section = render.Section(
        "rows", "Rows", [render.Column("key", "key"), render.Column("text", "text")],
        [{"key": f"k{n}", "text": "word " * (n % 7), "day": n // 3} for n in range(12)],
        group_by="day",
    )  # fmt: skip
    view = render.Report("rows", "Title", [section])

    def drawn(large: int) -> str:
        monkeypatch.setattr(render, "LARGE_TABLE", large)
        console = Console(file=io.StringIO(), width=160, color_system=None, soft_wrap=True)
        render.print_table(view, console)
        return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]

    assert drawn(5) == drawn(1_000)
    assert drawn(5).count("├") == 3  # a rule between consecutive groups
