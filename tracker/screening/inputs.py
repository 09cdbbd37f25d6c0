"""The rows a screening is given, checked once for the API and the file reader alike: an id
and a name each, ids unique, and dates, countries, genders, kinds and identifiers that read."""

from collections.abc import Iterable

from tracker.countries import country_code
from tracker.dates import parse_optional
from tracker.enums import EntityKind
from tracker.errors import InvalidInput, InvalidValue, TrackerError
from tracker.matching.facts import QueryFacts, gender_of
from tracker.models import IDENTIFIER_VALUE_LENGTH, RECORD_ID_LENGTH
from tracker.records import ScreenQuery
from tracker.screening.records import ScreeningInput
from tracker.storable import unstorable

Row = ScreeningInput | ScreenQuery
MOST_IDENTIFIERS = 20  # per row


def checked_facts(item: Row) -> QueryFacts:
    """What a row gives besides the name, as compared: the date as ISO text, the country as
    a code, the gender as male or female; an error names what does not read."""
    texts = [item.birth_date or "", item.country or "", item.gender or "", item.kind or "",
             *item.identifiers]  # fmt: skip
    for text in texts:
        if (problem := unstorable(text)) is not None:
            raise InvalidValue(problem)
    try:
        born = parse_optional(item.birth_date.strip() if item.birth_date else None)
    except TrackerError as error:
        raise InvalidValue(f"date of birth {item.birth_date!r}: {error}") from None
    country = country_code(item.country) if item.country and item.country.strip() else None
    gender = gender_of(item.gender) if item.gender and item.gender.strip() else None
    if item.gender and item.gender.strip() and gender is None:
        raise InvalidValue(f"gender {item.gender!r}: give male or female (m, f)")
    kind = None
    if item.kind and item.kind.strip():
        try:
            kind = EntityKind(item.kind.strip().casefold()).value
        except ValueError:
            kinds = ", ".join(member.value for member in EntityKind)
            raise InvalidValue(f"kind {item.kind!r}: give one of {kinds}") from None
    identifiers = tuple(dict.fromkeys(text.strip() for text in item.identifiers if text.strip()))
    if len(identifiers) > MOST_IDENTIFIERS:
        raise InvalidValue(f"{len(identifiers)} identifiers; at most {MOST_IDENTIFIERS}")
    if any(len(text) > IDENTIFIER_VALUE_LENGTH for text in identifiers):
        raise InvalidValue(f"an identifier longer than {IDENTIFIER_VALUE_LENGTH} characters")
    return QueryFacts(born, country, gender, kind, identifiers)


def checked_input(item: Row, where: str) -> ScreeningInput:
    """One row as stored: trimmed, its facts as `checked_facts` reads them."""
    if isinstance(item, ScreenQuery):
        item = ScreeningInput(item.id or "", item.name, item.birth_date, item.country,
                              item.gender, item.kind, item.identifiers)  # fmt: skip
    key, name = item.id.strip(), item.name.strip()
    if not key:
        raise InvalidInput(f"{where}: no id (every row needs one: its id is what decisions name)")
    if len(key) > RECORD_ID_LENGTH:
        raise InvalidInput(f"{where}: the id is too long (at most {RECORD_ID_LENGTH} characters)")
    if not name:
        raise InvalidInput(f"{where}: id {key!r} has no name to screen")
    for text in (key, name):
        if (problem := unstorable(text)) is not None:
            raise InvalidInput(f"{where}: {problem}")
    try:
        facts = checked_facts(item)
    except TrackerError as error:
        raise InvalidInput(f"{where}: {error}") from None
    return ScreeningInput(key, name, facts.birth_date, facts.country, facts.gender, facts.kind,
                          facts.identifiers)  # fmt: skip


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
