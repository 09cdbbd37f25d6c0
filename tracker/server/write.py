"""Recording facts over HTTP: an entity, a designation, an official response. Each needs the
operator's bearer token and is one transaction, as on the command line; a duplicate is a 409
naming the record already there unless `allow_duplicate`."""

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tracker.enums import EntityKind, Stance
from tracker.records import DesignationRecord, EntityRecord, ResponseRecord
from tracker.server.deps import Db, Writer
from tracker.server.documents import json_document, one_document

router = APIRouter(prefix="/api", tags=["recording"], dependencies=[Writer])

Short = Annotated[str, Field(min_length=1, max_length=200)]
Long = Annotated[str, Field(min_length=1, max_length=5000)]
Date = Annotated[str, Field(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Sources = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=2000)]],
    Field(max_length=20, description="URLs (recorded once) or ids of recorded sources."),
]
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or a wrong bearer token"},
    403: {"description": "The server is read-only"},
    409: {"description": "The same record is already there"},
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewEntity(Strict):
    name: Short
    kind: EntityKind
    key: Short | None = None
    country: Short | None = None
    description: Long | None = None
    aliases: Annotated[list[Short], Field(max_length=100)] = []
    identifiers: Annotated[list[Short], Field(max_length=100)] = []
    allow_duplicate: bool = False


class NewDesignation(Strict):
    entity: Short
    authority: Short
    list: Short
    program: Short | None = None
    basis: Short | None = None
    announced: Date | None = None
    effective: Date | None = None
    reason: Long | None = None
    sources: Sources = []
    allow_duplicate: bool = False


class NewResponse(Strict):
    by: Short
    about: Annotated[str, Field(min_length=1, max_length=400, description="entity:KEY ...")]
    stance: Stance
    on: Date
    summary: Long
    sources: Sources = []
    allow_duplicate: bool = False


@router.post(
    "/entities",
    status_code=201,
    summary="Record an entity",
    response_model=one_document("EntityRecorded", "entity", EntityRecord),
    responses=WRITE_ERRORS,
)
def add_entity(db: Db, body: NewEntity) -> Any:
    record = db.add_entity(**body.model_dump())
    return json_document("entity", {"entity": record}, status_code=201)


@router.post(
    "/designations",
    status_code=201,
    summary="Record a designation",
    response_model=one_document("DesignationRecorded", "designation", DesignationRecord),
    responses=WRITE_ERRORS,
)
def designate(db: Db, body: NewDesignation) -> Any:
    fields = body.model_dump()
    record = db.designate(fields.pop("entity"), **fields)
    return json_document("designation", {"designation": record}, status_code=201)


@router.post(
    "/responses",
    status_code=201,
    summary="Record an official response",
    response_model=one_document("ResponseRecorded", "response", ResponseRecord),
    responses=WRITE_ERRORS,
)
def respond(db: Db, body: NewResponse) -> Any:
    record = db.respond(**body.model_dump())
    return json_document("response", {"response": record}, status_code=201)
