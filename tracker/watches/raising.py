"""The alerts an import raises: at the end of `import_edition`, in its transaction, from the
events of its run. With no active watch this is one small query; with watches the run's
events are filtered in SQL to those a watch covers, so the work grows with what matched, not
with the size of the edition."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.enums import COSMETIC_NOTE, AlertKind, EventAction, SubjectType, WatchKind
from tracker.models import (
    SAME_TARGET,
    Alert,
    Authority,
    Designation,
    Entity,
    EntityLink,
    Event,
    ImportRun,
    Sanction,
    SearchKey,
    SearchName,
    Watch,
    WebhookDelivery,
    utc_now,
)
from tracker.names import index_keys, likeness, normalize_name
from tracker.services.core import core, insert_returning_ids, insert_rows

MADE = (EventAction.LISTED, EventAction.IMPOSED)
ENDED = (EventAction.DELISTED, EventAction.REVOKED, EventAction.LIFTED)
ABOUT_ENTITY = (*MADE, *ENDED, EventAction.AMENDED)
NAMED = (EventAction.ENTITY_ADDED, EventAction.AMENDED)
# An alias in a list entry's content is its name and its kind: "CARTEL OF THE SUNS [aka]".
ALIAS_KIND = re.compile(r" \[[a-z-]+\]$")


@dataclass(frozen=True)
class Change:
    """One event of the run, with the listing and entity it is about."""

    event_id: int
    action: EventAction
    entity_id: int
    entity_key: str
    entity_name: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None
    authority: str | None
    list_code: str | None
    program: str | None
    measure: str | None

    def where(self, run: ImportRun) -> str:
        """The list a listing is on: AUTHORITY/LIST, a sanction's authority and measure, or
        (an entry listed without listings) the run's list."""
        if self.authority and self.list_code:
            return f"{self.authority}/{self.list_code}"
        if self.authority and self.measure:
            return f"{self.authority} ({self.measure})"
        return run.list_key

    def listing(self, run: ImportRun) -> str:
        program = f" (program {self.program})" if self.program else ""
        return f"{self.where(run)}{program}"

    def detail(self, run: ImportRun, **extra: Any) -> dict[str, Any]:
        return {
            "entity": {"key": self.entity_key, "name": self.entity_name},
            "action": self.action.value,
            "list": self.where(run),
            "program": self.program,
            "authority": self.authority or run.list_key.partition("/")[0],
            **extra,
        }


def raise_for_import(session: Session, run: ImportRun) -> int:
    """Raise the alerts the run's events call for; how many."""
    watches = list(session.exec(select(Watch).where(col(Watch.removed_at).is_(None))))
    if not watches:
        return 0
    assert run.id is not None
    alerts: dict[tuple[int, int], dict[str, Any]] = {}
    _listing_alerts(session, run, [w for w in watches if w.kind != WatchKind.NAME], alerts)
    _name_alerts(session, run, [w for w in watches if w.kind == WatchKind.NAME], alerts)
    _insert(session, watches, list(alerts.values()))
    return len(alerts)


def _covered(session: Session, entity_ids: set[int]) -> set[int]:
    """The entities and every entity linked to them as the same target, transitively."""
    covered, frontier = set(entity_ids), set(entity_ids)
    while frontier:
        pairs = session.execute(
            sa.select(col(EntityLink.entity_id), col(EntityLink.linked_entity_id)).where(
                col(EntityLink.relation) == SAME_TARGET,
                sa.or_(
                    col(EntityLink.entity_id).in_(frontier),
                    col(EntityLink.linked_entity_id).in_(frontier),
                ),
            )
        ).all()
        frontier = {entity for pair in pairs for entity in pair} - covered
        covered |= frontier
    return covered


def _changes(session: Session, run_id: int, condition: sa.ColumnElement[bool]) -> list[Change]:
    """The run's events meeting `condition`, each with its listing's authority and program."""
    designation, sanction = Designation.__table__, Sanction.__table__  # type: ignore[attr-defined]
    query = (
        sa.select(
            col(Event.id),
            col(Event.action),
            col(Event.entity_id),
            col(Entity.key),
            col(Entity.name),
            col(Event.before),
            col(Event.after),
            col(Event.note),
            col(Authority.key),
            designation.c.list_code,
            sa.func.coalesce(designation.c.program, sanction.c.program),
            sanction.c.measure,
        )
        .select_from(Event)
        .join(Entity, col(Entity.id) == Event.entity_id)
        .outerjoin(
            designation,
            sa.and_(
                col(Event.subject_type) == SubjectType.DESIGNATION,
                designation.c.id == col(Event.subject_id),
            ),
        )
        .outerjoin(
            sanction,
            sa.and_(
                col(Event.subject_type) == SubjectType.SANCTION,
                sanction.c.id == col(Event.subject_id),
            ),
        )
        .outerjoin(
            Authority,
            col(Authority.id)
            == sa.func.coalesce(designation.c.authority_id, sanction.c.authority_id),
        )
        .where(col(Event.import_run_id) == run_id, condition)
        .order_by(col(Event.id))
    )
    return [Change(*row) for row in session.execute(query)]


