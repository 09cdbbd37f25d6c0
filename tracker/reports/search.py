"""Name search: every listed party by any spelling, ranked, with why each one matched.

A query is normalised like the stored names (`tracker.names`), then looked up by its words
and their sounds in the `search_key` index. Words that half the database shares ("al", "de")
are skipped when rarer ones exist, so a lookup reads a few hundred candidate names, never the
whole table. Candidates are scored word by word; each entity keeps its best-matching name.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tracker.config import DEFAULT_LIMIT, DEFAULT_THRESHOLD
from tracker.dates import as_of_day
from tracker.enums import DesignationStatus, EntityKind, FactKind
from tracker.matching.facts import identifier_keys, split_reference
from tracker.models import (
    Alias,
    Authority,
    Designation,
    Entity,
    Identifier,
    MatchFact,
    SearchKey,
    SearchName,
)
from tracker.names import (
    abjad_likenesses,
    in_abjad,
    index_keys,
    likenesses,
    normalize_name,
    script_note,
    vowelled,
)
from tracker.records import (
    EntityRecord,
    Filters,
    ListingRef,
    SearchHit,
)
from tracker.reports.filters import entity_kind
from tracker.status import designation_status

DESIGNATION_COLUMNS = [
    getattr(Designation, name)
    for name in ("id", "entity_id", "list_code", "program", "status", "announced_on",
                 "effective_on", "ended_on", "removed_on", "first_seen_on")
]  # fmt: skip
ENTITY_COLUMNS = [getattr(Entity, name) for name in ("id", "key", "name", "kind", "country",
                                                     "description")]  # fmt: skip
CANDIDATES = 300  # names scored per query, at most
COMMON_KEY_SHARE = 0.02  # a key on more than this share of names is only used alone
NAMES_COUNTED = "search_names"  # `Session.info` key: the names indexed, counted once a session

# Built once: a screen asks them for every name, and building a statement (each IN value
# made a bound parameter) cost more than SQLite took to answer it.
KEY_COUNTS = (
    sa.select(SearchKey.key, sa.func.count())
    .where(col(SearchKey.key).in_(sa.bindparam("keys", expanding=True)))
    .group_by(SearchKey.key)
)
_shared = sa.func.count().label("shared")
_best_names = (
    sa.select(SearchKey.search_name_id, _shared)
    .where(col(SearchKey.key).in_(sa.bindparam("keys", expanding=True)))
    .group_by(SearchKey.search_name_id)
    .order_by(_shared.desc(), SearchKey.search_name_id)
    .limit(CANDIDATES)
    .subquery()
)
CANDIDATE_NAMES = sa.select(
    SearchName.id, SearchName.entity_id, SearchName.alias_id, SearchName.name,
    SearchName.normalized,
).join(_best_names, _best_names.c.search_name_id == SearchName.id)  # fmt: skip
ENTITIES = sa.select(*ENTITY_COLUMNS).where(col(Entity.id).in_(sa.bindparam("ids", expanding=True)))
ALIAS_KINDS = sa.select(Alias.id, Alias.kind).where(
    col(Alias.id).in_(sa.bindparam("ids", expanding=True))
)
DESIGNATIONS = (
    sa.select(*DESIGNATION_COLUMNS, Authority.key.label("authority"))  # type: ignore[attr-defined]
    .join(Authority, col(Authority.id) == Designation.authority_id)
    .where(col(Designation.entity_id).in_(sa.bindparam("ids", expanding=True)))
    .order_by(col(Designation.id))  # the same listing named on every engine
)


@dataclass(frozen=True)
class SearchScope:
    """Which hits a search keeps: listed by an authority or on a list (`filters`; its
    country and program do not apply), of a kind, in force on a day."""

    filters: Filters = field(default_factory=Filters)
    active_only: bool = False
    day: str | None = None  # ISO day; today when None


def _keys_to_use(session: Session, keys: set[str]) -> list[str]:
    """The query's keys, without those so common they would pull in much of the table."""
    if not keys:
        return []
    connection = session.connection()
    frequency = dict(connection.execute(KEY_COUNTS, {"keys": sorted(keys)}).all())
    if not frequency:
        return []
    if (total := session.info.get(NAMES_COUNTED)) is None:
        count = sa.select(sa.func.count()).select_from(SearchName)
        total = session.info[NAMES_COUNTED] = connection.execute(count).scalar_one()
    limit = max(CANDIDATES, int(total * COMMON_KEY_SHARE))
    rare = [key for key, count in frequency.items() if count <= limit]
    return rare or [min(frequency, key=frequency.__getitem__)]


def _candidates(session: Session, keys: set[str]) -> list[tuple[int, int, int | None, str, str]]:
    """(search name id, entity id, alias id, name, normalized) sharing the most keys."""
    keys = _keys_to_use(session, keys)
    if not keys:
        return []
    return session.connection().execute(CANDIDATE_NAMES, {"keys": keys}).all()  # type: ignore[return-value]


def _best_per_entity(
    normalized: str,
    candidates: list[tuple[int, int, int | None, str, str]],
    note: str | None,
    abjad: bool,
) -> dict[int, tuple[float, str, int | None, str]]:
    best: dict[int, tuple[float, str, int | None, str]] = {}
    score = abjad_likenesses if abjad else likenesses
    scored = score(normalized, [stored for *_names, stored in candidates])
    for (_id, entity_id, alias_id, name, _stored), alike in zip(candidates, scored, strict=True):
        if entity_id not in best or alike.score > best[entity_id][0]:
            why = f"{alike.why} ({note})" if note else alike.why
            best[entity_id] = (alike.score, name, alias_id, why)
    return best


