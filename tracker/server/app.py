"""The FastAPI application: the routers, the limits every request is held to, and the one
`Tracker` all requests share (its engine pools connections; each call is one transaction, so
a reader sees the last committed edition, never a half-imported one)."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracker import __version__
from tracker.api import Tracker
from tracker.db import time_budget
from tracker.server import follow, match, pages, problems, read, write
from tracker.server.cache import AnswerCache
from tracker.server.settings import ServerSettings

HERE = Path(__file__).resolve().parent
DESCRIPTION = """Who has been designated or sanctioned, by whom, since when, and how the
targets and governments answered. The JSON documents are those of `tracker ... --format json`
(docs/json.md); every list comes a page at a time (`limit`, then `cursor` = `next_cursor`).
Errors are `application/problem+json`. Writes need `Authorization: Bearer TOKEN`."""


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """The server over one database. Raises `DatabaseNotReady` at once when the database is
    missing or not migrated, rather than on every request."""
    settings = settings or ServerSettings.from_environment()
    tracker = Tracker(settings.url)
    tracker.ensure_ready()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        tracker.close()

    app = FastAPI(
        title="tracker",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        responses=problems.PROBLEM_RESPONSES,
    )
    app.state.settings = settings
    app.state.tracker = tracker
    app.state.answers = AnswerCache(tracker)
    problems.install(app, pages.error_page)
    for router in (read.router, match.router, write.router, follow.router, pages.router,
                   follow.pages):  # fmt: skip
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(Limits, settings=settings)
    return app


class Limits:
    """Holds every request to the body size and the time budget of the settings.

    The body is counted as it arrives (a declared Content-Length is checked first); the time
    budget stops the request's database statements once spent (`tracker.db.time_budget`).
    """

    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.settings.max_body_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await problems.problem(413, _too_large(limit))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, _too_large(limit))
            return message

        with time_budget(self.settings.time_budget_seconds):
            await self.app(scope, counted, send)


def _too_large(limit: int) -> str:
    return f"the request body is larger than the {limit:,} bytes this server accepts"


def worker_app() -> FastAPI:
    """The app of one worker process of `tracker serve --workers N` (uvicorn's factory)."""
    return create_app(ServerSettings.of_worker())


def run(settings: ServerSettings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted (uvicorn): one process with a thread pool, or `workers`
    processes, each with its own connections, for more than one core."""
    import uvicorn

    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    os.environ.update(settings.to_environment())
    uvicorn.run(f"{__name__}:worker_app", factory=True, host=host, port=port, workers=workers)
