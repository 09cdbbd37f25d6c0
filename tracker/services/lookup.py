"""Finding records by the names users type: entity and authority keys, ids, source refs."""

import difflib

from sqlmodel import Session, col, select

from tracker.errors import InvalidInput, NotFound
from tracker.models import Authority, Designation, Entity, Response, Sanction, Source

SUGGESTION_COUNT = 3


def _closest(name: str, candidates: list[str]) -> list[str]:
    return difflib.get_close_matches(name, candidates, n=SUGGESTION_COUNT, cutoff=0.6)


def entity_by_key(session: Session, key: str) -> Entity:
    """The entity with this key; an unknown key names the closest existing keys."""
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
    authority = session.exec(select(Authority).where(Authority.key == key)).first()
    if authority is not None:
        return authority
    keys = list(session.exec(select(Authority.key)))
    raise NotFound("authority", key, _closest(key, keys) or sorted(keys))


def designation_by_id(session: Session, designation_id: int) -> Designation:
    designation = session.get(Designation, designation_id)
    if designation is None:
        raise NotFound("designation", str(designation_id))
    return designation


def sanction_by_id(session: Session, sanction_id: int) -> Sanction:
    sanction = session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound("sanction", str(sanction_id))
    return sanction


def response_by_id(session: Session, response_id: int) -> Response:
    response = session.get(Response, response_id)
    if response is None:
        raise NotFound("response", str(response_id))
    return response


def source_by_id(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound("source", str(source_id))
    return source


def parse_id(text: str, what: str) -> int:
    if not text.isdigit():
        raise InvalidInput(f"invalid {what} id {text!r}: expected a number")
    return int(text)
