"""The search tables, kept in step with names: whoever writes an entity's name or an alias
(services, imports, the migration that created the tables) calls `reindex` for it in the same
transaction, so a search never re-normalises the whole table."""

from collections.abc import Collection, Iterator
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.batching import batched
from tracker.models import SEARCH_KEY_LENGTH, Alias, Entity, SearchKey, SearchName
from tracker.names import index_keys, normalize_name
from tracker.services.core import core, insert_returning_ids, insert_rows

CHUNK = 500  # entities per statement: well under SQLite's parameter limit

Executor = Session | sa.Connection


def _connection(executor: Executor) -> sa.Connection:
    return core(executor) if isinstance(executor, Session) else executor


@lru_cache(maxsize=65_536)
def _normalized(name: str) -> str:
    return normalize_name(name)


def _names(executor: Executor, entity_ids: list[int]) -> Iterator[tuple[int, int | None, str]]:
    """(entity id, alias id or None, name) for every name of these entities."""
    own = sa.select(Entity.id, sa.null(), Entity.name).where(Entity.id.in_(entity_ids))  # type: ignore[union-attr]
    aliases = sa.select(Alias.entity_id, Alias.id, Alias.name).where(
        Alias.entity_id.in_(entity_ids)  # type: ignore[attr-defined]
    )
    for row in executor.execute(sa.union_all(own, aliases)):
        yield row[0], row[1], row[2]


def reindex(executor: Executor, entity_ids: Collection[int]) -> None:
    """Rebuild the search rows of these entities from their current names and aliases."""
    executor = _connection(executor)
    for chunk in batched(sorted(set(entity_ids)), CHUNK):
        stale = sa.select(SearchName.id).where(SearchName.entity_id.in_(chunk))  # type: ignore[attr-defined]
        executor.execute(sa.delete(SearchKey).where(SearchKey.search_name_id.in_(stale)))  # type: ignore[attr-defined]
        executor.execute(sa.delete(SearchName).where(SearchName.entity_id.in_(chunk)))  # type: ignore[attr-defined]
        rows: list[dict[str, Any]] = [
            {"entity_id": entity_id, "alias_id": alias_id, "name": name,
             "normalized": _normalized(name)}
            for entity_id, alias_id, name in _names(executor, chunk)
        ]  # fmt: skip
        if not rows:
            continue
        inserted = insert_returning_ids(executor, SearchName.__table__, rows)  # type: ignore[attr-defined]
        keys = [
            {"search_name_id": name_id, "key": key[:SEARCH_KEY_LENGTH]}
            for name_id, row in zip(inserted, rows, strict=True)
            for key in index_keys(row["normalized"])
        ]
        insert_rows(executor, SearchKey.__table__, keys)  # type: ignore[attr-defined]


def forget_alias(executor: Executor, alias_id: int) -> None:
    """Drop the search rows of one alias (before the alias itself goes)."""
    executor = _connection(executor)
    rows = sa.select(SearchName.id).where(SearchName.alias_id == alias_id)
    executor.execute(sa.delete(SearchKey).where(SearchKey.search_name_id.in_(rows)))  # type: ignore[attr-defined]
    executor.execute(sa.delete(SearchName).where(SearchName.alias_id == alias_id))


def reindex_all(executor: Executor) -> int:
    """Rebuild the whole index (after a change to `tracker.names`); returns the entity count."""
    executor = _connection(executor)
    executor.execute(sa.delete(SearchKey))
    executor.execute(sa.delete(SearchName))
    entity_ids = list(executor.execute(sa.select(Entity.id)).scalars())
    reindex(executor, entity_ids)
    return len(entity_ids)