def _listing_alerts(
    session: Session, run: ImportRun, watches: list[Watch], alerts: dict[tuple[int, int], Any]
) -> None:
    """Entity, program and list watches: what happened to a watched entity, and new
    listings under a watched program or on a watched list."""
    if not watches:
        return
    assert run.id is not None
    groups = {w.id: _covered(session, {w.entity_id}) for w in watches if w.entity_id is not None}
    programs = {w.target.lower() for w in watches if w.kind == WatchKind.PROGRAM}
    on_list = any(
        w.kind == WatchKind.LIST and w.target.lower() == run.list_key.lower() for w in watches
    )
    made = col(Event.action).in_(MADE)
    conditions = []
    if groups:
        watched = set().union(*groups.values())
        conditions.append(
            sa.and_(col(Event.entity_id).in_(watched), col(Event.action).in_(ABOUT_ENTITY))
        )
    if programs:
        program = sa.func.lower(sa.func.coalesce(Designation.program, Sanction.program))
        conditions.append(sa.and_(made, program.in_(programs)))
    if on_list:
        conditions.append(made)
    if not conditions:
        return
    changes = _changes(session, run.id, sa.or_(*conditions))
    before = {wid: _listed_before(session, run.id, group) for wid, group in groups.items()}
    for watch in watches:
        assert watch.id is not None
        for change in changes:
            found = _covers(watch, change, run, groups, before)
            if found is not None:
                kind, summary, detail = found
                alerts.setdefault(
                    (watch.id, change.event_id), _row(watch, change, run, kind, summary, detail)
                )


def _listed_before(session: Session, run_id: int, entity_ids: set[int]) -> set[str]:
    """The authorities that listed any of the entities before this run did anything."""
    found: set[str] = set()
    for model, subject in (
        (Designation, SubjectType.DESIGNATION),
        (Sanction, SubjectType.SANCTION),
    ):
        made_now = sa.select(col(Event.subject_id)).where(
            col(Event.import_run_id) == run_id,
            col(Event.subject_type) == subject,
            col(Event.action).in_(MADE),
        )
        found.update(
            session.execute(
                sa.select(col(Authority.key))
                .join(model, col(model.authority_id) == Authority.id)
                .where(col(model.entity_id).in_(entity_ids), col(model.id).not_in(made_now))
            ).scalars()
        )
    return found


def _covers(
    watch: Watch,
    change: Change,
    run: ImportRun,
    groups: dict[int | None, set[int]],
    before: dict[int | None, set[str]],
) -> tuple[AlertKind, str, dict[str, Any]] | None:
    """The alert `watch` raises for `change`, if it covers it."""
    name, listing = change.entity_name, change.listing(run)
    if watch.kind == WatchKind.ENTITY:
        if change.entity_id not in groups[watch.id]:
            return None
        if change.action in MADE:
            prior = before[watch.id]
            authority = change.authority or run.list_key.partition("/")[0]
            if prior and authority not in prior:
                return (
                    AlertKind.LISTED_ELSEWHERE,
                    f"{name} listed elsewhere: on {listing}, beyond {', '.join(sorted(prior))}",
                    change.detail(run, listed_before_by=sorted(prior)),
                )
            return AlertKind.LISTED, f"{name} listed on {listing}", change.detail(run)
        if change.action in ENDED:
            return AlertKind.DELISTED, f"{name} delisted from {listing}", change.detail(run)
        if change.note == COSMETIC_NOTE:
            return None  # whitespace or punctuation in remarks or addresses: not news
        fields = sorted((change.after or {}).keys() | (change.before or {}).keys())
        changed = {
            f: {"before": (change.before or {}).get(f), "after": (change.after or {}).get(f)}
            for f in fields
        }
        return (
            AlertKind.AMENDED,
            f"{name} amended on {listing}: {', '.join(fields)}",
            change.detail(run, changed=changed),
        )
    if change.action not in MADE:
        return None
    if watch.kind == WatchKind.PROGRAM:
        if (change.program or "").lower() != watch.target.lower():
            return None
    elif watch.kind != WatchKind.LIST or watch.target.lower() != run.list_key.lower():
        return None
    return AlertKind.NEW_LISTING, f"{name} listed on {listing}", change.detail(run)


