"""`tracker demo`: the tool at work in one command, on a fresh database."""

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import done, state, stdout
from tracker.cli.seed import summary
from tracker.errors import Conflict, InvalidValue

if TYPE_CHECKING:
    from tracker.api import Tracker

CHANGES_SINCE = "2025-01-01"
CHANGES_UNTIL = "2025-12-31"
DEMO_FILE = Path("tracker-demo.db")


def _fresh_database(ctx: typer.Context) -> tuple["Tracker", str]:
    """The database --db names (which must hold no tracker database yet), or a new
    tracker-demo.db (an old one replaced)."""
    app_state = state(ctx)
    if app_state.chosen:
        database = app_state.tracker
        if database.exists() and database.revision() is not None:
            raise Conflict(
                f"{database.url}: already holds a tracker database; the demo needs a new one"
            )
        return database, str(app_state.url)
    if DEMO_FILE.exists() and not DEMO_FILE.is_file():
        raise InvalidValue(f"{DEMO_FILE} is not a file")
    for stale in (DEMO_FILE, Path(f"{DEMO_FILE}-wal"), Path(f"{DEMO_FILE}-shm")):
        stale.unlink(missing_ok=True)
    from tracker.api import Tracker

    return Tracker(DEMO_FILE), str(DEMO_FILE)


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
    from tracker.reports.render import print_table, to_html
    from tracker.reports.views import changes_view, status_view

    database, name = _fresh_database(ctx)
    try:
        revision = database.upgrade()
        done(f"Created {name} at revision {revision}")
        done(summary(database.seed()))
        status = status_view(database.status())
        changes = changes_view(database.changes(since=CHANGES_SINCE, until=CHANGES_UNTIL))
    finally:
        database.close()
    print_table(status.only("targets", "totals"), stdout)
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
    if not state(ctx).chosen:
        done(f"Next: tracker --db {DEMO_FILE} entity show cartel-de-los-soles")
