"""A file of parties to screen and remember: a CSV with a header, a column of ids and one of
names (and optionally dates of birth and countries). Every row is checked before anything is
screened, so a bad file writes nothing."""

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import InvalidInput
from tracker.screening.inputs import checked_input
from tracker.screening.records import ScreeningInput


@dataclass(frozen=True)
class RowsFile:
    file_name: str
    sha256: str
    rows: tuple[ScreeningInput, ...]


def read_rows(
    path: Path,
    *,
    id_column: str,
    name_column: str | None = None,
    birth_date_column: str | None = None,
    country_column: str | None = None,
) -> RowsFile:
    """The rows of a CSV (names from `name_column`, else `name`, else the first column);
    errors name the line."""
    text = _text(path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise InvalidInput(f"{path}: empty CSV file")
    wanted = {
        "id": id_column,
        "name": name_column or ("name" if "name" in header else header[0]),
        "birth_date": birth_date_column,
        "country": country_column,
    }
    index: dict[str, int] = {}
    for field, column in wanted.items():
        if column is None:
            continue
        if column not in header:
            raise InvalidInput(f"{path}: no column {column!r} (columns: {', '.join(header)})")
        index[field] = header.index(column)
    rows: list[ScreeningInput] = []
    first_line: dict[str, int] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {f: cells[i].strip() if i < len(cells) else "" for f, i in index.items()}
        where = f"{path}: line {reader.line_num}"
        if not values["id"]:
            raise InvalidInput(f"{where}: no {id_column!r} (every row needs an id)")
        given = ScreeningInput(values["id"], values["name"], values.get("birth_date") or None,
                               values.get("country") or None)  # fmt: skip
        row = checked_input(given, where)
        if row.id in first_line:
            raise InvalidInput(f"{where}: id {row.id!r} again (first on line {first_line[row.id]})")
        first_line[row.id] = reader.line_num
        rows.append(row)
    if not rows:
        raise InvalidInput(f"{path}: no rows to screen")
    return RowsFile(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), tuple(rows))


def _text(path: Path) -> str:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.suffix.lower() != ".csv":
        raise InvalidInput(f"{path}: a remembered screening reads a CSV with a header")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise InvalidInput(f"{path}: a binary file, not a CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(f"{path}: line {bad_line}: not UTF-8 text") from error
