"""What every command shares: the database URL, an engine, one transaction, the consoles."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import typer
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import migrations
from tracker.db import create_engine, transaction

# Piped output keeps tables readable: rich would otherwise assume 80 columns.
PIPE_WIDTH = 160
stdout = Console(soft_wrap=True, width=None if sys.stdout.isatty() else PIPE_WIDTH)
stderr = Console(stderr=True, soft_wrap=True)


@dataclass
class AppState:
    """Set by the root callback from `--db` / `TRACKER_DATABASE_URL`."""

    url: str
    chosen: bool = False  # named by --db or TRACKER_DATABASE_URL, not the default
    _engines: dict[bool, Engine] = field(default_factory=dict)

    def engine(self, *, must_exist: bool = True) -> Engine:
        if must_exist not in self._engines:
            self._engines[must_exist] = create_engine(self.url, must_exist=must_exist)
        return self._engines[must_exist]

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    assert isinstance(root.obj, AppState), "the root callback sets the state"
    return root.obj


@contextmanager
def writing(ctx: typer.Context) -> Iterator[Session]:
    """One transaction on a migrated database: all of the command's writes, or none."""
    engine = state(ctx).engine()
    migrations.ensure_at_head(engine)
    with transaction(engine) as session:
        yield session


@contextmanager
def reading(ctx: typer.Context) -> Iterator[Session]:
    """A read-only transaction on a migrated database (reports never write)."""
    engine = state(ctx).engine()
    migrations.ensure_at_head(engine)
    with transaction(engine, read_only=True) as session:
        yield session


def done(message: str) -> None:
    """Tell a person what a command did (stdout, so it can be captured with the data)."""
    stdout.print(message, highlight=False, markup=False)


def progress_enabled(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()
