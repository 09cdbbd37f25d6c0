"""POST /api/match: a batch of query records answered with ranked hits per query, as
yente's /match does. A listed identifier given in a query is decisive: the party holding it
comes first whatever its names; a date of birth, country or gender that contradicts what the
lists state lowers a hit's score (`tracker.matching.facts`)."""

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tracker.config import DEFAULT_THRESHOLD
from tracker.dates import as_of_day
from tracker.enums import EntityKind
from tracker.errors import InvalidValue, TrackerError
from tracker.records import Filters, ScreenQuery, SearchHit
from tracker.screening.inputs import checked_facts
from tracker.server.deps import Db, Settings
from tracker.server.documents import document_model, json_document

router = APIRouter(prefix="/api", tags=["screening"])


class MatchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str | None, Field(max_length=200, description="Yours, echoed back.")] = None
    name: Annotated[str, Field(min_length=1, max_length=500)]
    kind: EntityKind | None = None  # only parties of this kind
    identifiers: Annotated[
        list[Annotated[str, Field(min_length=3, max_length=200)]],
        Field(
            max_length=20,
            description='A number the lists give the party ("A1234567": passport, tax,'
            ' registration, IMO...) or a list reference "SCHEME:VALUE" ("imo:9187629",'
            ' "ofac-uid:12345"): decisive, the holder is a match whatever its names.',
        ),
    ] = []
    birth_date: Annotated[
        str | None,
        Field(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD; a contradiction lowers"
              " the score."),
    ] = None  # fmt: skip
    country: Annotated[
        str | None,
        Field(max_length=100, description="A code or a name; a contradiction lowers the score."),
    ] = None
    gender: Annotated[
        str | None,
        Field(max_length=10, description="male or female; a contradiction lowers the score."),
    ] = None


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    queries: Annotated[list[MatchQuery], Field(min_length=1)]
    limit: Annotated[int, Field(ge=1, le=100, description="Hits per query.")] = 3
    threshold: Annotated[float, Field(ge=0, le=1)] = DEFAULT_THRESHOLD
    active_only: bool = False
    as_of: Annotated[str | None, Field(max_length=10)] = None


class MatchResult(BaseModel):
    id: str | None
    name: str
    hits: list[SearchHit]


MatchDocument = document_model(
    "MatchDocument",
    "match",
    {
        "as_of": (str, ...),
        "threshold": (float, ...),
        "results": (list[MatchResult], ...),
    },
)


@router.post(
    "/match",
    summary="Screen a batch of names (and identifiers) against the lists",
    response_model=MatchDocument,
)
def match(db: Db, config: Settings, body: MatchRequest) -> Any:
    if len(body.queries) > config.max_batch:
        raise InvalidValue(f"queries: {len(body.queries)} in one batch; at most {config.max_batch}")
    for position, query in enumerate(body.queries):
        try:
            checked_facts(_screen_query(str(position), query))
        except TrackerError as error:
            raise InvalidValue(f"queries.{position} (id {query.id!r}): {error}") from None
    day = as_of_day(body.as_of)
    found = _hits(db, body, day)
    results = [
        {"id": query.id, "name": query.name, "hits": hits}
        for query, hits in zip(body.queries, found, strict=True)
    ]
    return json_document("match", {"results": results}, as_of=day, threshold=body.threshold)


def _hits(db: Db, body: MatchRequest, day: str) -> list[list[SearchHit]]:
    """Each query's hits: the queries of one kind (or of any) in one screening pass (one
    snapshot each)."""
    found: list[list[SearchHit]] = [[] for _ in body.queries]
    kinds = {query.kind for query in body.queries}
    for kind in sorted(kinds, key=lambda kind: kind or ""):
        chosen = [i for i, query in enumerate(body.queries) if query.kind == kind]
        screening = db.screen(
            (_screen_query(str(i), body.queries[i]) for i in chosen),
            limit=body.limit,
            threshold=body.threshold,
            filters=Filters(kind=kind.value if kind else None),
            active_only=body.active_only,
            as_of=day,
        )
        for result in screening:
            found[int(result.query.id or 0)] = list(result.hits)
    return found


def _screen_query(position: str, query: MatchQuery) -> ScreenQuery:
    return ScreenQuery(
        query.name,
        position,
        birth_date=query.birth_date,
        country=query.country,
        gender=query.gender,
        identifiers=tuple(query.identifiers),
    )
