"""Finding records by the names users type: entity and authority keys, ids, source refs."""

import difflib
from typing import TypeVar

from sqlmodel import Session, col, select

from tracker.errors import InvalidValue, NotFound
from tracker.models import Authority, Designation, Entity, Response, Sanction, Source
from tracker.storable import unstorable

SUGGESTION_COUNT = 3
Record = TypeVar("Record", Designation, Sanction, Response, Source)


def _closest(name: str, candidates: list[str]) -> list[str]:
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
    raise NotFound("entity", key, _closest(key, keys))


def authority_by_key(session: Session, key: str) -> Authority:
    _storable_key(key, "authority")
    authority = session.exec(select(Authority).where(Authority.key == key)).first()
    if authority is not None:
        return authority
    keys = list(session.exec(select(Authority.key)))
    raise NotFound("authority", key, _closest(key, keys) or sorted(keys))


def by_id(session: Session, model: type[Record], record_id: int) -> Record:
    """The designation, sanction, response or source with this id, or a NotFound naming it."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(str(model.__tablename__), str(record_id))
    return record


def parse_id(text: str, what: str) -> int:
    if not text.isdigit():
        raise InvalidValue(f"invalid {what} id {text!r}: expected a number")
    return int(text)
