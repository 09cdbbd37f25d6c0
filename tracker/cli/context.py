"""What every command shares: the database (a `tracker.api.Tracker`), the consoles.

`tracker.api` (SQLAlchemy, the services) is imported when a command first asks for the
database, so `--help`, `--version` and usage errors answer at once."""

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from tracker.errors import InvalidValue

if TYPE_CHECKING:
    from tracker.api import Tracker

# Piped output keeps tables readable: rich would otherwise assume 80 columns.
PIPE_WIDTH = 160
stdout = Console(soft_wrap=True, width=None if sys.stdout.isatty() else PIPE_WIDTH)
stderr = Console(stderr=True, soft_wrap=True)


@dataclass
class AppState:
    """Set by the root callback from `--db` / `TRACKER_DATABASE_URL`."""

    url: str | None
    chosen: bool = False  # named by --db or TRACKER_DATABASE_URL, not the default
    _tracker: "Tracker | None" = field(default=None, repr=False)

    @property
    def tracker(self) -> "Tracker":
        if self._tracker is None:
            from tracker.api import Tracker

            self._tracker = Tracker(self.url)
        return self._tracker

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()


def db(ctx: typer.Context) -> "Tracker":
    """The command's database."""
    root = ctx.find_root()
    assert isinstance(root.obj, AppState), "the root callback sets the state"
    return root.obj.tracker


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    assert isinstance(root.obj, AppState), "the root callback sets the state"
    return root.obj


def done(message: str) -> None:
    """Tell a person what a command did (stdout, so it can be captured with the data)."""
    stdout.print(message, highlight=False, markup=False)


def note(message: str) -> None:
    """A hint beside the data (stderr, dimmed on a terminal), never mixed into it."""
    stderr.print(message, style="dim", highlight=False, markup=False)


def confirmed(danger: str, yes: bool) -> None:
    """Go on with something that destroys data only if the user says so: `--yes`, or an
    answer at a terminal. Without a terminal (a script, a pipe) a missing `--yes` is a
    usage error, so nothing is destroyed by a command run unattended by mistake."""
    if yes:
        return
    if sys.stdin.isatty() and sys.stderr.isatty():
        if not typer.confirm(f"{danger}. Go on?", default=False, err=True):
            raise typer.Abort()
        return
    raise InvalidValue(f"{danger}: give --yes to go ahead (nothing was changed)")


def progress_enabled(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()
