"""The rows a screening is given, checked once for the API and the file reader alike: an id
and a name each, ids unique, dates and countries that read."""

from collections.abc import Iterable

from tracker.countries import country_code
from tracker.dates import parse_optional
from tracker.errors import InvalidInput, TrackerError
from tracker.models import RECORD_ID_LENGTH
from tracker.records import ScreenQuery
from tracker.screening.records import ScreeningInput
from tracker.storable import unstorable

Row = ScreeningInput | ScreenQuery


def checked_input(item: Row, where: str) -> ScreeningInput:
    """One row as stored: trimmed, its date of birth as ISO text, its country as a code."""
    if isinstance(item, ScreenQuery):
        item = ScreeningInput(item.id or "", item.name)
    key, name = item.id.strip(), item.name.strip()
    if not key:
        raise InvalidInput(f"{where}: no id (every row needs one: its id is what decisions name)")
    if len(key) > RECORD_ID_LENGTH:
        raise InvalidInput(f"{where}: the id is too long (at most {RECORD_ID_LENGTH} characters)")
    if not name:
        raise InvalidInput(f"{where}: id {key!r} has no name to screen")
    for text in (key, name, item.birth_date or "", item.country or ""):
        if (problem := unstorable(text)) is not None:
            raise InvalidInput(f"{where}: {problem}")
    try:
        born = parse_optional(item.birth_date.strip() if item.birth_date else None)
    except TrackerError as error:
        raise InvalidInput(f"{where}: date of birth {item.birth_date!r}: {error}") from None
    try:
        country = country_code(item.country) if item.country and item.country.strip() else None
    except TrackerError as error:
        raise InvalidInput(f"{where}: {error}") from None
    return ScreeningInput(key, name, born, country)


def checked_inputs(rows: Iterable[Row]) -> list[ScreeningInput]:
    """Every row checked; an id given twice is refused (which row would a decision name?)."""
    seen: dict[str, int] = {}
    checked: list[ScreeningInput] = []
    for position, item in enumerate(rows, start=1):
        row = checked_input(item, f"row {position}")
        if row.id in seen:
            raise InvalidInput(f"row {position}: id {row.id!r} again (first in row {seen[row.id]})")
        seen[row.id] = position
        checked.append(row)
    if not checked:
        raise InvalidInput("nothing to screen: no rows")
    return checked
