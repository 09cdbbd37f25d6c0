"""`tracker demo`: the tool at work in one command, on a fresh SQLite file."""

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from tracker import migrations
from tracker.cli.context import done, stdout
from tracker.cli.seed import summary
from tracker.dates import as_of_day
from tracker.db import create_engine, transaction
from tracker.errors import InvalidInput
from tracker.reports.changes import changes_report
from tracker.reports.filters import ReportFilters
from tracker.reports.render import print_table, to_html
from tracker.reports.status import status_report
from tracker.services.seed_files import default_seed_paths
from tracker.services.seeds import load_seeds

CHANGES_SINCE = "2025-01-01"
CHANGES_UNTIL = "2025-12-31"


def demo(
    db: Annotated[
        Path,
        typer.Option("--db", help="SQLite file to create (replaced if it exists).", dir_okay=False),
    ] = Path("tracker-demo.db"),
    report: Annotated[
        Path, typer.Option("--report", help="Where to write the HTML report.", dir_okay=False)
    ] = Path("demo-report.html"),
) -> None:
    """Create a fresh SQLite database, migrate it, load the seeds, print who is designated
    now and what changed in 2025, and write both as one HTML page.

    Example: tracker demo --db /tmp/demo.db --report /tmp/demo.html
    """
    if db.exists() and not db.is_file():
        raise InvalidInput(f"{db} is not a file")
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{db}", must_exist=False)
    try:
        migrations.upgrade(engine)
        done(f"Created {db} at revision {migrations.head_revision()}")
        with transaction(engine) as session:
            done(summary(load_seeds(session, default_seed_paths())))
        with transaction(engine, read_only=True) as session:
            status = status_report(session, day=as_of_day(None), filters=ReportFilters())
            changes = changes_report(session, since=CHANGES_SINCE, until=CHANGES_UNTIL)
    finally:
        engine.dispose()
    print_table(status.only("entities", "totals"), stdout)
    print_table(changes, stdout)
    page = replace(
        status,
        kind="demo",
        title=f"{status.title}; changes in 2025",
        sections=[*status.sections, *changes.sections],
        marks=changes.marks,
    )
    report.write_text(to_html(page), encoding="utf-8")
    done(f"Wrote {report}: open it in a browser")
