"""Screen a screening's rows and record the run: the rows as last given, every hit with its
state against the decisions, and the newest event then, where a later rescreen starts."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.batching import in_chunks
from tracker.config import DEFAULT_THRESHOLD
from tracker.enums import EntityKind, HitState
from tracker.errors import Conflict, InvalidValue, NotFound
from tracker.matching.facts import QueryFacts
from tracker.models import (
    LIST_KEY_LENGTH,
    Alias,
    Entity,
    Screening,
    ScreeningDecision,
    ScreeningHit,
    ScreeningRow,
    ScreeningRun,
    SearchKey,
    SearchName,
    utc_now,
)
from tracker.names import index_keys, normalize_name
from tracker.records import EntityRecord, EntityRef
from tracker.reports.screen import screen_party
from tracker.reports.search import SearchScope
from tracker.reports.text import listing_label
from tracker.screening import states
from tracker.screening.inputs import Row, checked_inputs
from tracker.screening.records import (
    DecisionRecord,
    HitRecord,
    ScreeningInput,
    ScreeningRunRecord,
)
from tracker.services.lookup import closest
from tracker.storable import unstorable

DEFAULT_HITS_PER_ROW = 3  # as `tracker screen`


@dataclass(frozen=True)
class Found:
    """A hit before it is weighed: fresh from the scorer, or carried over from a row's last
    run when nothing it depends on changed."""

    entity_key: str
    score: float
    matched: str
    why: str
    listings: tuple[str, ...]


def find_screening(session: Session, name: str) -> Screening:
    """A screening by its name, or by the id of one of its runs."""
    if (problem := unstorable(name)) is not None:
        raise InvalidValue(f"screening {name!r} {problem}")
    screening = session.exec(select(Screening).where(Screening.name == name)).first()
    if screening is None and name.isdecimal():
        run = session.get(ScreeningRun, int(name))
        screening = session.get(Screening, run.screening_id) if run else None
    if screening is None:
        names = list(session.scalars(sa.select(Screening.name)))
        raise NotFound("screening", name, closest(name, names))
    return screening


def open_screening(
    session: Session, name: str, *, threshold: float | None, limit: int | None, follow: bool | None
) -> Screening:
    """The screening of this name, created if new. Its threshold and hits per row are fixed
    then: a decision taken at one threshold says nothing about hits found at another."""
    screening = session.exec(select(Screening).where(Screening.name == name)).first()
    if screening is None:
        _check_name(name)
        screening = Screening(
            name=name,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            hits_per_row=DEFAULT_HITS_PER_ROW if limit is None else limit,
            follow=bool(follow),
        )
        session.add(screening)
    else:
        for given, kept, what in ((threshold, screening.threshold, "threshold"),
                                  (limit, screening.hits_per_row, "limit")):  # fmt: skip
            if given is not None and given != kept:
                raise Conflict(
                    f"screening {name!r} has {what} {kept}: its decisions were taken there"
                    f" (leave the {what} out, or record a new screening to use {given})"
                )
        if follow is not None:
            screening.follow = follow
    session.flush()
    return screening


def _check_name(name: str) -> None:
    if not name.strip():
        raise InvalidValue("the screening's name is empty")
    if name.isdecimal():
        raise InvalidValue(f"screening {name!r}: a name of digits only reads as a run id")
    if len(name) > LIST_KEY_LENGTH:
        raise InvalidValue(f"screening name too long (at most {LIST_KEY_LENGTH} characters)")
    if (problem := unstorable(name)) is not None:
        raise InvalidValue(f"screening name {problem}")


def screen_and_record(
    session: Session,
    name: str,
    rows: Iterable[Row],
    *,
    threshold: float | None = None,
    limit: int | None = None,
    follow: bool | None = None,
    file_name: str | None = None,
    sha256: str | None = None,
) -> ScreeningRunRecord:
    """Screen rows (a file's) under a screening's name: each row upserted by its id (name,
    date of birth and country as this file gives them), screened, and every hit stored with
    its state."""
    inputs = checked_inputs(rows)
    screening = open_screening(session, name, threshold=threshold, limit=limit, follow=follow)
    stored = _store_rows(session, screening, inputs)
    run = _start(session, screening, file_name=file_name, sha256=sha256)
    found = {row.id or 0: _search(session, screening, row) for row in stored}
    record, _news = record_run(session, screening, run, stored, found, screened=len(stored))
    return record


def _store_rows(
    session: Session, screening: Screening, inputs: Sequence[ScreeningInput]
) -> list[ScreeningRow]:
    existing = {
        row.row_key: row
        for row in session.exec(
            select(ScreeningRow).where(ScreeningRow.screening_id == screening.id)
        )
    }
    stored = []
    for item in inputs:
        row = existing.get(item.id)
        if row is None:
            row = ScreeningRow(screening_id=screening.id or 0, row_key=item.id, name=item.name)
            session.add(row)
        row.name, row.birth_date, row.country = item.name, item.birth_date, item.country
        row.gender, row.identifiers = item.gender, list(item.identifiers)
        row.kind = EntityKind(item.kind) if item.kind else None
        stored.append(row)
    session.flush()
    return stored


def _start(
    session: Session,
    screening: Screening,
    *,
    file_name: str | None = None,
    sha256: str | None = None,
    import_run_id: int | None = None,
) -> ScreeningRun:
    run = ScreeningRun(
        screening_id=screening.id or 0,
        started_at=utc_now(),
        file_name=file_name,
        sha256=sha256,
        import_run_id=import_run_id,
        last_event_id=states.newest_event(session),
    )
    session.add(run)
    session.flush()
    return run


def _search(session: Session, screening: Screening, row: ScreeningRow) -> list[Found]:
    facts = QueryFacts(row.birth_date, row.country, row.gender,
                       row.kind.value if row.kind else None, tuple(row.identifiers))  # fmt: skip
    hits = screen_party(session, row.name, facts, limit=screening.hits_per_row,
                        threshold=screening.threshold, scope=SearchScope())  # fmt: skip
    return [
        Found(hit.entity.key, hit.score, hit.matched, hit.why,
              tuple(listing_label(listing) for listing in hit.in_force))
        for hit in hits
    ]  # fmt: skip


def rescreen(
    session: Session, screening: Screening, *, import_run_id: int | None = None, full: bool = False
) -> tuple[ScreeningRunRecord, list[tuple[HitRecord, int]]]:
    """Screen every stored row again against the database as it is now, as a new run; the
    record, and the hits that are news (see `record_run`).

    Only the rows something changed for are scored afresh: those one of whose hits is about
    an entity an event since the last run touched, or that share a search key (a word or
    a sound) with a name of such an entity, or that give an identifier (a changed party
    may now hold it); a name sharing no key cannot become a candidate, so the others' hits
    are carried over as their last run found them. `full`
    scores every row (after the scorer itself changed, say)."""
    rows = list(
        session.exec(
            select(ScreeningRow)
            .where(ScreeningRow.screening_id == screening.id)
            .order_by(col(ScreeningRow.id))
        )
    )
    watermark = _watermark(session, rows)
    changed = None if full or watermark is None else states.changed_entities(session, watermark)
    carried = _last_hits(session, rows) if changed is not None else {}
    keys = _keys_of(session, changed) if changed else set()
    run = _start(session, screening, import_run_id=import_run_id)
    found: dict[int, list[Found]] = {}
    screened = 0
    for row in rows:
        assert row.id is not None
        last, last_entities = carried.get(row.id, ([], set()))
        if (changed is None or row.last_run_id is None or last_entities & changed
                or (changed and row.identifiers)  # a changed party may now hold one
                or index_keys(normalize_name(row.name)) & keys):  # fmt: skip
            found[row.id] = _search(session, screening, row)
            screened += 1
        else:
            found[row.id] = last
    return record_run(session, screening, run, rows, found, screened=screened)


def _watermark(session: Session, rows: Sequence[ScreeningRow]) -> int | None:
    """The newest event every row's last run had seen (a row left out of the latest file
    was last screened earlier); None when some run had seen none."""
    runs = sorted({row.last_run_id for row in rows if row.last_run_id is not None})
    seen = [
        newest
        for batch in in_chunks(runs)
        for newest in session.scalars(
            sa.select(ScreeningRun.last_event_id).where(col(ScreeningRun.id).in_(batch))
        )
    ]
    known = [newest for newest in seen if newest is not None]
    return min(known) if known and len(known) == len(seen) else None


def _last_hits(
    session: Session, rows: Sequence[ScreeningRow]
) -> dict[int, tuple[list[Found], set[int]]]:
    """Each row's hits in the latest run that screened it, and their entities' ids."""
    last: dict[int, tuple[list[Found], set[int]]] = {row.id or 0: ([], set()) for row in rows}
    statement = (
        sa.select(ScreeningHit, Entity.key)
        .join(Entity, col(Entity.id) == ScreeningHit.entity_id)
        .join(ScreeningRow, col(ScreeningRow.id) == ScreeningHit.row_id)
        .where(ScreeningHit.run_id == ScreeningRow.last_run_id)
        .order_by(col(ScreeningHit.id))
    )
    for batch in in_chunks(sorted(last)):
        for hit, key in session.execute(statement.where(col(ScreeningRow.id).in_(batch))):
            found, entities = last[hit.row_id]
            listings = tuple(hit.entity_state.get("listings", ()))
            found.append(Found(key, hit.score, hit.matched, hit.why, listings))
            entities.add(hit.entity_id)
    return last


def _keys_of(session: Session, entity_ids: set[int]) -> set[str]:
    """The search keys of every name of these entities."""
    keys: set[str] = set()
    for batch in in_chunks(entity_ids):
        keys.update(
            session.scalars(
                sa.select(col(SearchKey.key))
                .join(SearchName, col(SearchName.id) == SearchKey.search_name_id)
                .where(col(SearchName.entity_id).in_(batch))
                .distinct()
            )
        )
    return keys


def record_run(
    session: Session,
    screening: Screening,
    run: ScreeningRun,
    rows: Sequence[ScreeningRow],
    found: dict[int, list[Found]],
    *,
    screened: int,
) -> tuple[ScreeningRunRecord, list[tuple[HitRecord, int]]]:
    """Weigh and store every hit of a run; the run's record, and its news: each hit new, or
    changed since its decision by a change not already raised (with its entity's id)."""
    entities = _entities(session, {f.entity_key for hits in found.values() for f in hits})
    entity_ids = {entity.id or 0 for entity in entities.values()}
    row_ids = [row.id or 0 for row in rows]
    decisions = _standing_decisions(session, row_ids)
    earlier = _earlier_hits(session, screening, run)
    latest = states.latest_changes(session, entity_ids)
    reopened = {
        (entity_id, decision.last_event_id)
        for (_row, entity_id), decision in decisions.items()
        if entity_id in latest and (latest[entity_id] or 0) > (decision.last_event_id or 0)
    }
    changes = states.changes_after(session, reopened)
    names = _names(session, entity_ids)
    hits: list[HitRecord] = []
    news: list[tuple[HitRecord, int]] = []
    stored: list[dict[str, object]] = []
    for row in rows:
        for rank, hit in enumerate(found[row.id or 0], start=1):
            entity = entities[hit.entity_key]
            pair = (row.id or 0, entity.id or 0)
            decision = decisions.get(pair)
            changed = changes.get((pair[1], decision.last_event_id), ()) if decision else ()
            state = states.hit_state(
                decision_verdict=decision.verdict if decision else None,
                seen_before=pair in earlier,
                changes=changed,
            )
            record = HitRecord(
                run=run.id or 0, row=row.row_key, input=row.name, rank=rank,
                entity=EntityRecord(entity.key, entity.name, entity.kind.value, entity.country,
                                    entity.description),
                score=hit.score, matched=hit.matched, why=hit.why, state=state.value,
                listings=hit.listings, last_event_id=latest.get(pair[1]), changes=changed,
                decision=_decision_record(screening, row, entity, decision) if decision else None,
            )  # fmt: skip
            hits.append(record)
            before = earlier.get(pair)
            if state == HitState.NEW or (state == HitState.CHANGED and before != (
                    HitState.CHANGED, record.last_event_id)):  # fmt: skip
                news.append((record, pair[1]))
            stored.append({
                "run_id": run.id, "row_id": pair[0], "entity_id": pair[1], "score": hit.score,
                "matched": hit.matched, "why": hit.why, "state": state,
                "last_event_id": record.last_event_id,
                "entity_state": {"names": names.get(pair[1], [entity.name]),
                                 "listings": list(hit.listings)},
            })  # fmt: skip
        row.last_run_id = run.id
    if stored:
        session.execute(sa.insert(ScreeningHit), stored)
    run.rows, run.hits = len(rows), len(hits)
    run.raised = sum(hit.raised for hit in hits)
    run.finished_at = utc_now()
    session.flush()
    result = ScreeningRunRecord(
        id=run.id or 0, screening=screening.name, started_at=run.started_at,
        finished_at=run.finished_at, file_name=run.file_name, sha256=run.sha256,
        import_run_id=run.import_run_id, rows=len(rows), screened=screened, hits=tuple(hits),
    )  # fmt: skip
    return result, news


def _entities(session: Session, keys: set[str]) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for batch in in_chunks(keys):
        found.update(
            (entity.key, entity)
            for entity in session.exec(select(Entity).where(col(Entity.key).in_(batch)))
        )
    return found


def _standing_decisions(
    session: Session, row_ids: Sequence[int]
) -> dict[tuple[int, int], ScreeningDecision]:
    """The decision that stands (the latest) for each (row, entity) of these rows."""
    standing: dict[tuple[int, int], ScreeningDecision] = {}
    for batch in in_chunks(sorted(row_ids)):
        for decision in session.exec(
            select(ScreeningDecision)
            .where(col(ScreeningDecision.row_id).in_(batch))
            .order_by(col(ScreeningDecision.id))
        ):
            standing[(decision.row_id, decision.entity_id)] = decision
    return standing


def _earlier_hits(
    session: Session, screening: Screening, run: ScreeningRun
) -> dict[tuple[int, int], tuple[HitState, int | None]]:
    """For each (row, entity) an earlier run of the screening hit: the state and the newest
    change the latest such hit had."""
    rows = sa.select(ScreeningRow.id).where(ScreeningRow.screening_id == screening.id)
    latest = (
        sa.select(sa.func.max(ScreeningHit.id).label("id"))
        .where(col(ScreeningHit.row_id).in_(rows), col(ScreeningHit.run_id) != run.id)
        .group_by(col(ScreeningHit.row_id), col(ScreeningHit.entity_id))
        .subquery()
    )
    found = session.execute(
        sa.select(ScreeningHit.row_id, ScreeningHit.entity_id, ScreeningHit.state,
                  ScreeningHit.last_event_id)
        .join(latest, latest.c.id == ScreeningHit.id)
    )  # fmt: skip
    return {
        (row_id, entity_id): (HitState(state), last_event_id)
        for row_id, entity_id, state, last_event_id in found
    }


def _names(session: Session, entity_ids: set[int]) -> dict[int, list[str]]:
    """Each entity's name and aliases: what a reviewer saw of it."""
    names: dict[int, list[str]] = {}
    for batch in in_chunks(entity_ids):
        for entity_id, name in session.execute(
            sa.select(Entity.id, Entity.name).where(col(Entity.id).in_(batch))
        ):
            names[entity_id] = [name]
        for entity_id, alias in session.execute(
            sa.select(Alias.entity_id, Alias.name)
            .where(col(Alias.entity_id).in_(batch))
            .order_by(col(Alias.id))
        ):
            names[entity_id].append(alias)
    return names


def _decision_record(
    screening: Screening, row: ScreeningRow, entity: Entity, decision: ScreeningDecision
) -> DecisionRecord:
    return DecisionRecord(
        id=decision.id or 0, screening=screening.name, row=row.row_key,
        entity=EntityRef(entity.key, entity.name), verdict=str(decision.verdict.value),
        note=decision.note, decided_by=decision.decided_by, decided_at=decision.decided_at,
        last_event_id=decision.last_event_id,
    )  # fmt: skip
