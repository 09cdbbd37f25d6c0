"""HM Treasury's Consolidated List of Financial Sanctions Targets, the legacy CSV layout
(`sanctionsconlist.csv`, used until 2022).

Line 1 is `Last Updated,DD/MM/YYYY`, line 2 the header. Each row is one name of a target (and
one date of birth of it); the rows of one target share a `Group ID`, in any order. Encoded
Windows-1252 (a UTF-8 line is read as UTF-8). The "Other Information" of a row often names the
target's UN reference ("UN Ref QDi.430"): that is a cross-reference to the UN list.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from tracker.enums import AliasKind, EntityKind
from tracker.errors import InvalidInput
from tracker.importers import files, specs
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing

DATE_FIELD = "Last Updated"
LIST_CODE = "CONLIST"
HEADER_START = "Name 6"
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Listed On", "Group ID")
GIVEN_NAMES = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
KINDS = {"individual": EntityKind.PERSON, "entity": EntityKind.ORGANIZATION,
         "ship": EntityKind.VESSEL}  # fmt: skip
ALIAS_KINDS = {"fka": AliasKind.FKA}
ADDRESS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6",
           "Post/Zip Code", "Country")  # fmt: skip
# Facts of a target that may differ between its rows, and the key each becomes in details.
FACTS = {
    "Title": "titles",
    "DOB": "dates_of_birth",
    "Town of Birth": "towns_of_birth",
    "Country of Birth": "countries_of_birth",
    "Nationality": "nationalities",
    "Passport Details": "passports",
    "NI Number": "ni_numbers",
    "Position": "positions",
    "Other Information": "other_information",
}
UN_REFERENCE = re.compile(r"\bUN\s*Ref\w*\s*[:.]?\s*([A-Za-z]{2})([IiEe])\.(\d{3})\b")


def _lines(path: Path) -> Iterator[str]:
    """Decoded lines: Windows-1252 as the list is published, UTF-8 where a line is valid
    UTF-8 (a re-saved copy). A line neither can read is an error naming it."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if b"\x00" in raw:
                raise InvalidInput(f"{path}: line {number}: a binary file, not a UK list")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield raw.decode("cp1252")
                except UnicodeDecodeError as error:
                    raise InvalidInput(
                        f"{path}: line {number}: neither Windows-1252 nor UTF-8 ({error.reason})"
                    ) from error


def _date(text: str, where: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    day = _iso(text)
    if day is None:
        raise InvalidInput(f"{where}: unreadable date {text!r} (expected DD/MM/YYYY)")
    return day


@cache  # a list repeats its dates thousands of times; strptime is slow
def _iso(text: str) -> str | None:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def read(path: Path, *, list_code: str | None = None, published_on: str | None = None) -> Edition:
    """Read the date line and the header, then gather the rows by Group ID."""
    files.head(path)
    reader = csv.reader(_lines(path))
    rows = files.checked_rows(reader, path)
    first = next(rows, [])
    if len(first) < 2 or first[0].strip().lstrip("\ufeff") != "Last Updated":
        raise InvalidInput(
            f"{path}: not a UK consolidated list (line 1 is not 'Last Updated,DD/MM/YYYY')"
        )
    published = _date(first[1], f"{path}: line 1")
    header = [cell.strip() for cell in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(f"{path}: line 2: the header lacks {', '.join(missing)}")
    return Edition(
        format="uk-csv",
        spec=specs.UK,
        list_code=list_code or LIST_CODE,
        published_on=files.publish_date(path, published, published_on, DATE_FIELD),
        declared_count=None,
        files=(path,),
        official_url=specs.UK_URL,
        parties=_parties(path, reader, rows, header),
    )


def _parties(
    path: Path, reader: Any, rows: Iterator[list[str]], header: list[str]
) -> Iterator[ListedParty]:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        if len(cells) != len(header):
            raise InvalidInput(
                f"{path}: line {line}: {len(cells)} fields where the header has {len(header)}"
            )
        row = {name: " ".join(cell.split()) for name, cell in zip(header, cells, strict=True)}
        group = row["Group ID"]
        if not group:
            raise InvalidInput(f"{path}: line {line}: no Group ID")
        groups.setdefault(group, []).append((line, row))
    for group, rows in groups.items():
        yield _party(path, group, rows)


def _name(row: dict[str, str]) -> str:
    parts = [row.get(given, "") for given in GIVEN_NAMES] + [row["Name 6"]]
    return " ".join(part for part in parts if part)


def _party(path: Path, group: str, rows: list[tuple[int, dict[str, str]]]) -> ListedParty:
    line, primary = next(
        ((line, row) for line, row in rows if row["Alias Type"].lower() == "prime alias"), rows[0]
    )
    name = _name(primary)
    if not name:
        raise InvalidInput(f"{path}: line {line}: group {group} has no name")
    aliases = [
        ListedAlias(alias, ALIAS_KINDS.get(row["Alias Type"].lower(), AliasKind.AKA))
        for _, row in rows
        if (alias := _name(row)) and alias != name
    ]
    listed_on: dict[str, str | None] = {}
    for row_line, row in rows:
        regime = row["Regime"] or "UK"
        day = _date(row["Listed On"], f"{path}: line {row_line}")
        earlier = listed_on.get(regime)
        listed_on[regime] = min(d for d in (earlier, day) if d) if earlier or day else None
    details: dict[str, Any] = {"group_type": primary["Group Type"]}
    for column, key in FACTS.items():
        values = sorted({row[column] for _, row in rows if row.get(column)})
        if values:
            details[key] = values
    addresses = sorted({
        ", ".join(row[column] for column in ADDRESS if row.get(column)) for _, row in rows
    } - {""})  # fmt: skip
    if addresses:
        details["addresses"] = addresses
    updated = [_date(row.get("Last Updated", ""), f"{path}: line {n}") for n, row in rows]
    if any(updated):
        details["last_updated"] = max(day for day in updated if day)
    kind = KINDS.get(primary["Group Type"].lower(), EntityKind.OTHER)
    # A UN reference names an individual (QDi.) or an entity (QDe.): one of the other kind in
    # a row's text is about someone else (an emir of al-Qaida "UN Ref QDe.004").
    un_kind = "i" if kind == EntityKind.PERSON else "e"
    references = [
        ("un-ref", f"{letters.upper()}{un_kind}.{number}")
        for text in details.get("other_information", [])
        for letters, ref_kind, number in UN_REFERENCE.findall(text)
        if ref_kind.lower() == un_kind
    ]
    return ListedParty(
        identifier=group,
        name=name,
        kind=kind,
        listings=tuple(Listing(regime, listed_on=day) for regime, day in listed_on.items()),
        aliases=tuple(aliases),
        details=details,
        cross_references=tuple(dict.fromkeys(references)),
        line=line,
    )
