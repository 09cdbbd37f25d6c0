"""Adding, listing and removing watches. A target is checked when the watch is added, so a
typo is refused then rather than silently never matching."""

import getpass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.config import DEFAULT_THRESHOLD
from tracker.enums import WatchKind
from tracker.errors import Conflict, InvalidValue, NotFound
from tracker.models import Entity, Watch, utc_now
from tracker.services.lookup import MAX_ID, authority_by_key, entity_by_key
from tracker.storable import unstorable
from tracker.watches.records import WatchRecord


def _kind(text: str) -> WatchKind:
    try:
        return WatchKind(text)
    except ValueError:
        kinds = ", ".join(kind.value for kind in WatchKind)
        raise InvalidValue(f"watch kind {text!r}: expected one of {kinds}") from None


def _target(session: Session, kind: WatchKind, target: str) -> tuple[str, int | None]:
    """The target as stored, and an entity watch's entity; raises for a bad one."""
    target = target.strip()
    if not target:
        raise InvalidValue(f"a {kind.value} watch needs a target")
    if (problem := unstorable(target)) is not None:
        raise InvalidValue(f"watch target {target!r} {problem}")
    if kind == WatchKind.ENTITY:
        return target, entity_by_key(session, target).id
    if kind == WatchKind.LIST:
        authority, _, code = target.partition("/")
        if not authority or not code or "/" in code:
            raise InvalidValue(f"list {target!r}: expected AUTHORITY/LIST, e.g. us-ofac/SDN")
        return f"{authority_by_key(session, authority).key}/{code}", None
    return target, None


def _threshold(kind: WatchKind, threshold: float | None) -> float | None:
    if kind != WatchKind.NAME:
        if threshold is not None:
            raise InvalidValue("--threshold goes with a name watch only")
        return None
    chosen = DEFAULT_THRESHOLD if threshold is None else threshold
    if not 0 <= chosen <= 1:
        raise InvalidValue(f"threshold {chosen}: expected a likeness from 0 to 1")
    return chosen


def _webhook(url: str | None, secret: str | None) -> None:
    """A webhook is an http(s) address with a secret to sign what is sent to it."""
    if url is None:
        if secret is not None:
            raise InvalidValue("a webhook secret goes with a webhook URL")
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidValue(f"webhook {url!r}: expected an http:// or https:// URL")
    if not secret:
        raise InvalidValue("a webhook needs a secret to sign its deliveries (--secret-env VAR)")


def add_watch(
    session: Session,
    *,
    kind: str,
    target: str,
    threshold: float | None = None,
    note: str | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    by: str | None = None,
) -> Watch:
    """A new watch; the same watch already active is a `Conflict`."""
    chosen = _kind(kind)
    stored, entity_id = _target(session, chosen, target)
    limit = _threshold(chosen, threshold)
    _webhook(webhook_url, webhook_secret)
    same = session.exec(
        select(Watch.id).where(
            Watch.kind == chosen,
            sa.func.lower(Watch.target) == stored.lower(),
            col(Watch.removed_at).is_(None),
        )
    ).first()
    if same is not None:
        raise Conflict(f"watch {same} already follows {chosen.value} {stored!r}")
    watch = Watch(
        kind=chosen,
        target=stored,
        entity_id=entity_id,
        threshold=limit,
        note=note,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        created_by=(by if by is not None else getpass.getuser()).strip(),
    )
    session.add(watch)
    session.flush()
    return watch


def watch_by_id(session: Session, watch_id: int) -> Watch:
    watch = session.get(Watch, watch_id) if 0 < watch_id <= MAX_ID else None
    if watch is None:
        raise NotFound("watch", str(watch_id))
    return watch


def remove_watch(session: Session, watch_id: int) -> Watch:
    """Set `removed_at`: the row stays, so its alerts still name what they were for."""
    watch = watch_by_id(session, watch_id)
    if watch.removed_at is not None:
        raise Conflict(f"watch {watch_id} was removed already")
    watch.removed_at = utc_now()
    session.add(watch)
    session.flush()
    return watch


def watch_list(session: Session, *, include_removed: bool = False) -> list[WatchRecord]:
    """Watches in the order they were added."""
    query = (
        select(Watch, Entity.key)
        .outerjoin(Entity, col(Entity.id) == Watch.entity_id)
        .order_by(col(Watch.id))
    )
    if not include_removed:
        query = query.where(col(Watch.removed_at).is_(None))
    return [watch_record(watch, key) for watch, key in session.exec(query)]


def watch_record(watch: Watch, entity_key: str | None) -> WatchRecord:
    assert watch.id is not None
    return WatchRecord(
        id=watch.id,
        kind=watch.kind,
        target=watch.target,
        entity_key=entity_key,
        threshold=watch.threshold,
        note=watch.note,
        webhook_url=watch.webhook_url,
        created_by=watch.created_by,
        created_at=watch.created_at,
        removed_at=watch.removed_at,
    )