Listing = tuple[str, str, Any]  # authority key, list code, the designation's row


def _designations(session: Session, entity_ids: list[int]) -> dict[int, list[Listing]]:
    """Each entity's designations: the columns the status rule and a listing reference read,
    as plain rows (a screen reads them for every name)."""
    found: dict[int, list[Listing]] = defaultdict(list)
    for row in session.connection().execute(DESIGNATIONS, {"ids": entity_ids}):
        found[row.entity_id].append((row.authority, row.list_code, row))
    return found


def _keep(
    designations: list[Listing], scope: SearchScope, day: str
) -> tuple[bool, tuple[ListingRef, ...]]:
    """Whether the entity passes the list filters, and its designations in force on `day`
    (one per authority, list and program: the oldest, designations coming in id order)."""
    filters = scope.filters
    in_force: dict[tuple[str, str, str | None], ListingRef] = {}
    matches_list = False
    for authority, list_code, designation in designations:
        if filters.authority and authority != filters.authority:
            continue
        if filters.list and list_code.casefold() != filters.list.casefold():
            continue
        status = designation_status(designation, day)
        if status is None:
            continue  # not yet announced on that day
        matches_list = True
        if status == DesignationStatus.ACTIVE:
            ref = ListingRef("designation", designation.id or 0, authority, list_code,
                             designation.program)  # fmt: skip
            in_force.setdefault((authority, list_code, designation.program), ref)
    listed = matches_list if (filters.authority or filters.list) else True
    kept = tuple(in_force[key] for key in sorted(in_force, key=lambda k: (k[0], k[1], k[2] or "")))
    return listed and (bool(kept) or not scope.active_only), kept


def search(
    session: Session,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    threshold: float = DEFAULT_THRESHOLD,
    scope: SearchScope = SearchScope(),
) -> list[SearchHit]:
    """Entities whose name or an alias matches `query`, best first, at or above `threshold`."""
    normalized = normalize_name(query)
    keys = index_keys(normalized)
    if abjad := in_abjad(query):  # found by how a vowelled spelling would sound, too
        keys |= index_keys(vowelled(normalized))
    candidates = _candidates(session, keys)
    best = _best_per_entity(normalized, candidates, script_note(query), abjad)
    ranked = sorted(
        ((score, entity_id) for entity_id, (score, *_rest) in best.items() if score >= threshold),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return ranked_hits(session, [entity_id for _score, entity_id in ranked], best, limit, scope)


def find_by_identifier(
    session: Session, text: str, scope: SearchScope, limit: int = DEFAULT_LIMIT
) -> list[SearchHit]:
    """The parties holding this identifier (score 1), as a screen finds them: a number the
    lists give them, or a list reference ("ofac-uid:12345")."""
    found = holders(session, [text])
    best = {entity_id: (1.0, "", None, why) for entity_id, why in found.items()}
    return ranked_hits(session, sorted(found), best, limit, scope)


def holders(session: Session, identifiers: Iterable[str]) -> dict[int, str]:
    """The entities holding one of these identifiers, each with what it holds, in words:
    a number the lists give it (a passport, a tax or IMO number, as a list writes it or
    bare: `tracker.matching.facts.identifier_keys`), or a list reference."""
    identifiers = list(identifiers)
    numbers = {number for text in identifiers for number in identifier_keys(text)[1]}
    found: dict[int, str] = {}
    for scheme, value in filter(None, map(split_reference, identifiers)):
        for entity_id, stored in session.execute(
            sa.select(Identifier.entity_id, Identifier.value)
            .where(
                Identifier.scheme == scheme,
                col(Identifier.value).in_({value, value.upper(), value.lower()}),
            )
            .order_by(col(Identifier.id))
        ):
            found.setdefault(entity_id, f"identifier {scheme}:{stored}")
    if numbers:
        for entity_id, stated in session.execute(
            sa.select(MatchFact.entity_id, MatchFact.value)
            .where(MatchFact.kind == FactKind.DOCUMENT, col(MatchFact.normalized).in_(numbers))
            .order_by(col(MatchFact.id))
        ):
            found.setdefault(entity_id, f"listed with {stated}")
    return found


def ranked_hits(
    session: Session,
    ranked: list[int],
    best: dict[int, tuple[float, str, int | None, str]],
    limit: int,
    scope: SearchScope,
) -> list[SearchHit]:
    """The first `limit` ranked entities that pass the filters, with their designations."""
    day = as_of_day(scope.day)
    kind = entity_kind(scope.filters.kind) if scope.filters.kind else None
    hits: list[SearchHit] = []
    for start in range(0, len(ranked), max(limit, 1) * 4):
        window = ranked[start : start + max(limit, 1) * 4]
        connection = session.connection()
        entities = {entity.id: entity for entity in connection.execute(ENTITIES, {"ids": window})}
        aliases = [alias_id for e in window if (alias_id := best[e][2]) is not None]
        alias_kinds = dict(connection.execute(ALIAS_KINDS, {"ids": aliases}).all())
        designations = _designations(session, window)
        for entity_id in window:
            entity = entities[entity_id]
            if kind and EntityKind(entity.kind) != kind:
                continue
            keep, in_force = _keep(designations.get(entity_id, []), scope, day)
            if not keep:
                continue
            score, matched, alias_id, why = best[entity_id]
            record = EntityRecord(entity.key, entity.name, EntityKind(entity.kind).value,
                                  entity.country, entity.description)  # fmt: skip
            hits.append(
                SearchHit(record, score, matched or entity.name,
                          alias_kinds[alias_id].value if alias_id else "name", why, in_force)
            )  # fmt: skip
            if len(hits) == limit:
                return hits
    return hits
