"""`tracker demo`: the tool at work in one command, on a fresh SQLite file."""

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from tracker import migrations
from tracker.cli.context import done, state, stdout
from tracker.cli.seed import summary
from tracker.dates import as_of_day
from tracker.db import create_engine, transaction
from tracker.errors import Conflict, InvalidInput
from tracker.reports.changes import changes_report
from tracker.reports.filters import ReportFilters
from tracker.reports.render import print_table, to_html
from tracker.reports.status import status_report
from tracker.services.seed_files import default_seed_paths
from tracker.services.seeds import load_seeds

CHANGES_SINCE = "2025-01-01"
CHANGES_UNTIL = "2025-12-31"


DEMO_FILE = Path("tracker-demo.db")


def demo(
    ctx: typer.Context,
    report: Annotated[
        Path, typer.Option("--report", help="Where to write the HTML report.", dir_okay=False)
    ] = Path("demo-report.html"),
) -> None:
    """Create a fresh database, migrate it, load the seeds, print who is designated now and
    what changed in 2025, and write both as one HTML page.

    The database is tracker-demo.db (replaced if it exists), or the one `--db` names, which
    must be new or empty.

    Example: tracker demo
    Example: tracker --db /tmp/demo.db demo --report /tmp/demo.html
    """
    app_state = state(ctx)
    if app_state.chosen:
        url = app_state.url
        engine = app_state.engine(must_exist=False)
        if migrations.current_revision(engine) is not None:
            raise Conflict(f"{url}: already holds a tracker database; the demo needs a new one")
    else:
        if DEMO_FILE.exists() and not DEMO_FILE.is_file():
            raise InvalidInput(f"{DEMO_FILE} is not a file")
        for stale in (DEMO_FILE, Path(f"{DEMO_FILE}-wal"), Path(f"{DEMO_FILE}-shm")):
            stale.unlink(missing_ok=True)
        url = str(DEMO_FILE)
        engine = create_engine(f"sqlite:///{DEMO_FILE}", must_exist=False)
    migrations.upgrade(engine)
    done(f"Created {url} at revision {migrations.head_revision()}")
    with transaction(engine) as session:
        done(summary(load_seeds(session, default_seed_paths())))
    with transaction(engine, read_only=True) as session:
        status = status_report(session, day=as_of_day(None), filters=ReportFilters())
        changes = changes_report(session, since=CHANGES_SINCE, until=CHANGES_UNTIL)
    if not app_state.chosen:
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
    if not app_state.chosen:
        done(f"Next: tracker --db {DEMO_FILE} entity show cartel-de-los-soles")
