"""JSON, the structured form of every result: the records of `tracker.records` as they are,
field for field (dates as ISO text, timestamps in ISO 8601, tuples as lists), under a
`schema_version` and a `kind`. See docs/json.md."""

import dataclasses
import datetime as dt
import json
from enum import Enum
from typing import Any

SCHEMA_VERSION = 2


def jsonable(value: Any) -> Any:
    """A record (or anything holding records) as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
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


def document(kind: str, data: Any, **meta: Any) -> dict[str, Any]:
    """`{"schema_version", "kind", **meta, **fields}`: a record's own fields, or a list of
    records under the key `kind`."""
    body = jsonable(data)
    if not isinstance(body, dict):
        body = {kind: body}
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **jsonable(meta), **body}


def to_json(kind: str, data: Any, **meta: Any) -> str:
    return json.dumps(document(kind, data, **meta), ensure_ascii=False, indent=2) + "\n"


def to_json_line(data: Any) -> str:
    """One record on one line (JSON lines: `tracker screen`)."""
    return json.dumps(jsonable(data), ensure_ascii=False) + "\n"
