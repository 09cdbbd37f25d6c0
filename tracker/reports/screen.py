"""Screening one party: its name searched, then what else the query gives weighed against what
the lists state of each candidate (`tracker.matching.facts`). An identifier the lists give a
party finds it whatever its names."""

import dataclasses
from collections import defaultdict

import sqlalchemy as sa
from sqlmodel import Session, col

from tracker.batching import in_chunks
from tracker.enums import FactKind
from tracker.matching.facts import (
    PartyFacts,
    QueryFacts,
    weigh,
)
from tracker.models import Entity, EntityCountry, Identifier, MatchFact
from tracker.records import SearchHit
from tracker.reports.search import SearchScope, holders, ranked_hits, search

WIDER = 4  # name hits weighed per hit wanted: a contradiction can reorder them


def screen_party(
    session: Session,
    name: str,
    facts: QueryFacts,
    *,
    limit: int,
    threshold: float,
    scope: SearchScope,
) -> list[SearchHit]:
    """The best `limit` hits at or above `threshold`: by name, each weighed against the
    facts; the holders of a given identifier first (score 1)."""
    if not facts:
        return search(session, name, limit=limit, threshold=threshold, scope=scope)
    by_name = search(session, name, limit=limit * WIDER, threshold=threshold, scope=scope)
    holders = _holders(session, facts.identifiers, scope, limit)
    named = {hit.entity.key for hit in by_name}
    candidates = by_name + [hit for hit in holders if hit.entity.key not in named]
    ids = _entity_ids(session, [hit.entity.key for hit in candidates])
    parties = party_facts(session, set(ids.values()))
    weighed: list[tuple[bool, SearchHit]] = []  # (decided by an identifier, the hit)
    for hit in candidates:
        weighing = weigh(facts, parties[ids[hit.entity.key]])
        found_by_name = hit.entity.key in named
        if weighing.decisive is not None:
            score = 1.0
        elif found_by_name:
            score = round(max(0.0, hit.score - weighing.penalty), 4)
        else:
            continue  # a holder of a number the query gives in another form: not a match
        if score < threshold:
            continue
        weighed.append((weighing.decisive is not None, dataclasses.replace(
            hit, score=score, why=weighing.why(hit.why if found_by_name else ""),
            agrees=weighing.agrees, contradicts=weighing.contradicts,
        )))  # fmt: skip
    # The holders of an identifier first, even beside another party's exact name; then by
    # score, ties in the name's order (the sort is stable).
    weighed.sort(key=lambda pair: (not pair[0], -pair[1].score))
    return [hit for _decided, hit in weighed[:limit]]


def _holders(
    session: Session, identifiers: tuple[str, ...], scope: SearchScope, limit: int
) -> list[SearchHit]:
    """The parties holding one of these identifiers, as hits (their `why` is the weighing's)."""
    found = holders(session, identifiers)
    best = dict.fromkeys(found, (1.0, "", None, ""))
    return ranked_hits(session, sorted(found), best, limit, scope)


def _entity_ids(session: Session, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in in_chunks(set(keys)):
        found.update(
            session.execute(
                sa.select(Entity.key, Entity.id).where(col(Entity.key).in_(batch))
            ).all()
        )
    return found


def party_facts(session: Session, entity_ids: set[int]) -> dict[int, PartyFacts]:
    """What the lists state of each of these entities that a screening weighs."""
    kinds: dict[int, str] = {}
    countries: dict[int, set[str]] = defaultdict(set)
    births: dict[int, list[str]] = defaultdict(list)
    genders: dict[int, set[str]] = defaultdict(set)
    numbers: dict[int, dict[str, str]] = defaultdict(dict)
    references: dict[int, set[str]] = defaultdict(set)
    for batch in in_chunks(entity_ids):
        for entity_id, kind, country in session.execute(
            sa.select(Entity.id, Entity.kind, Entity.country).where(col(Entity.id).in_(batch))
        ):
            kinds[entity_id] = kind.value
            if country:
                countries[entity_id].add(country)
        for entity_id, country in session.execute(
            sa.select(EntityCountry.entity_id, EntityCountry.country).where(
                col(EntityCountry.entity_id).in_(batch)
            )
        ):
            countries[entity_id].add(country)
        for entity_id, kind, value, normalized in session.execute(
            sa.select(MatchFact.entity_id, MatchFact.kind, MatchFact.value, MatchFact.normalized)
            .where(col(MatchFact.entity_id).in_(batch))
            .order_by(col(MatchFact.id))
        ):
            if kind == FactKind.BIRTH:
                births[entity_id].append(normalized)
            elif kind == FactKind.GENDER:
                genders[entity_id].add(normalized)
            else:
                numbers[entity_id].setdefault(normalized, value)
        for entity_id, scheme, value in session.execute(
            sa.select(Identifier.entity_id, Identifier.scheme, Identifier.value).where(
                col(Identifier.entity_id).in_(batch)
            )
        ):
            references[entity_id].add(f"{scheme}:{value}".casefold())
    return {
        entity_id: PartyFacts(
            kind=kind,
            births=tuple(dict.fromkeys(births[entity_id])),
            countries=frozenset(countries[entity_id]),
            genders=frozenset(genders[entity_id]),
            numbers=numbers[entity_id],
            references=frozenset(references[entity_id]),
        )
        for entity_id, kind in kinds.items()
    }
