"""The command line as a whole: help with examples everywhere, version, one-line errors."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tests.conftest import Cli
from tracker import __version__
from tracker.cli import app


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path of the CLI, e.g. ('entity', 'add')."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


ALL_COMMANDS = sorted(_commands(typer.main.get_command(app)))


def test_every_command_is_listed() -> None:
    """The tour of commands the README gives exists."""
    for expected in [
        ("entity", "add"),
        ("entity", "alias", "add"),
        ("designate",),
        ("designation", "revoke"),
        ("designation", "amend"),
        ("sanction", "lift"),
        ("response", "add"),
        ("source", "add"),
        ("report", "status"),
        ("db", "upgrade"),
        ("db", "downgrade"),
        ("seed",),
        ("demo",),
    ]:
        assert expected in ALL_COMMANDS


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    """`--help` works everywhere and shows an example invocation."""
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.stdout
    assert "tracker " in result.stdout.split("Example:", 1)[1]


def test_version() -> None:
    """`tracker --version` prints the version."""
    result = CliRunner().invoke(app, ["--version"])
    assert result.stdout.strip() == f"tracker {__version__}"


def test_python_dash_m_runs_the_cli() -> None:
    """`python -m tracker` is the same tool."""
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"tracker {__version__}"


def test_the_command_leaves_with_its_status_its_output_and_its_exit_handlers(
    tmp_path: Path,
) -> None:
    """`tracker` skips the interpreter's teardown on its way out (`tracker.cli.leave`): the
    caller still gets the exit status and every byte written, and exit handlers still run."""
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
        "from tracker.cli import main\n"
        "main()\n"
    )
    url = f"sqlite:///{tmp_path / 'leave.db'}"

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-c", probe, "--db", url, *args]
        return subprocess.run(argv, capture_output=True, text=True)

    assert tracker("db", "upgrade").returncode == 0
    found = tracker("search", "Cartel de los Soles", "--format", "json")
    assert (found.returncode, json.loads(found.stdout)["hits"]) == (0, [])
    assert found.stderr == "exit handler ran\n"
    refused = tracker("report", "status", "--as-of", "someday")
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[-1] == "exit handler ran"
    assert refused.stderr.startswith("Error: --as-of")


def test_usage_error_is_one_line_with_exit_code_2() -> None:
    """An unknown option is one line on stderr, not a box or a traceback."""
    result = CliRunner().invoke(app, ["entity", "add", "X", "--kind", "planet"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error:")
    assert "planet" in lines[0]


def test_missing_database_file_is_a_clear_error(tmp_path: Path) -> None:
    """Commands other than upgrade / seed / demo do not create an empty database."""
    path = tmp_path / "missing.db"
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{path}", "entity", "list"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no database at {path}: run `tracker db upgrade` (or `tracker demo`) first"
    )
    assert not path.exists()


def test_database_url_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TRACKER_DATABASE_URL chooses the database when --db is not given."""
    path = tmp_path / "env.db"
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{path}")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert path.exists()


def test_default_database_is_tracker_db_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no --db and no environment variable, the database is ./tracker.db."""
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tracker.db").exists()


def test_an_unexpected_constraint_failure_is_still_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a database rule fires that no service checked first, the user sees one line."""
    from sqlalchemy.exc import IntegrityError

    from tracker.services import entities

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError("INSERT ...", {}, Exception("CHECK constraint failed: ck_x"))

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    CliRunner().invoke(app, ["--db", url, "db", "upgrade"])
    monkeypatch.setattr(entities, "add_entity", refuse)
    result = CliRunner().invoke(app, ["--db", url, "entity", "add", "X", "--kind", "other"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: the database refused the change (CHECK constraint failed: ck_x)"
    )


def test_a_plain_file_path_is_a_database_too(tmp_path: Path) -> None:
    """`--db FILE` is a SQLite file, like `--db sqlite:///FILE`."""
    path = tmp_path / "plain.db"
    assert CliRunner().invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == 0
    listed = CliRunner().invoke(app, ["--db", f"sqlite:///{path}", "entity", "list"])
    assert listed.exit_code == 0, listed.output


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["report", "status", "--as-of", "2025-02-30"], 2),  # a bad value: usage
        (["entity", "add", "X", "--kind", "planet"], 2),  # an unknown choice: usage
        (["report", "status", "--country", "Atlantis"], 2),  # an unknown country: usage
        (["entity", "show", "nobody"], 1),  # a key the database does not hold: state
        (["designation", "revoke", "999", "--on", "2025-01-01"], 1),
    ],
    ids=["date", "choice", "country", "key", "id"],
)
def test_the_same_kind_of_mistake_gets_the_same_exit_code(
    tmp_path: Path, args: list[str], code: int
) -> None:
    """2 for usage (a bad option or value), 1 for data or state; always one line."""
    url = str(tmp_path / "codes.db")
    CliRunner().invoke(app, ["--db", url, "db", "upgrade"])
    result = CliRunner().invoke(app, ["--db", url, *args])
    assert result.exit_code == code, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error:")


def test_no_command_module_touches_the_database_directly() -> None:
    """The command line only parses, calls tracker.api and renders: no module under
    tracker/cli imports sqlalchemy or sqlmodel."""
    folder = Path(__file__).resolve().parents[1] / "tracker" / "cli"
    offending = [
        path.name
        for path in folder.glob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(("import sqlalchemy", "from sqlalchemy", "import sqlmodel",
                                     "from sqlmodel"))
    ]  # fmt: skip
    assert offending == []


def test_help_and_version_load_no_database_library_and_no_renderer() -> None:
    """`tracker --help` and `--version` answer at once: the database layer (SQLAlchemy,
    SQLModel, Alembic, the API) loads only when a command opens the database, the records,
    views, renderers and progress bars only when a command writes something."""
    probe = (
        "import sys; from tracker.cli import app\n"
        "for args in (['--version'], ['--help']):\n"
        "    try: app(args)\n"
        "    except SystemExit: pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'tracker.api', 'tracker.migrations',\n"
        "         'tracker.records', 'tracker.reports.views', 'tracker.reports.render',\n"
        "         'rich.progress')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_an_empty_filter_is_a_usage_error(seeded: Cli) -> None:
    result = seeded("report", "status", "--list", " ")
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        "Error: list: empty (leave the filter out to match everything)",
    )
