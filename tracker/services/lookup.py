"""Finding records by the names users type: entity and authority keys, ids, and references
to a designation or sanction by what it is (`cartel-de-los-soles/us-state/FTO`), so that a
mistyped id cannot silently hit another row."""

import difflib
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from tracker.errors import InvalidValue, NotFound
from tracker.models import Authority, Designation, Entity, Response, Sanction, Source
from tracker.status import ENDED_DESIGNATION
from tracker.storable import unstorable

SUGGESTION_COUNT = 3
Record = TypeVar("Record", Designation, Sanction, Response, Source)


def closest(name: str, candidates: list[str]) -> list[str]:
    return difflib.get_close_matches(name, candidates, n=SUGGESTION_COUNT, cutoff=0.6)


def _storable_key(key: str, what: str) -> None:
    """A key no database can hold is refused before the driver fails to send it."""
    if (problem := unstorable(key)) is not None:
        raise InvalidValue(f"{what} key {key!r} {problem}")


def entity_by_key(session: Session, key: str) -> Entity:
    """The entity with this key; an unknown key names the closest existing keys."""
    _storable_key(key, "entity")
    entity = session.exec(select(Entity).where(Entity.key == key)).first()
    if entity is not None:
        return entity
    # Narrow the candidates in SQL so a large database is not read whole for a typo.
    prefix = key[:2]
    keys = list(
        session.exec(select(Entity.key).where(col(Entity.key).startswith(prefix)).limit(20_000))
    )
    if not keys:
        keys = list(session.exec(select(Entity.key).limit(20_000)))
    raise NotFound("entity", key, closest(key, keys))


def authority_by_key(session: Session, key: str) -> Authority:
    _storable_key(key, "authority")
    authority = session.exec(select(Authority).where(Authority.key == key)).first()
    if authority is not None:
        return authority
    keys = list(session.exec(select(Authority.key)))
    raise NotFound("authority", key, closest(key, keys) or sorted(keys))


MAX_ID = 2**31 - 1


def by_id(session: Session, model: type[Record], record_id: int) -> Record:
    """The designation, sanction, response or source with this id, or a NotFound naming it."""
    # Ids are 32-bit integers on PostgreSQL: a larger number names nothing (and must not
    # reach the server, which would refuse it as out of range).
    record = session.get(model, record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        raise NotFound(str(model.__tablename__), str(record_id))
    return record


def designation_by_ref(session: Session, ref: str) -> Designation:
    """The designation an id or `KEY[/AUTHORITY[/LIST[/PROGRAM]]]` names: the one match, or
    the one match not yet ended; several are an error listing them."""
    ended = {status.value for status in ENDED_DESIGNATION}
    return _by_ref(session, Designation, ref, "LIST", Designation.list_code, ended)


def sanction_by_ref(session: Session, ref: str) -> Sanction:
    """The sanction an id or `KEY[/AUTHORITY[/MEASURE[/PROGRAM]]]` names: the one match, or
    the one match not yet lifted; several are an error listing them."""
    return _by_ref(session, Sanction, ref, "MEASURE", Sanction.measure, {"lifted"})


Listing = TypeVar("Listing", Designation, Sanction)


def _by_ref(
    session: Session,
    model: type[Listing],
    ref: str,
    third: str,
    third_column: Any,
    ended: set[str],
) -> Listing:
    """A designation or sanction by id, or by entity key / authority / `third` / program."""
    what = str(model.__tablename__)
    if (problem := unstorable(ref)) is not None:
        raise InvalidValue(f"{what} {ref!r} {problem}")
    if ref.isdecimal():  # not isdigit(): "²" is a digit int() refuses
        return by_id(session, model, int(ref))
    parts = ref.split("/", 3)  # the program, last, may itself hold slashes
    if not all(parts):
        form = f"KEY/AUTHORITY/{third}/PROGRAM"
        raise InvalidValue(f"invalid {what} {ref!r}: give its id or {form} (the first parts)")
    key, authority, value, program = [*parts, "", "", ""][:4]
    statement = select(model).where(model.entity_id == entity_by_key(session, key).id)
    if authority:
        statement = statement.where(model.authority_id == authority_by_key(session, authority).id)
    if value:
        statement = statement.where(third_column == value)
    if program:
        statement = statement.where(model.program == program)
    found = list(session.exec(statement.order_by(col(model.id))))
    current = [row for row in found if row.status not in ended]
    if len(found) == 1:
        return found[0]
    if len(current) == 1:
        return current[0]
    if not found:
        raise NotFound(what, ref)
    authorities = dict(session.exec(select(Authority.id, Authority.key)).all())
    listed = ", ".join(
        f"{row.id} ({authorities[row.authority_id]} {getattr(row, third_column.key)}"
        f"{' ' + row.program if row.program else ''}, {row.status})"
        for row in found
    )
    raise InvalidValue(f"{ref!r} matches {len(found)} {what}s: {listed}; give one's id")
