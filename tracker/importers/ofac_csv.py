"""OFAC's legacy CSV family: sdn.csv / cons_prim.csv with alt, add and comments files beside.

No header row, `-0-` for an empty field, programs joined by `] [`, CRLF and a trailing Ctrl-Z
byte. The files carry no publish date: the caller supplies it. The primary file is streamed;
the alias, address and comment files (a few MB at most) are read into memory by entry number.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from tracker.enums import AliasKind, EntityKind
from tracker.errors import InvalidInput
from tracker.importers import specs
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing

PRIMARY_COLUMNS = 12
EMPTY = "-0-"
KINDS = {
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    "": EntityKind.ORGANIZATION,
}
ALIAS_KINDS = {"fka": AliasKind.FKA, "nka": AliasKind.AKA, "aka": AliasKind.AKA}
ADDRESS_FIELDS = ("address", "city", "country", "remarks")
VESSEL_FIELDS = ["call_sign", "vessel_type", "tonnage", "gross_registered_tonnage", "flag", "owner"]
# Companion files by the primary file's name: (aliases, addresses, comments).
COMPANIONS = {
    "sdn.csv": ("alt.csv", "add.csv", "sdn_comments.csv"),
    "cons_prim.csv": ("cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
}


def value(cell: str) -> str:
    cell = cell.strip()
    return "" if cell == EMPTY else cell


def _decoded(path: Path, handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text, naming the exact line that is not UTF-8."""
    for number, raw in enumerate(handle, start=1):
        if b"\x00" in raw:
            raise InvalidInput(f"{path}: line {number}: contains a NUL byte (not a text file?)")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"{path}: line {number}: not UTF-8 text") from error


def rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a legacy CSV file, checking the column count of every row."""
    with path.open("rb") as handle:
        reader = csv.reader(_decoded(path, handle))
        try:
            for cells in reader:
                if not cells or cells == ["\x1a"] or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != columns:
                    raise InvalidInput(
                        f"{path}: line {reader.line_num}: expected {columns} columns,"
                        f" found {len(cells)}"
                    )
                yield reader.line_num, cells
        except csv.Error as error:
            raise InvalidInput(
                f"{path}: line {reader.line_num}: malformed CSV ({error})"
            ) from error


def _by_entry(path: Path | None, columns: int) -> dict[str, list[list[str]]]:
    grouped: dict[str, list[list[str]]] = defaultdict(list)
    if path is None or not path.exists():
        return grouped
    for _, cells in rows(path, columns):
        grouped[cells[0].strip()].append(cells)
    return grouped


def _companions(primary: Path) -> tuple[Path | None, Path | None, Path | None]:
    names = COMPANIONS.get(primary.name.lower())
    if names is None:
        return None, None, None
    paths = [primary.with_name(name) for name in names]
    return paths[0], paths[1], paths[2]


def family(path: Path) -> tuple[Path, ...]:
    """The file and the companion files read with it (a changed alias file is a new
    edition: the edition's sha256 is taken over all of them)."""
    companions = COMPANIONS.get(path.name.lower(), ())
    return (path, *(p for name in companions if (p := path.with_name(name)).exists()))


def read(path: Path, *, list_code: str, published_on: str | None) -> Edition:
    """Read the CSV family around `path`; entries stream from the primary file."""
    if published_on is None:
        raise InvalidInput(f"{path}: OFAC CSV files carry no publish date: give --published DATE")
    alt_path, add_path, comments_path = _companions(path)
    aliases = _by_entry(alt_path, 5)
    addresses = _by_entry(add_path, 6)
    comments = _by_entry(comments_path, 2)
    return Edition(
        format="ofac-csv",
        spec=specs.OFAC,
        list_code=list_code,
        published_on=published_on,
        declared_count=None,
        files=family(path),
        parties=_parties(path, aliases, addresses, comments),
        official_url=specs.ofac_url("CONS_PRIM.CSV" if list_code == "CONS" else "SDN.CSV"),
    )


def _parties(
    path: Path,
    aliases: dict[str, list[list[str]]],
    addresses: dict[str, list[list[str]]],
    comments: dict[str, list[list[str]]],
) -> Iterator[ListedParty]:
    for line, cells in rows(path, PRIMARY_COLUMNS):
        number = cells[0].strip()
        if not number.isdecimal():
            raise InvalidInput(f"{path}: line {line}: entry number {number!r} is not a number")
        name, sdn_type, program_field, title = (value(c) for c in cells[1:5])
        details: dict[str, Any] = {}
        if title:
            details["title"] = title
        vessel = {k: value(c) for k, c in zip(VESSEL_FIELDS, cells[5:11], strict=True)}
        if any(vessel.values()):
            details["vessel"] = {k: v for k, v in vessel.items() if v}
        remarks = value(cells[11]) + "".join(value(row[1]) for row in comments.get(number, []))
        if remarks:
            details["remarks"] = remarks
        listed_addresses = [
            {k: value(c) for k, c in zip(ADDRESS_FIELDS, row[2:6], strict=True)}
            for row in addresses.get(number, [])
        ]
        if listed_addresses:
            details["addresses"] = [{k: v for k, v in a.items() if v} for a in listed_addresses]
        yield ListedParty(
            identifier=number,
            name=name,
            kind=KINDS.get(sdn_type.lower(), EntityKind.OTHER),
            listings=tuple(
                Listing(p.strip("[] ")) for p in program_field.split("] [") if p.strip("[] ")
            ),
            aliases=tuple(
                ListedAlias(value(row[3]), ALIAS_KINDS.get(value(row[2]).lower(), AliasKind.AKA))
                for row in aliases.get(number, [])
                if value(row[3])
            ),
            details=details,
            line=line,
        )