def _name_alerts(
    session: Session, run: ImportRun, watches: list[Watch], alerts: dict[tuple[int, int], Any]
) -> None:
    """Name watches: a party new to the database, or renamed or given a new alias by this
    run, whose new name scores at or above the watch's threshold (`tracker.names.likeness`,
    as screening scores). Candidates are the names sharing an index key with a watched
    name, looked up in SQL among the entities the run named."""
    if not watches:
        return
    assert run.id is not None
    wanted = {w.id: normalize_name(w.target) for w in watches}
    keys = set().union(*(index_keys(normalized) for normalized in wanted.values()))
    if not keys:
        return
    named = sa.select(col(SearchKey.search_name_id)).where(col(SearchKey.key).in_(keys))
    rows = session.execute(
        sa.select(col(SearchName.name), col(SearchName.normalized), col(Event.id))
        .join(Event, col(Event.entity_id) == SearchName.entity_id)
        .where(
            col(SearchName.id).in_(named),
            col(Event.import_run_id) == run.id,
            col(Event.subject_type) == SubjectType.ENTITY,
            col(Event.action).in_(NAMED),
        )
    ).all()
    if not rows:
        return
    changes = {
        c.event_id: c
        for c in _changes(
            session, run.id, col(Event.id).in_({event_id for _n, _m, event_id in rows})
        )
    }
    fresh = {event_id: _new_names(change) for event_id, change in changes.items()}
    best: dict[tuple[int, int], tuple[float, str]] = {}
    for name, normalized, event_id in rows:
        if name not in fresh[event_id]:
            continue  # a name the entity had before: not newly listed or renamed so
        for watch in watches:
            assert watch.id is not None
            assert watch.threshold is not None
            score = likeness(wanted[watch.id], normalized).score
            key = (watch.id, event_id)
            if score >= watch.threshold and score > best.get(key, (-1.0, ""))[0]:
                best[key] = (score, name)
    by_id = {watch.id: watch for watch in watches}
    for (watch_id, event_id), (score, matched) in sorted(best.items()):
        change, watch = changes[event_id], by_id[watch_id]
        how = (
            "newly listed"
            if change.action == EventAction.ENTITY_ADDED
            else "renamed"
            if matched == (change.after or {}).get("name")
            else "given a new alias"
        )
        summary = (
            f"{change.entity_name} matches watched name {watch.target!r} ({score:.2f}):"
            f" {how} on {run.list_key}"
        )
        detail = change.detail(run, watched_name=watch.target, matched=matched, score=score)
        alerts.setdefault(
            (watch_id, event_id), _row(watch, change, run, AlertKind.NAME_MATCH, summary, detail)
        )


def _new_names(change: Change) -> set[str]:
    """The names an event gave its entity: all of a new entity's, else a new name and the
    aliases the entry did not have before."""
    after, before = change.after or {}, change.before or {}
    if change.action == EventAction.ENTITY_ADDED:
        return {str(after.get("name")), *_alias_names(after.get("aliases"))}
    names = {str(after["name"])} if after.get("name") else set()
    return names | (_alias_names(after.get("aliases")) - _alias_names(before.get("aliases")))


def _alias_names(aliases: Iterable[Any] | None) -> set[str]:
    names = set()
    for alias in aliases or ():
        text = alias.get("name") if isinstance(alias, dict) else alias
        if isinstance(text, str):
            names.add(ALIAS_KIND.sub("", text))
    return names


def _row(
    watch: Watch,
    change: Change,
    run: ImportRun,
    kind: AlertKind,
    summary: str,
    detail: dict[str, Any],
) -> dict[str, Any]:
    return {
        "kind": kind,
        "watch_id": watch.id,
        "entity_id": change.entity_id,
        "event_id": change.event_id,
        "import_run_id": run.id,
        "summary": summary,
        "detail": detail,
    }


def _insert(session: Session, watches: list[Watch], rows: list[dict[str, Any]]) -> None:
    """Write the alerts in event order, and queue a delivery for each whose watch has a
    webhook (as `raise_alert` does, a set at a time)."""
    if not rows:
        return
    now = utc_now()
    rows = sorted(rows, key=lambda row: (row["event_id"], row["watch_id"]))
    rows = [{**row, "raised_at": now, "read_at": None} for row in rows]
    connection = core(session)
    ids = insert_returning_ids(connection, Alert.__table__, rows)  # type: ignore[attr-defined]
    hooks = {watch.id: watch.webhook_url for watch in watches if watch.webhook_url}
    insert_rows(
        connection,
        WebhookDelivery.__table__,  # type: ignore[attr-defined]
        [
            {
                "alert_id": alert_id,
                "watch_id": row["watch_id"],
                "url": hooks[row["watch_id"]],
                "attempts": 0,
                "next_attempt_at": now,
                "delivered_at": None,
                "last_status": None,
                "last_error": None,
            }
            for alert_id, row in zip(ids, rows, strict=True)
            if row["watch_id"] in hooks
        ],
    )
