"""A file of parties to screen: a CSV with a header, a column of names and optionally columns
of ids, dates of birth, countries, genders, kinds and identifiers (several to a cell, split
by ";"); or, for a screen not remembered, a text file of one name per line. Every row is
checked before anything is screened, so a bad file writes nothing."""

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path

from tracker.errors import InvalidInput, InvalidValue, TrackerError
from tracker.records import ScreenQuery
from tracker.screening.inputs import checked_facts, checked_input
from tracker.screening.records import ScreeningInput


@dataclass(frozen=True)
class Columns:
    """The CSV columns holding each field (None: not in the file). The names: the column
    given, else `name` if the header has it, else the first column."""

    name: str | None = None
    id: str | None = None
    birth_date: str | None = None
    country: str | None = None
    gender: str | None = None
    kind: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowsFile:
    file_name: str
    sha256: str
    rows: tuple[ScreeningInput, ...]


def read_queries(path: Path, columns: Columns) -> Iterator[ScreenQuery]:
    """The names to screen, each with its line number as its id; rows with no name are
    skipped. A text file (any suffix but .csv) holds one name per line."""
    text = file_text(path)
    if path.suffix.lower() != ".csv":
        if columns != Columns():
            raise InvalidValue(f"{path}: columns need a CSV file with a header")
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield ScreenQuery(line.strip(), str(number))
        return
    for line, query in _csv_queries(path, text, columns):
        if query.name:
            try:
                checked_facts(query)
            except TrackerError as error:
                raise InvalidInput(f"{path}: line {line}: {error}") from None
            yield replace(query, id=str(line))


def read_rows(path: Path, columns: Columns) -> RowsFile:
    """The rows of a CSV to remember, each under its id (`columns.id`); errors name the
    line."""
    assert columns.id is not None
    if path.suffix.lower() != ".csv":
        file_text(path)  # a missing or binary file says so first
        raise InvalidInput(f"{path}: a remembered screening reads a CSV with a header")
    rows: list[ScreeningInput] = []
    first_line: dict[str, int] = {}
    for line, query in _csv_queries(path, file_text(path), columns):
        where = f"{path}: line {line}"
        if not query.id:
            raise InvalidInput(f"{where}: no {columns.id!r} (every row needs an id)")
        row = checked_input(query, where)
        if row.id in first_line:
            raise InvalidInput(f"{where}: id {row.id!r} again (first on line {first_line[row.id]})")
        first_line[row.id] = line
        rows.append(row)
    if not rows:
        raise InvalidInput(f"{path}: no rows to screen")
    return RowsFile(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), tuple(rows))


def _csv_queries(path: Path, text: str, columns: Columns) -> Iterator[tuple[int, ScreenQuery]]:
    """(line, query) for each row that is not blank, the fields as the file gives them."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise InvalidInput(f"{path}: empty CSV file")
    name = columns.name or ("name" if "name" in header else header[0])
    wanted = {f.name: getattr(columns, f.name) for f in fields(Columns) if f.name != "identifiers"}
    wanted["name"] = name
    for column in [*wanted.values(), *columns.identifiers]:
        if column is not None and column not in header:
            raise InvalidInput(f"{path}: no column {column!r} (columns: {', '.join(header)})")
    index = {field: header.index(column) for field, column in wanted.items() if column}
    identifier_index = [header.index(column) for column in columns.identifiers]
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        given = {field: cells[i].strip() if i < len(cells) else "" for field, i in index.items()}
        identifiers = tuple(
            part.strip()
            for i in identifier_index
            if i < len(cells)
            for part in cells[i].split(";")
            if part.strip()
        )
        yield (
            reader.line_num,
            ScreenQuery(
                given["name"],
                given.get("id") or None,
                birth_date=given.get("birth_date") or None,
                country=given.get("country") or None,
                gender=given.get("gender") or None,
                kind=given.get("kind") or None,
                identifiers=identifiers,
            ),
        )


def file_text(path: Path) -> str:
    """A file's text: UTF-8 (with or without a BOM); a missing or binary file is an error."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise InvalidInput(f"{path}: a binary file, not a CSV or a list of names")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(f"{path}: line {bad_line}: not UTF-8 text") from error
