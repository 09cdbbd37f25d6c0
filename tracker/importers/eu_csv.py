"""The EU Financial Sanctions Files, CSV 1.0 (`;`-separated, 59 columns).

One row per name, address, birth, identity or citizenship record of a target, grouped by the
target's `Entity_logical_id`. Each record carries the regulation that listed it (`*_leba_*`);
the earliest publication date among a target's regulations is when the EU listed it.

Copies re-saved by a spreadsheet wrap each whole line in quotes (doubling the quotes inside),
pad it with TABs and mangle the first header cell (`Date_filexxxx`): such a line is unwrapped
and read again. Encoded UTF-8, or Windows-1252 as in older files; runs of whitespace (TABs
inside names) are made one space.
"""

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracker.enums import EntityKind
from tracker.errors import InvalidInput
from tracker.importers import files, specs
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing

DATE_FIELD = "Date_file"
LIST_CODE = "FSF"
KINDS = {"P": EntityKind.PERSON, "E": EntityKind.ORGANIZATION}
REQUIRED = ("Entity_logical_id", "Subject_type", "Programme", "Naal_wholename")
# Sub-record columns, by prefix, and the key each record list becomes in `details`.
RECORDS = {
    "Addr_": ("addresses", ("number", "street", "zipcode", "city", "country", "other")),
    "Birt_": ("births", ("date", "place", "country")),
    "Iden_": ("identity_documents", ("number", "country")),
    "Citi_": ("citizenships", ("country",)),
}


def _decoded(path: Path) -> Iterator[str]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if b"\x00" in raw:
                raise InvalidInput(f"{path}: line {number}: a binary file, not an EU list")
            yield _decode(raw)


def _decode(raw: bytes) -> str:
    """UTF-8; else Windows-1252, which the "Latin-1" of these files really is (its 0x92 is
    an apostrophe); else Latin-1, which reads any byte."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each row, a spreadsheet's whole-line wrapping undone."""
    reader = csv.reader(_decoded(path), delimiter=";")
    for cells in files.checked_rows(reader, path):
        if len(cells) == 1 and ";" in cells[0]:
            wrapped = csv.reader([cells[0].rstrip("\t")], delimiter=";")
            cells = next(files.checked_rows(wrapped, path))
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            yield reader.line_num, [" ".join(cell.split()) for cell in cells]


def _date(text: str, where: str, pattern: str = "%Y-%m-%d") -> str | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, pattern).date().isoformat()
    except ValueError as error:
        raise InvalidInput(f"{where}: unreadable date {text!r}") from error


def read(path: Path, *, list_code: str | None = None, published_on: str | None = None) -> Edition:
    """Read the header and the file's date (`Date_file` of the first row), then gather the
    rows by target."""
    files.head(path)
    rows = _rows(path)
    _, header = next(rows, (1, []))
    if not header or not header[0].startswith("Date_file"):
        raise InvalidInput(f"{path}: not an EU Financial Sanctions File (no Date_file header)")
    header[0] = "Date_file"
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(f"{path}: line 1: the header lacks {', '.join(missing)}")
    first = next(rows, None)
    if first is None:
        raise InvalidInput(f"{path}: the file has a header and no rows")
    published = _date(first[1][0], f"{path}: line {first[0]}: Date_file", "%d/%m/%Y")
    return Edition(
        format="eu-csv",
        spec=specs.EU,
        list_code=list_code or LIST_CODE,
        published_on=files.publish_date(path, published, published_on, DATE_FIELD),
        declared_count=None,
        files=(path,),
        official_url=specs.EU_URL,
        parties=_parties(path, header, first, rows),
    )


def _parties(
    path: Path, header: list[str], first: tuple[int, list[str]], rows: Iterator[Any]
) -> Iterator[ListedParty]:
    # Columns by name; a repeated name (Entity_logical_id) is the target's, its first.
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, cells in (first, *rows):
        if len(cells) > len(header):
            raise InvalidInput(
                f"{path}: line {line}: {len(cells)} fields where the header has {len(header)}"
            )
        cells += [""] * (len(header) - len(cells))
        row = {name: cells[i] for name, i in index.items()}
        target = row["Entity_logical_id"]
        if not target:
            raise InvalidInput(f"{path}: line {line}: no Entity_logical_id")
        groups.setdefault(target, []).append((line, row))
    for target, group in groups.items():
        yield _party(path, target, group)


def _party(path: Path, target: str, rows: list[tuple[int, dict[str, str]]]) -> ListedParty:
    line = rows[0][0]
    names = list(dict.fromkeys(row["Naal_wholename"] for _, row in rows if row["Naal_wholename"]))
    if not names:
        raise InvalidInput(f"{path}: line {line}: target {target} has no name")
    regulations: dict[str, tuple[str | None, str]] = {}
    for row_line, row in rows:
        for prefix in ("Leba_", "Naal_leba_", "Addr_leba_", "Birt_leba_", "Iden_leba_",
                       "Citi_leba_"):  # fmt: skip
            title = row.get(f"{prefix}numtitle", "")
            if title:
                day = _date(row.get(f"{prefix}publication_date", ""), f"{path}: line {row_line}")
                regulations.setdefault(title, (day, row.get(f"{prefix}url", "")))
    programmes = list(dict.fromkeys(row["Programme"] for _, row in rows if row["Programme"]))
    days = sorted(day for day, _ in regulations.values() if day)
    first_regulation = min(regulations, key=lambda t: regulations[t][0] or "9999", default=None)
    details: dict[str, Any] = {
        "regulations": sorted(regulations),
        "eu_reference": sorted({row["EU_ref_num"] for _, row in rows if row.get("EU_ref_num")}),
        "remarks": sorted({row["Entity_remark"] for _, row in rows if row.get("Entity_remark")}),
    }
    for prefix, (key, columns) in RECORDS.items():
        records = {
            tuple((column, row[f"{prefix}{column}"]) for column in columns
                  if row.get(f"{prefix}{column}"))
            for _, row in rows
        } - {()}  # fmt: skip
        if records:
            details[key] = [dict(record) for record in sorted(records)]
    functions = sorted({row["Naal_function"] for _, row in rows if row.get("Naal_function")})
    if functions:
        details["functions"] = functions
    return ListedParty(
        identifier=target,
        name=names[0],
        kind=KINDS.get(rows[0][1]["Subject_type"].upper(), EntityKind.OTHER),
        listings=tuple(
            Listing(programme, listed_on=days[0] if days else None, legal_basis=first_regulation)
            for programme in programmes or ["EU"]
        ),
        aliases=tuple(ListedAlias(alias) for alias in names[1:]),
        details={key: value for key, value in details.items() if value},
        line=line,
    )
