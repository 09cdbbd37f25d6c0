"""POST /api/match: a batch of query records answered with ranked hits per query, as
yente's /match does. A listed identifier given in a query is decisive: the party holding it
comes first whatever its names."""

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tracker.dates import as_of_day
from tracker.enums import EntityKind
from tracker.errors import InvalidValue
from tracker.records import DEFAULT_THRESHOLD, Filters, ScreenQuery, SearchHit
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
        Field(max_length=20, description='"SCHEME:VALUE", e.g. "imo:9187629".'),
    ] = []


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
    day = as_of_day(body.as_of)
    by_name = _name_hits(db, body, day)
    results = []
    for index, query in enumerate(body.queries):
        hits = _merged(_identifier_hits(db, query, body, day), by_name[index], body.limit)
        results.append({"id": query.id, "name": query.name, "hits": hits})
    return json_document("match", {"results": results}, as_of=day, threshold=body.threshold)


def _name_hits(db: Db, body: MatchRequest, day: str) -> list[list[SearchHit]]:
    """Each query's hits by name: the queries of any kind in one screening pass (one
    snapshot), those restricted to a kind by a search each."""
    found: list[list[SearchHit]] = [[] for _ in body.queries]
    plain = [i for i, query in enumerate(body.queries) if query.kind is None]
    screening = db.screen(
        (ScreenQuery(body.queries[i].name, str(i)) for i in plain),
        limit=body.limit,
        threshold=body.threshold,
        active_only=body.active_only,
        as_of=day,
    )
    for result in screening:
        found[int(result.query.id or 0)] = list(result.hits)
    for i, query in enumerate(body.queries):
        if query.kind is not None:
            found[i] = db.search(
                query.name,
                limit=body.limit,
                threshold=body.threshold,
                filters=Filters(kind=query.kind.value),
                active_only=body.active_only,
                as_of=day,
            )
    return found


def _identifier_hits(db: Db, query: MatchQuery, body: MatchRequest, day: str) -> list[Any]:
    hits: list[SearchHit] = []
    for identifier in query.identifiers:
        hits += db.search(
            identifier=identifier,
            filters=Filters(kind=query.kind.value if query.kind else None),
            active_only=body.active_only,
            as_of=day,
        )
    return hits


def _merged(first: list[SearchHit], then: list[SearchHit], limit: int) -> list[SearchHit]:
    """Identifier hits, then name hits of other parties, best first, at most `limit`."""
    seen: set[str] = set()
    merged = []
    for hit in [*first, *then]:
        if hit.entity.key not in seen:
            seen.add(hit.entity.key)
            merged.append(hit)
    return merged[:limit]
