"""The server's JSON: the documents `--format json` writes (`tracker.reports.json`), so a
script reading the CLI and a client of the API see one schema. The models here only
describe those documents in the OpenAPI schema; the bodies come from the records themselves.
"""

import dataclasses
from typing import Any, Literal, get_type_hints

from fastapi.responses import JSONResponse
from pydantic import BaseModel, create_model

from tracker.reports.json import document


class Paged(BaseModel):
    next_cursor: str | None  # pass as `cursor` for the next page; null on the last
    total: int  # items in the whole list, over every page


def record_fields(record_type: type, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A dataclass's fields as pydantic field definitions (all required: `null` is sent)."""
    hints = get_type_hints(record_type)
    return {
        field.name: (hints[field.name], ...)
        for field in dataclasses.fields(record_type)
        if field.name not in skip
    }


def document_model(
    name: str, kind: str, fields: dict[str, Any], *, paged: bool = False
) -> type[BaseModel]:
    """The schema of one document: `schema_version`, `kind`, then its fields."""
    return create_model(  # type: ignore[call-overload, no-any-return]
        name,
        __base__=Paged if paged else None,
        schema_version=(int, ...),
        kind=(Literal[kind], ...),
        **fields,
    )


def record_document(name: str, kind: str, record_type: type) -> type[BaseModel]:
    """A document whose fields are one record's (an entity profile, a report)."""
    return document_model(name, kind, record_fields(record_type))


def list_document(
    name: str, kind: str, item_type: type, *, key: str | None = None, **meta: Any
) -> type[BaseModel]:
    """A page of records under `key` (default: the kind), with the cursor to the next page."""
    items = {key or kind: (list[item_type], ...)}  # type: ignore[valid-type]
    return document_model(name, kind, {**items, **meta}, paged=True)


def one_document(name: str, kind: str, record_type: type) -> type[BaseModel]:
    """One record under its kind: `{"kind": "designation", "designation": {...}}`."""
    return document_model(name, kind, {kind: (record_type, ...)})


def json_document(kind: str, data: Any, *, status_code: int = 200, **meta: Any) -> JSONResponse:
    return JSONResponse(document(kind, data, **meta), status_code=status_code)
