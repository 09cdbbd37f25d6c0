"""JSON, the structured form of every result: the records of `tracker.records` as they are,
field for field (dates as ISO text, timestamps in ISO 8601, tuples as lists), under a
`schema_version` and a `kind`. See docs/json.md."""

import dataclasses
import datetime as dt
import json
from enum import Enum
from typing import Any

import orjson

SCHEMA_VERSION = 2
# Plain values are themselves in JSON: the common case, checked first.
PLAIN = frozenset({str, int, float, bool, type(None)})
ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_OMIT_MICROSECONDS
    | orjson.OPT_NAIVE_UTC
)  # fmt: skip
_field_names: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...] | None:
    """A record type's field names (None for anything else), looked up once per type."""
    names = _field_names.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _field_names[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return names


def jsonable(value: Any) -> Any:
    """A record (or anything holding records) as JSON-ready values."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if (names := _fields(kind)) is not None:
        return {name: jsonable(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.isoformat(timespec="seconds")
    if isinstance(value, Enum):
        return value.value
    return value


def record_fields(record: Any) -> dict[str, Any]:
    """One record as a JSON object, to write as it is or with keys of its own beside it."""
    fields = jsonable(record)
    assert isinstance(fields, dict), f"not a record: {type(record).__name__}"
    return fields


def document(kind: str, data: Any, **meta: Any) -> dict[str, Any]:
    """`{"schema_version", "kind", **meta, **fields}`: a record's own fields, or a list of
    records under the key `kind`."""
    body = jsonable(data)
    if not isinstance(body, dict):
        body = {kind: body}
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **jsonable(meta), **body}


def to_json(kind: str, data: Any, **meta: Any) -> str:
    """`document(...)` as text, indented by two spaces. orjson writes the records themselves
    as `jsonable` makes them (fields in order, enums as values, timestamps to the second, a
    naive one in UTC) and the text `json.dumps(..., indent=2, ensure_ascii=False)` would (but
    for exponents: 1e-7, not 1e-07), in a tenth of the time: the standard library indents in
    pure Python, and both walked every record of a large status report twice."""
    body = {f: getattr(data, f) for f in names} if (names := _fields(type(data))) else data
    if not isinstance(body, dict):
        body = {kind: body}
    whole = {"schema_version": SCHEMA_VERSION, "kind": kind, **meta, **body}
    return orjson.dumps(whole, default=jsonable, option=ORJSON_OPTIONS).decode() + "\n"


def to_json_line(data: Any) -> str:
    """One record on one line (JSON lines: `tracker screen`)."""
    return json.dumps(jsonable(data), ensure_ascii=False) + "\n"
