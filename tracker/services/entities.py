"""Entities, their aliases and identifiers: written in bulk (`add_entities`), whether one is
typed by hand or thousands come from a list, so both are recorded in the same shape."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.batching import in_chunks
from tracker.enums import AliasKind, EntityKind, EventAction, SubjectType
from tracker.errors import INSIST, Conflict, InvalidInput, InvalidValue, NotFound
from tracker.models import (
    IDENTIFIER_SCHEME_LENGTH,
    IDENTIFIER_VALUE_LENGTH,
    LANGUAGE_LENGTH,
    Alias,
    Entity,
    Identifier,
    Source,
    utc_now,
)
from tracker.services.core import core, insert_returning_ids, insert_rows
from tracker.services.events import changed_fields, event_row, insert_events, present, record_event
from tracker.services.lookup import closest
from tracker.services.search_index import forget_alias, reindex
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


@dataclass(frozen=True)
class NewAlias:
    name: str
    kind: AliasKind = AliasKind.AKA
    language: str | None = None
    script: str | None = None

    def record(self) -> dict[str, Any]:
        return present(
            {
                "name": self.name,
                "kind": self.kind.value,
                "language": self.language,
                "script": self.script,
            }
        )


@dataclass(frozen=True)
class NewEntity:
    """An entity to record, with the names and identifiers it comes with."""

    key: str
    name: str
    kind: EntityKind
    country: str | None = None
    description: str | None = None
    aliases: tuple[NewAlias, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, value)

    def row(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind.value,
            "country": self.country,
            "description": self.description,
        }


def split_identifier(text: str) -> tuple[str, str]:
    """'ofac-uid:12345' -> ('ofac-uid', '12345')."""
    scheme, sep, value = text.partition(":")
    if not sep or not scheme.strip() or not value.strip():
        raise InvalidValue(f"invalid identifier {text!r}: expected SCHEME:VALUE, e.g. ofac-uid:36")
    return scheme.strip().lower(), value.strip()


def entity_record(entity: Entity) -> dict[str, str | None]:
    return {
        "key": entity.key,
        "name": entity.name,
        "kind": EntityKind(entity.kind).value,
        "country": entity.country,
        "description": entity.description,
    }


def add_entities(
    *,
    session: Session,
    entities: Sequence[NewEntity],
    source_id: int | None = None,
    import_run_id: int | None = None,
    occurred_on: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> list[int]:
    """Insert entities with their aliases and identifiers, one `entity-added` event each
    (naming its aliases and identifiers), and index their names; their ids, in order."""
    if not entities:
        return []
    connection = core(session)
    table = Entity.__table__  # type: ignore[attr-defined]
    ids = insert_returning_ids(
        connection, table, [{**entity.row(), "source_id": source_id} for entity in entities]
    )
    aliases = [
        (entity_id, alias)
        for entity_id, entity in zip(ids, entities, strict=True)
        for alias in _new_names(entity.aliases, {entity.name})
    ]
    _insert_aliases(connection, aliases, source_id)
    identifiers = [
        {"entity_id": entity_id, "scheme": scheme, "value": value, "source_id": source_id}
        for entity_id, entity in zip(ids, entities, strict=True)
        for scheme, value in entity.identifiers
    ]
    if identifiers:
        insert_rows(connection, Identifier.__table__, identifiers)  # type: ignore[attr-defined]
    when = recorded_at or utc_now()
    events = []
    for entity_id, entity in zip(ids, entities, strict=True):
        after: dict[str, Any] = present(entity.row())
        if entity.aliases:
            after["aliases"] = [a.record() for a in _new_names(entity.aliases, {entity.name})]
        if entity.identifiers:
            after["identifiers"] = [{"scheme": s, "value": v} for s, v in entity.identifiers]
        events.append(
            event_row(
                action=EventAction.ENTITY_ADDED,
                subject_type=SubjectType.ENTITY,
                subject_id=entity_id,
                entity_id=entity_id,
                occurred_on=occurred_on,
                after=after,
                source_id=source_id,
                import_run_id=import_run_id,
                recorded_at=when,
            )
        )
    insert_events(session=session, events=events)
    reindex(session, ids)
    return ids


def _new_names(aliases: Sequence[NewAlias], taken: set[str]) -> list[NewAlias]:
    """The aliases, each name once (a list may give one name as aka and fka), none of them a
    name the entity already goes by."""
    seen = set(taken)
    unique = []
    for alias in aliases:
        if alias.name not in seen:
            seen.add(alias.name)
            unique.append(alias)
    return unique


def _insert_aliases(
    connection: sa.Connection, aliases: Sequence[tuple[int, NewAlias]], source_id: int | None
) -> list[int]:
    if not aliases:
        return []
    table = Alias.__table__  # type: ignore[attr-defined]
    rows = [
        {
            "entity_id": entity_id,
            "name": alias.name,
            "kind": alias.kind.value,
            "language": alias.language,
            "script": alias.script,
            "source_id": source_id,
        }
        for entity_id, alias in aliases
    ]
    return insert_returning_ids(connection, table, rows)


def add_aliases(
    *,
    session: Session,
    aliases: Sequence[tuple[int, NewAlias]],
    source_id: int | None = None,
    import_run_id: int | None = None,
    recorded_at: dt.datetime | None = None,
    occurred_on: str | None = None,
    log: bool = True,
) -> None:
    """Give entities names they do not have yet (their own name and aliases are skipped).

    `log=False` leaves out the `alias-added` events, for an import whose entry amendment
    already records the names that changed.
    """
    connection = core(session)
    entity_ids = {entity_id for entity_id, _ in aliases}
    taken: dict[int, set[str]] = {entity_id: set() for entity_id in entity_ids}
    for chunk in in_chunks(entity_ids):
        for entity_id, name in connection.execute(
            sa.select(Entity.id, Entity.name).where(col(Entity.id).in_(chunk))
        ):
            taken[entity_id].add(name)
        for entity_id, name in connection.execute(
            sa.select(Alias.entity_id, Alias.name).where(col(Alias.entity_id).in_(chunk))
        ):
            taken[entity_id].add(name)
    new = []
    for entity_id, alias in aliases:
        if alias.name not in taken[entity_id]:
            taken[entity_id].add(alias.name)
            new.append((entity_id, alias))
    alias_ids = _insert_aliases(connection, new, source_id)
    if log:
        when = recorded_at or utc_now()
        insert_events(
            session=session,
            events=[
                event_row(
                    action=EventAction.ALIAS_ADDED,
                    subject_type=SubjectType.ALIAS,
                    subject_id=alias_id,
                    entity_id=entity_id,
                    occurred_on=occurred_on,
                    after=alias.record(),
                    source_id=source_id,
                    import_run_id=import_run_id,
                    recorded_at=when,
                )
                for alias_id, (entity_id, alias) in zip(alias_ids, new, strict=True)
            ],
        )
    reindex(session, {entity_id for entity_id, _ in new})


def add_identifiers(
    *,
    session: Session,
    identifiers: Sequence[tuple[int, str, str]],
    source_id: int | None = None,
    import_run_id: int | None = None,
    recorded_at: dt.datetime | None = None,
) -> None:
    """Attach identifiers (entity id, scheme, value), each with its event."""
    if not identifiers:
        return
    table = Identifier.__table__  # type: ignore[attr-defined]
    ids = insert_returning_ids(
        core(session),
        table,
        [
            {"entity_id": e, "scheme": s, "value": v, "source_id": source_id}
            for e, s, v in identifiers
        ],
    )
    when = recorded_at or utc_now()
    insert_events(
        session=session,
        events=[
            event_row(
                action=EventAction.IDENTIFIER_ADDED,
                subject_type=SubjectType.IDENTIFIER,
                subject_id=identifier_id,
                entity_id=entity_id,
                occurred_on=None,
                after={"scheme": scheme, "value": value},
                source_id=source_id,
                import_run_id=import_run_id,
                recorded_at=when,
            )
            for identifier_id, (entity_id, scheme, value) in zip(ids, identifiers, strict=True)
        ],
    )


def add_entity(
    *,
    session: Session,
    data: EntityCreate,
    occurred_on: str | None = None,
    allow_duplicate: bool = False,
) -> Entity:
    """Create an entity with its aliases and identifiers; the key defaults to a slug of the
    name (transliterated: "Хезболла" -> "khezbolla"). One of the same kind and name under
    another key is a conflict naming it, unless `allow_duplicate` (two people can share a
    name)."""
    key = data.key or slugify(data.name)
    if not key:
        raise InvalidInput(f"cannot make a key from the name {data.name!r}: give --key")
    if session.exec(select(Entity.id).where(Entity.key == key)).first() is not None:
        raise Conflict(f"entity {key!r} already exists: see `tracker entity show {key}`")
    if not allow_duplicate:
        namesake = session.exec(
            select(Entity.key).where(Entity.name == data.name, Entity.kind == data.kind)
        ).first()
        if namesake is not None:
            raise Conflict(
                f"{data.kind.value} {data.name!r} already exists as {namesake!r}:"
                f" see `tracker entity show {namesake}`; {INSIST}"
            )
    identifiers = tuple(dict.fromkeys(split_identifier(text) for text in data.identifiers))
    for scheme, value in identifiers:
        _check_identifier(session, scheme, value)
    for alias in data.aliases:
        check_length(alias, "alias")
    [entity_id] = add_entities(
        session=session,
        entities=[
            NewEntity(
                key=key,
                name=data.name,
                kind=data.kind,
                country=data.country,
                description=data.description,
                aliases=tuple(NewAlias(alias) for alias in data.aliases),
                identifiers=identifiers,
            )
        ],
        occurred_on=occurred_on,
    )
    entity = session.get(Entity, entity_id)
    assert entity is not None
    return entity


def edit_entity(*, session: Session, entity: Entity, data: EntityEdit) -> dict[str, object]:
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
        session=session,
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
    *,
    session: Session,
    entity: Entity,
    name: str,
    kind: AliasKind = AliasKind.AKA,
    language: str | None = None,
    occurred_on: str | None = None,
    exist_ok: bool = False,
) -> bool:
    """Add another name; one the entity already goes by is a conflict (or, with `exist_ok`,
    skipped). True when the name was added."""
    if not name.strip():
        raise InvalidInput("alias must not be empty")
    check_length(name, "alias")
    if language is not None and len(language) > LANGUAGE_LENGTH:
        raise InvalidInput(f"invalid language code {language!r}: e.g. es, en, zh-Hans")
    existing = session.exec(
        select(Alias.id).where(Alias.entity_id == entity.id, Alias.name == name)
    ).first()
    if existing is not None or name == entity.name:
        if exist_ok:
            return False
        raise Conflict(f"{entity.key!r} already has the name {name!r}")
    assert entity.id is not None
    add_aliases(
        session=session,
        aliases=[(entity.id, NewAlias(name, kind, language))],
        occurred_on=occurred_on,
    )
    return True


def remove_alias(*, session: Session, entity: Entity, name: str) -> Alias:
    """Take a name off an entity, with an `alias-removed` event holding what it was. A name
    an imported edition gave stays while the list says it (the next edition would differ
    from the database for no reason the list gave)."""
    alias = session.exec(
        select(Alias).where(Alias.entity_id == entity.id, Alias.name == name)
    ).first()
    if alias is None:
        known = list(session.exec(select(Alias.name).where(Alias.entity_id == entity.id)))
        raise NotFound(f"alias of {entity.key}", name, closest(name, known))
    source = session.get(Source, alias.source_id) if alias.source_id else None
    if source is not None and source.sha256 is not None:
        raise Conflict(
            f"{name!r} comes from the edition {source.title!r} (source {source.id}):"
            " an imported name stays while the list gives it"
        )
    assert entity.id is not None
    assert alias.id is not None
    record_event(
        session=session,
        action=EventAction.ALIAS_REMOVED,
        subject_type=SubjectType.ALIAS,
        subject_id=alias.id,
        entity_id=entity.id,
        occurred_on=None,
        before=present({"name": alias.name, "kind": AliasKind(alias.kind).value,
                        "language": alias.language}),
    )  # fmt: skip
    forget_alias(session, alias.id)
    session.delete(alias)
    session.flush()
    return alias


def _check_identifier(session: Session, scheme: str, value: str) -> None:
    """An identifier fits its columns and belongs to no entity yet (unique per scheme)."""
    check_length(scheme, "identifier scheme", IDENTIFIER_SCHEME_LENGTH)
    check_length(value, "identifier value", IDENTIFIER_VALUE_LENGTH)
    owner = session.exec(
        select(Entity.key)
        .join(Identifier, Identifier.entity_id == Entity.id)
        .where(Identifier.scheme == scheme, Identifier.value == value)
    ).first()
    if owner is not None:
        raise Conflict(f"identifier {scheme}:{value} already belongs to {owner!r}")


def add_identifier(*, session: Session, entity: Entity, scheme: str, value: str) -> None:
    """Attach an identifier; it is unique per scheme across all entities."""
    _check_identifier(session, scheme, value)
    assert entity.id is not None
    add_identifiers(session=session, identifiers=[(entity.id, scheme, value)])
