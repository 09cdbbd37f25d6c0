"""`tracker seed`: load seed data."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import db, done

if TYPE_CHECKING:
    from tracker.records import SeedSummary


def summary(result: "SeedSummary") -> str:
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
    done(summary(db(ctx).seed(paths)))
