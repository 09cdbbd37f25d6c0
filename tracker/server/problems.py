"""Errors as `application/problem+json` (RFC 9457): a status and one clear line, never a
stack trace. A `TrackerError` maps to the status its kind means over HTTP."""

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response

from tracker.errors import (
    Conflict,
    DatabaseBusy,
    DatabaseNotReady,
    InvalidInput,
    NotFound,
    OutOfTime,
    TrackerError,
)

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger("tracker.server")


class Problem(BaseModel):
    """An error (RFC 9457): `detail` is one line saying what was wrong."""

    type: str
    title: str
    status: int
    detail: str


# Documented on every operation: any 4xx or 5xx answer is a problem.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "description": text,
        "model": Problem,
        "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for code, text in (("4XX", "A bad request, as a problem"), ("5XX", "A server problem"))
}

# The most specific class first: InvalidValue is an InvalidInput.
STATUS_OF_ERROR: tuple[tuple[type[TrackerError], int], ...] = (
    (InvalidInput, 400),
    (NotFound, 404),
    (Conflict, 409),
    (DatabaseBusy, 503),
    (DatabaseNotReady, 503),
    (OutOfTime, 503),
)
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Invalid request",
    500: "Server error",
    503: "Service unavailable",
    504: "Took too long",
}


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail}  # fmt: skip
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def status_of(error: TrackerError) -> int:
    return next((status for kind, status in STATUS_OF_ERROR if isinstance(error, kind)), 500)


def validation_detail(error: RequestValidationError) -> str:
    """The first complaint as one line: where, and what was wrong ("query.limit: ...")."""
    first: dict[str, Any] = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "request"
    return f"{where}: {first.get('msg', 'invalid')}"


# How a page (not /api/) shows an error: request, status, title, detail.
ErrorPage = Callable[[Request, int, str, str], Response]


def install(app: FastAPI, error_page: ErrorPage) -> None:
    """Every error the app can meet, answered as a problem (or, for a page, as a page)."""

    def answer(request: Request, status: int, detail: str, headers: Any = None) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return problem(status, detail, headers)
        return error_page(request, status, TITLES.get(status, "Error"), detail)

    @app.exception_handler(TrackerError)
    async def tracker_error(request: Request, error: TrackerError) -> Response:
        return answer(request, status_of(error), str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return answer(request, 422, validation_detail(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return answer(request, error.status_code, str(error.detail), error.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error", exc_info=error)
        return answer(request, 500, "the server met an unexpected error (it is logged)")
