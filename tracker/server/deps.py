"""What every route asks for: the database, the page wanted, the filters, the write token."""

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BeforeValidator, StringConstraints

from tracker.api import Tracker
from tracker.enums import EntityKind
from tracker.records import Filters
from tracker.server.cache import AnswerCache
from tracker.server.settings import ServerSettings


def settings(request: Request) -> ServerSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def tracker(request: Request) -> Tracker:
    return request.app.state.tracker  # type: ignore[no-any-return]


def answers(request: Request) -> AnswerCache:
    return request.app.state.answers  # type: ignore[no-any-return]


Db = Annotated[Tracker, Depends(tracker)]
Answers = Annotated[AnswerCache, Depends(answers)]
Settings = Annotated[ServerSettings, Depends(settings)]


@dataclass(frozen=True)
class PageRequest:
    limit: int
    cursor: str | None


def page_request(
    config: Settings,
    limit: Annotated[int | None, Query(ge=1, description="Items per page.")] = None,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageRequest:
    if limit is not None and limit > config.max_page:
        raise HTTPException(400, f"limit: at most {config.max_page} items per page")
    return PageRequest(limit or config.default_page, cursor)


PageWanted = Annotated[PageRequest, Depends(page_request)]


def _blank_is_absent(value: object) -> object:
    """A form's empty field (`?as_of=&kind=`) means the parameter was not given."""
    return None if value == "" else value


Absent = BeforeValidator(_blank_is_absent)
Short = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[Short | None, Absent, Query()]
# A name to search for (the search box's maxlength).
SearchText = Annotated[Annotated[str, StringConstraints(max_length=500)] | None, Absent, Query()]

KindQuery = Annotated[EntityKind | None, Absent, Query()]


def filters(
    authority: Text = None,
    list: Annotated[Short | None, Absent, Query(alias="list")] = None,
    program: Text = None,
    country: Text = None,
    kind: KindQuery = None,
) -> Filters:
    """The report filters of the CLI's --authority, --list, --program, --country, --kind."""
    return Filters(authority, list, program, country, kind.value if kind else None)


Chosen = Annotated[Filters, Depends(filters)]

Day = Annotated[
    Annotated[str, StringConstraints(max_length=10)] | None,
    Absent,
    Query(
        description="A date: YYYY, YYYY-MM or YYYY-MM-DD (a partial date: its first day).",
    ),
]


def require_token(request: Request, config: Settings) -> None:
    """Writes need the operator's bearer token; with none set the server is read-only."""
    if config.token is None:
        raise HTTPException(403, "this server is read-only (its operator set no TRACKER_API_TOKEN)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), config.token.encode()
    ):
        raise HTTPException(
            401, "a valid bearer token is needed to write", {"WWW-Authenticate": "Bearer"}
        )


Writer = Depends(require_token)
