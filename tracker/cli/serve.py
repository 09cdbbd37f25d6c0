"""`tracker serve`: the HTTP API and the web pages over this database."""

from typing import Annotated

import typer

from tracker.cli.context import note, state
from tracker.errors import InvalidInput

SERVER_EXTRA = "pip install 'tracker[server]'"


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8080,
    database: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database URL or SQLite file (as the global --db).", metavar="URL"
        ),
    ] = None,
    max_batch: Annotated[
        int, typer.Option(min=1, max=10_000, help="Most query records per POST /api/match.")
    ] = 100,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (one per core; each pools).")
    ] = 1,
    time_budget: Annotated[
        float, typer.Option(min=0.1, help="Seconds of database work one request may take.")
    ] = 30.0,
) -> None:
    """Serve the JSON API under /api/ (OpenAPI at /openapi.json, docs at /api/docs) and the
    web pages (search, entities, status, changes) until interrupted.

    Read-only unless TRACKER_API_TOKEN is set: then POST requests that record facts need
    `Authorization: Bearer $TRACKER_API_TOKEN`. Put it behind a reverse proxy for TLS.

    Example: tracker serve --db cases.db --port 8080
    Example: TRACKER_API_TOKEN=s3cret tracker serve --host 0.0.0.0
    """
    from tracker.api import Tracker

    try:
        from tracker.server import ServerSettings
        from tracker.server.app import run
    except ImportError as error:
        raise InvalidInput(f"the server needs FastAPI and uvicorn ({error.name} is missing):"
                           f" {SERVER_EXTRA}") from None  # fmt: skip
    url = database if database is not None else state(ctx).url
    settings = ServerSettings.from_environment(url, max_batch=max_batch,
                                               time_budget_seconds=time_budget)  # fmt: skip
    with Tracker(url) as checked:  # a clear error now rather than at the first request
        checked.ensure_ready()
    mode = "writes need the token" if settings.token else "read-only"
    note(f"Serving {url or 'the default database'} on http://{host}:{port}/ ({mode})")
    run(settings, host=host, port=port, workers=workers)
