"""`tracker seed` and `tracker demo`: load seed data; show the tool at work in one command."""

from pathlib import Path
from typing import Annotated

import typer

from tracker import migrations
from tracker.cli.context import done, state, stdout
from tracker.dates import as_of_day
from tracker.db import create_engine, sqlite_path, transaction
from tracker.errors import InvalidInput
from tracker.reports.changes import changes_report
from tracker.reports.render import print_table
from tracker.reports.status import StatusFilters, status_report
from tracker.services.seeds import SeedResult, default_seed_paths, load_seeds


def _summary(result: SeedResult) -> str:
    added = ", ".join(f"{count} {kind}" for kind, count in result.added.items() if count)
    if not added:
        return f"Loaded {len(result.files)} seed file(s): nothing new"
    return f"Loaded {len(result.files)} seed file(s): added {added}; {result.events} events"


def seed(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Seed files or folders of *.yaml (default: the shipped seeds)."),
    ] = None,
) -> None:
    """Load seed data (YAML) into the database, migrating it first if needed.

    Loading the same seeds twice adds nothing. With no paths, loads the seeds shipped with
    tracker: the authorities, the Cartel de los Soles case and the State Department's FTO
    list since 1997.

    Example: tracker seed seeds/02-case-cartel-de-los-soles.yaml
    """
    engine = state(ctx).engine(must_exist=False)
    migrations.upgrade(engine)
    with transaction(engine) as session:
        result = load_seeds(session, paths or default_seed_paths())
    done(_summary(result))


def demo(
    db: Annotated[
        Path,
        typer.Option(
            "--db", help="The SQLite file to create (replaced if it exists).", dir_okay=False
        ),
    ] = Path("tracker-demo.db"),
) -> None:
    """Create a fresh SQLite database, migrate it, load the seeds and print who is designated
    now and what changed in 2025.

    Example: tracker demo --db /tmp/demo.db
    """
    if db.exists() and not db.is_file():
        raise InvalidInput(f"{db} is not a file")
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    engine = create_engine(url, must_exist=False)
    try:
        migrations.upgrade(engine)
        done(f"Created {sqlite_path(url)} at revision {migrations.head_revision()}")
        with transaction(engine) as session:
            done(_summary(load_seeds(session, default_seed_paths())))
        with transaction(engine, read_only=True) as session:
            status = status_report(session, day=as_of_day(None), filters=StatusFilters())
            print_table(status.only("entities", "totals"), stdout)
            print_table(changes_report(session, since="2025-01-01", until="2025-12-31"), stdout)
    finally:
        engine.dispose()
