"""Dump and restore: the whole database as portable, versioned JSON lines.

A dump is a header line (format, version, schema revision, tables), one line per row of every
table in foreign-key order (events and import runs included), and an end line with each
table's row count, so a truncated or edited dump is refused instead of half-restored. Values
are JSON: text, numbers, JSON columns as they are, timestamps as ISO 8601 in UTC. Nothing in it
is engine-specific, so a dump moves a database from SQLite to PostgreSQL and back.
"""

import datetime as dt
import gzip
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from tracker import __version__, migrations
from tracker.batching import batched
from tracker.db import reset_id_sequences
from tracker.errors import Conflict, InvalidInput
from tracker.services.core import insert_rows

FORMAT = "tracker-dump"
VERSION = 1
BATCH = 2_000
STDIO = Path("-")


@dataclass
class DumpSummary:
    revision: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list[sa.Table]:
    """Every table, parents before children (the order rows are written and restored)."""
    return list(SQLModel.metadata.sorted_tables)


@contextmanager
def open_text(path: Path, mode: str) -> Iterator[IO[str]]:
    """A text stream: standard input/output for '-', gzip for *.gz, else a UTF-8 file. A
    file that cannot be opened or written is an error of one line naming it."""
    if path == STDIO:
        yield sys.stdout if "w" in mode else sys.stdin
        return
    try:
        if path.suffix == ".gz":
            with gzip.open(path, mode + "t", encoding="utf-8") as handle:
                yield handle
        else:
            with path.open(mode, encoding="utf-8", newline="\n") as handle:
                yield handle
    except OSError as error:
        action = "write" if "w" in mode else "read"
        raise InvalidInput(f"cannot {action} {path}: {error.strerror or error}") from error


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    return value


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def dump(connection: Connection, path: Path) -> DumpSummary:
    """Write every row of every table to `path`, read in one consistent transaction."""
    summary = DumpSummary(revision=migrations.head_revision())
    with open_text(path, "w") as out:
        out.write(
            _line(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "revision": summary.revision,
                    "tracker": __version__,
                    "tables": [table.name for table in tables()],
                }
            )
        )
        for table in tables():
            count = 0
            query = sa.select(table).order_by(*table.primary_key.columns)
            for row in connection.execution_options(yield_per=BATCH).execute(query).mappings():
                values = {name: _to_json(value) for name, value in row.items()}
                out.write(_line({"table": table.name, "row": values}))
                count += 1
            summary.counts[table.name] = count
        out.write(_line({"end": True, "counts": summary.counts}))
    return summary


@dataclass
class _Reader:
    """The dump's lines as records, with the line number for error messages."""

    name: str
    handle: IO[str]
    number: int = 0

    def records(self) -> Iterator[dict[str, Any]]:
        for number, text in enumerate(self.handle, start=1):
            self.number = number
            try:
                record = json.loads(text)
            except ValueError as error:
                raise self.error("not valid JSON") from error
            if not isinstance(record, dict):
                raise self.error("expected a JSON object")
            yield record

    def error(self, message: str) -> InvalidInput:
        return InvalidInput(f"{self.name}: line {self.number}: {message}")


def _check_header(reader: _Reader, header: dict[str, Any] | None) -> str:
    """The dump's schema revision: this tracker's, or an older one it can migrate from."""
    if header is None or header.get("format") != FORMAT:
        raise InvalidInput(f"{reader.name}: not a tracker dump (no '{FORMAT}' header)")
    if header.get("version") != VERSION:
        raise InvalidInput(
            f"{reader.name}: dump format version {header.get('version')!r} is not supported"
            f" (this tracker reads version {VERSION})"
        )
    revision = header.get("revision")
    if revision not in {info.revision for info in migrations.history()}:
        raise InvalidInput(
            f"{reader.name}: the dump is at schema revision {revision}, which this tracker"
            f" does not know (it needs {migrations.head_revision()}): restore it with the"
            " tracker that wrote it"
        )
    return str(revision)


