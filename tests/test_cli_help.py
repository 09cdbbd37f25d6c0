"""`--help` names types as click does (TEXT, INTEGER, [a|b]) and shows none after a flag."""

import datetime as dt
import re
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from tracker.cli import app
from tracker.cli.help import type_label

PYTHON_LABEL = re.compile(r"<(?:bool|str|int|float|datetime|Path|list\[[^>]*\])>")


def _paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


@pytest.mark.parametrize("path", list(_paths(typer.main.get_command(app))), ids=" ".join)
def test_help_shows_no_python_annotations(path: tuple[str, ...]) -> None:
    """No `<bool>` after a flag, no `<str>` or `<int>` after a value, anywhere."""
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert PYTHON_LABEL.search(result.stdout) is None, result.stdout


def test_root_help_shows_the_flag_bare_and_the_value_typed() -> None:
    """`tracker --help`: `--version` takes no value, `--db` takes text."""
    result = CliRunner().invoke(app, ["--help"], terminal_width=100)
    assert "<bool>" not in result.stdout
    (version,) = (line for line in result.stdout.splitlines() if "--version " in line)
    assert re.search(r"--version\s+Show the version", version), version
    assert re.search(r"--db\s+TEXT\s", result.stdout), result.stdout


class Colour(Enum):
    RED = "red"
    GREEN = "green"


def _params() -> dict[str, Any]:
    toy = typer.Typer()

    @toy.command()
    def paint(
        name: str,
        files: list[Path],
        quiet: bool = False,
        verbose: Annotated[int, typer.Option("-v", count=True)] = 0,
        count: int = 1,
        ratio: Annotated[float, typer.Option(min=0, max=1)] = 0.5,
        colour: Colour = Colour.RED,
        tag: Annotated[list[str] | None, typer.Option()] = None,
        out: Annotated[Path | None, typer.Option(dir_okay=False)] = None,
        since: dt.datetime | None = None,
        day: Annotated[str | None, typer.Option(metavar="DATE")] = None,
    ) -> None:
        """Paint."""

    return {param.name: param for param in typer.main.get_command(toy).params}


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("name", "TEXT"),
        ("files", "PATH"),
        ("quiet", None),
        ("verbose", None),
        ("count", "INTEGER"),
        ("ratio", "FLOAT RANGE"),
        ("colour", "[red|green]"),
        ("tag", "TEXT"),
        ("out", "FILE"),
        ("since", "DATETIME"),
        ("day", "DATE"),
    ],
)
def test_type_labels(name: str, label: str | None) -> None:
    """Click's names, choices in brackets, an explicit metavar kept, nothing for a flag."""
    assert type_label(_params()[name]) == label
