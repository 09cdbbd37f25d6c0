"""Entities, their aliases and identifiers."""

from sqlmodel import Session, col, func, select

from tracker.enums import AliasKind, EntityKind, EventAction, SubjectType
from tracker.errors import Conflict, InvalidInput
from tracker.models import (
    IDENTIFIER_SCHEME_LENGTH,
    IDENTIFIER_VALUE_LENGTH,
    LANGUAGE_LENGTH,
    Alias,
    Entity,
    Identifier,
)
from tracker.services.events import changed_fields, record_event
from tracker.services.search_index import reindex
from tracker.validation import CountryCode, Input, Key, Name, check_length, slugify


class EntityCreate(Input):
    name: Name
    kind: EntityKind
    key: Key | None = None
    country: CountryCode = None
    description: str | None = None
    aliases: tuple[Name, ...] = ()
    identifiers: tuple[str, ...] = ()  # "SCHEME:VALUE"


class EntityEdit(Input):
    name: Name | None = None
    kind: EntityKind | None = None
    country: CountryCode = None
    description: str | None = None


def split_identifier(text: str) -> tuple[str, str]:
    """'ofac-uid:12345' -> ('ofac-uid', '12345')."""
    scheme, sep, value = text.partition(":")
    if not sep or not scheme.strip() or not value.strip():
        raise InvalidInput(f"invalid identifier {text!r}: expected SCHEME:VALUE, e.g. ofac-uid:36")
    return scheme.strip().lower(), value.strip()


def entity_record(entity: Entity) -> dict[str, str | None]:
    return {
        "key": entity.key,
        "name": entity.name,
        "kind": entity.kind.value,
        "country": entity.country,
        "description": entity.description,
    }


def add_entity(session: Session, *, data: EntityCreate, occurred_on: str | None = None) -> Entity:
    """Create an entity with its aliases and identifiers; the key defaults to a slug of the name."""
    key = data.key or slugify(data.name)
    if not key:
        raise InvalidInput(f"cannot make a key from the name {data.name!r}: give --key")
    if session.exec(select(Entity.id).where(Entity.key == key)).first() is not None:
        raise Conflict(f"entity {key!r} already exists")
    entity = Entity(
        key=key,
        name=data.name,
        kind=data.kind,
        country=data.country,
        description=data.description,
    )
    session.add(entity)
    session.flush()
    assert entity.id is not None
    record_event(
        session,
        action=EventAction.ENTITY_ADDED,
        subject_type=SubjectType.ENTITY,
        subject_id=entity.id,
        entity_id=entity.id,
        occurred_on=occurred_on,
        after={k: v for k, v in entity_record(entity).items() if v is not None},
    )
    for alias in data.aliases:
        add_alias(session, entity=entity, name=alias)
    for identifier in data.identifiers:
        scheme, value = split_identifier(identifier)
        add_identifier(session, entity=entity, scheme=scheme, value=value)
    reindex(session, [entity.id])
    return entity


def edit_entity(session: Session, *, entity: Entity, data: EntityEdit) -> dict[str, object]:
    """Change the given fields; returns the fields that changed (empty: nothing to do)."""
    proposed = data.model_dump(mode="json", exclude_unset=True)
    before, after = changed_fields(entity_record(entity), proposed)
    if not after:
        return {}
    for field in after:
        setattr(entity, field, getattr(data, field))
    session.add(entity)
    assert entity.id is not None
    record_event(
        session,
        action=EventAction.ENTITY_EDITED,
        subject_type=SubjectType.ENTITY,
        subject_id=entity.id,
        entity_id=entity.id,
        occurred_on=None,
        before=before,
        after=after,
    )
    if "name" in after:
        reindex(session, [entity.id])
    return after


def add_alias(
    session: Session,
    *,
    entity: Entity,
    name: str,
    kind: AliasKind = AliasKind.AKA,
    language: str | None = None,
    occurred_on: str | None = None,
    exist_ok: bool = False,
) -> Alias | None:
    """Add another name; an alias the entity already has is a conflict (or skipped)."""
    if not name.strip():
        raise InvalidInput("alias must not be empty")
    check_length(name, "alias")
    if language is not None and len(language) > LANGUAGE_LENGTH:
        raise InvalidInput(f"invalid language code {language!r}: e.g. es, en, zh-Hans")
    existing = session.exec(
        select(Alias).where(Alias.entity_id == entity.id, Alias.name == name)
    ).first()
    if existing is not None or name == entity.name:
        if exist_ok:
            return None
        raise Conflict(f"{entity.key!r} already has the name {name!r}")
    assert entity.id is not None
    alias = Alias(entity_id=entity.id, name=name, kind=kind, language=language)
    session.add(alias)
    session.flush()
    assert alias.id is not None
    record_event(
        session,
        action=EventAction.ALIAS_ADDED,
        subject_type=SubjectType.ALIAS,
        subject_id=alias.id,
        entity_id=entity.id,
        occurred_on=occurred_on,
        after={"name": name, "kind": kind.value, "language": language},
    )
    reindex(session, [entity.id])
    return alias


def add_identifier(session: Session, *, entity: Entity, scheme: str, value: str) -> Identifier:
    """Attach an identifier; it is unique per scheme across all entities."""
    check_length(scheme, "identifier scheme", IDENTIFIER_SCHEME_LENGTH)
    check_length(value, "identifier value", IDENTIFIER_VALUE_LENGTH)
    owner = session.exec(
        select(Entity.key)
        .join(Identifier, Identifier.entity_id == Entity.id)
        .where(Identifier.scheme == scheme, Identifier.value == value)
    ).first()
    if owner is not None:
        raise Conflict(f"identifier {scheme}:{value} already belongs to {owner!r}")
    assert entity.id is not None
    identifier = Identifier(entity_id=entity.id, scheme=scheme, value=value)
    session.add(identifier)
    session.flush()
    assert identifier.id is not None
    record_event(
        session,
        action=EventAction.IDENTIFIER_ADDED,
        subject_type=SubjectType.IDENTIFIER,
        subject_id=identifier.id,
        entity_id=entity.id,
        occurred_on=None,
        after={"scheme": scheme, "value": value},
    )
    return identifier


def list_entities(
    session: Session,
    *,
    kind: EntityKind | None = None,
    country: str | None = None,
    name: str | None = None,
    limit: int | None = None,
) -> list[Entity]:
    """Entities by key; `name` matches any part of the name or an alias, ignoring case."""
    statement = select(Entity).order_by(Entity.key)
    if kind is not None:
        statement = statement.where(Entity.kind == kind)
    if country is not None:
        statement = statement.where(Entity.country == country.upper())
    if name:
        needle = name.lower()
        aliased = select(Alias.entity_id).where(
            func.lower(Alias.name).contains(needle, autoescape=True)
        )
        statement = statement.where(
            func.lower(Entity.name).contains(needle, autoescape=True) | col(Entity.id).in_(aliased)
        )
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.exec(statement))