def dump_revision(path: Path) -> str:
    """The schema revision a dump was written at (read from its header line)."""
    with open_text(path, "r") as handle:
        reader = _Reader(str(path), handle)
        return _check_header(reader, next(reader.records(), None))


def is_empty(connection: Connection) -> bool:
    """No table of this tracker's schema that the database has (at whatever revision)
    holds a row."""
    present = set(sa.inspect(connection).get_table_names())
    return not any(
        connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
        for table in tables()
        if table.name in present
    )


def _ensure_empty(connection: Connection, found: list[sa.Table]) -> None:
    for table in found:
        count = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        if count:
            raise Conflict(
                f"the database is not empty ({table.name} has {count} rows):"
                " restore needs a new, empty database"
            )


def _row_values(reader: _Reader, table: sa.Table, row: Any) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise reader.error("expected a 'row' object")
    unknown = set(row) - {column.name for column in table.columns}
    if unknown:
        raise reader.error(f"unknown column {sorted(unknown)[0]!r} in table {table.name!r}")
    values = {column.name: row.get(column.name) for column in table.columns}
    for column in table.columns:
        value = values[column.name]
        if isinstance(column.type, sa.DateTime) and isinstance(value, str):
            try:
                values[column.name] = dt.datetime.fromisoformat(value)
            except ValueError as error:
                raise reader.error(f"{table.name}.{column.name}: invalid timestamp") from error
    return values


def _tables_at(connection: Connection, revision: str) -> list[sa.Table]:
    """The tables as the database holds them: this tracker's models at head, else what an
    older revision made (read from the database itself)."""
    if revision == migrations.head_revision():
        return tables()
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return [table for table in metadata.sorted_tables if table.name != "alembic_version"]


def restore(connection: Connection, path: Path, *, replace: bool = False) -> DumpSummary:
    """Load a dump into the empty database on `connection` (migrated to the dump's revision),
    in its transaction; with `replace`, every row it holds is deleted first."""
    name = "standard input" if path == STDIO else str(path)
    with open_text(path, "r") as handle:
        reader = _Reader(name, handle)
        records = reader.records()
        revision = _check_header(reader, next(records, None))
        found = _tables_at(connection, revision)
        by_name = {table.name: table for table in found}
        if replace:
            for table in reversed(found):  # children before the parents they point at
                connection.execute(table.delete())
        _ensure_empty(connection, found)
        summary = DumpSummary(revision, dict.fromkeys(by_name, 0))
        ended: dict[str, Any] | None = None

        def rows() -> Iterator[tuple[sa.Table, dict[str, Any]]]:
            nonlocal ended
            for record in records:
                if ended is not None:
                    raise reader.error("data after the end line")
                if record.get("end") is True:
                    ended = record
                    continue
                table = by_name.get(record.get("table", ""))
                if table is None:
                    raise reader.error(f"unknown table {record.get('table')!r}")
                yield table, _row_values(reader, table, record.get("row"))

        for batch in batched(rows(), BATCH):
            for table, group in _by_table(batch):
                insert_rows(connection, table, group)
                summary.counts[table.name] = summary.counts.get(table.name, 0) + len(group)
        if ended is None:
            raise InvalidInput(f"{name}: the dump ends early (no end line): refusing it")
        expected = ended.get("counts")
        # A table the dump does not name (one a tool left out) must be empty to agree.
        named = expected if isinstance(expected, dict) else {}
        read = {table: count for table, count in summary.counts.items() if count or table in named}
        if expected != read:
            raise InvalidInput(
                f"{name}: the row counts differ from the dump's end line"
                f" (read {read}, expected {expected})"
            )
    reset_id_sequences(connection, found)
    return summary


def _by_table(
    batch: list[tuple[sa.Table, dict[str, Any]]],
) -> Iterator[tuple[sa.Table, list[dict[str, Any]]]]:
    """Consecutive rows of one table, in file order (so parents go in before children)."""
    current: sa.Table | None = None
    group: list[dict[str, Any]] = []
    for table, values in batch:
        if table is not current and group:
            assert current is not None
            yield current, group
            group = []
        current = table
        group.append(values)
    if group:
        assert current is not None
        yield current, group
