"""typer's `CliRunner`, with tracker's command tree built once per process.

`CliRunner.invoke(app, ...)` turns the `Typer` app into a click command on every call,
reading the signature of every command: about 40 ms for tracker's, more than most commands
take to run. The suite and the concurrency test's writers invoke the same app thousands of
times, so the click command is built once, by typer itself, and reused. Click commands keep
no state between invocations (each `main` call makes its own context). Any other app (a test's
toy) is built at each call, as before.

Importing this module installs the cache.
"""

from functools import cache
from typing import Any

import typer.main
import typer.testing
from typer.testing import CliRunner

from tracker.cli import app

__all__ = ["CliRunner"]

_build = typer.main.get_command


@cache
def _tracker_command() -> Any:
    return _build(app)


def _command(typer_app: typer.Typer) -> Any:
    return _tracker_command() if typer_app is app else _build(typer_app)


# typer.testing looks the function up under this name at each invoke; were it renamed, the
# suite would only be slower.
if hasattr(typer.testing, "_get_command"):
    typer.testing._get_command = _command
