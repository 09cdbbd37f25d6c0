"""The one reconcile step every list format shares: compare an edition with the database by
identifier, in bulk, and write what changed with its events.

For a list (authority + list code), an entry is *added* when its identifier is new, *changed*
when any of its listed fields differ from what the previous edition said (exact before/after
is recorded, including programs added or removed), *removed* (delisted: its designations end on
the new publish date) when it is gone, else *unchanged*. The previous edition's view of each
entry is kept in `entity.details[<authority>/<list>]`, so the comparison is exact and cheap.

Guards: a file whose entry count differs from its own header is refused; an edition that would
delist more than 5% of the list is refused unless allowed; an edition older than the latest one
imported is refused unless forced; the identical file again changes nothing.
"""

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, insert, update
from sqlmodel import Session, col, select

from tracker.enums import (
    COSMETIC_NOTE,
    AliasKind,
    DesignationStatus,
    EventAction,
    SubjectType,
)
from tracker.errors import Conflict, InvalidInput
from tracker.importers.records import Edition, ListedParty
from tracker.models import (
    Alias,
    Authority,
    Designation,
    Entity,
    Event,
    Identifier,
    ImportRun,
    utc_now,
)

MASS_DELISTING_SHARE = 0.05
COSMETIC_DETAILS = {"remarks", "addresses"}
BATCH = 2_000
KNOWN_AUTHORITIES = {
    "us-ofac": ("Office of Foreign Assets Control, US Department of the Treasury", "US"),
}


@dataclass(frozen=True)
class ListSpec:
    """Which list an importer writes: who keeps it and how its entries are identified."""

    authority: str  # e.g. us-ofac
    scheme: str  # identifier scheme, e.g. ofac-uid
    key_prefix: str  # new entities get the key f"{key_prefix}-{identifier}"


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    force: bool = False
    allow_mass_delisting: bool = False


@dataclass
class ImportSummary:
    file_name: str
    format: str
    list_code: str
    published_on: str | None
    sha256: str
    run_id: int | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    cosmetic: int = 0  # of the changed: only whitespace, punctuation or case in remarks/addresses
    dry_run: bool = False
    already_imported: bool = False
    changed_fields: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(slots=True)
class _Known:
    """What the database holds for one listed entry."""

    entity_id: int
    digest: bytes | None  # of what the previous edition said (the full text stays on disk)
    designations: dict[str, int]  # program -> active designation id


Progress = Callable[[int], None]


def _authority(session: Session, key: str) -> Authority:
    authority = session.exec(select(Authority).where(Authority.key == key)).first()
    if authority is not None:
        return authority
    name, jurisdiction = KNOWN_AUTHORITIES.get(key, (key, "XX"))
    authority = Authority(key=key, name=name, jurisdiction=jurisdiction)
    session.add(authority)
    session.flush()
    return authority


def _slot(spec: ListSpec, list_code: str) -> str:
    return f"{spec.authority}/{list_code}"


def _known(
    session: Session, spec: ListSpec, authority_id: int, list_code: str
) -> dict[str, _Known]:
    """Every entry of this list the database knows, by identifier, in two queries."""
    known: dict[str, _Known] = {}
    slot = _slot(spec, list_code)
    for value, entity_id, details in session.exec(
        select(Identifier.value, Identifier.entity_id, Entity.details)
        .join(Entity, Entity.id == Identifier.entity_id)
        .where(Identifier.scheme == spec.scheme)
    ):
        listed = (details or {}).get(slot)
        known[value] = _Known(entity_id, None if listed is None else digest(listed), {})
    by_entity = {entry.entity_id: entry for entry in known.values()}
    for designation_id, entity_id, program in session.exec(
        select(Designation.id, Designation.entity_id, Designation.program).where(
            Designation.authority_id == authority_id,
            Designation.list_code == list_code,
            col(Designation.ended_on).is_(None),
        )
    ):
        if entity_id in by_entity:
            by_entity[entity_id].designations[program or ""] = designation_id
    return known


def _check_edition(
    session: Session, edition: Edition, summary: ImportSummary, options: ImportOptions
) -> bool:
    """False when this exact file was imported already; raises when the edition is refused."""
    previous = session.exec(select(ImportRun).where(ImportRun.list_code == edition.list_code)).all()
    if any(run.sha256 == summary.sha256 for run in previous):
        return False
    latest = max((run.published_on for run in previous if run.published_on), default=None)
    if latest and edition.published_on and edition.published_on < latest and not options.force:
        raise Conflict(
            f"{summary.file_name}: edition of {edition.published_on} is older than the latest"
            f" imported ({latest}): give --force to import it anyway"
        )
    return True


def import_edition(
    session: Session,
    *,
    edition: Edition,
    spec: ListSpec,
    summary: ImportSummary,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportSummary:
    """Reconcile one edition with the database inside the caller's transaction."""
    summary.dry_run = options.dry_run
    if not _check_edition(session, edition, summary, options):
        summary.already_imported = True
        summary.unchanged = sum(1 for _ in edition.parties)
        return summary
    authority = _authority(session, spec.authority)
    assert authority.id is not None
    run = ImportRun(
        format=edition.format,
        list_code=edition.list_code,
        file_name=summary.file_name,
        sha256=summary.sha256,
        published_on=edition.published_on,
        started_at=utc_now(),
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    summary.run_id = run.id
    writer = _Writer(session, spec, authority.id, edition, run.id, summary)
    known = _known(session, spec, authority.id, edition.list_code)
    listed_before = sum(1 for entry in known.values() if entry.designations)
    seen: set[str] = set()
    for batch in _batches(edition.parties):
        for party in batch:
            if party.identifier in seen:
                raise InvalidInput(
                    f"{summary.file_name}: entry {party.identifier} appears twice"
                    + (f" (line {party.line})" if party.line else "")
                )
            seen.add(party.identifier)
        writer.apply(batch, known)
        if progress is not None:
            progress(len(batch))
    parsed = len(seen)
    if edition.declared_count is not None and parsed != edition.declared_count:
        raise InvalidInput(
            f"{summary.file_name}: the file says it holds {edition.declared_count} entries but"
            f" {parsed} were read: refusing a partial or damaged file"
        )
    gone = [entry for ident, entry in known.items() if ident not in seen and entry.designations]
    if (
        listed_before
        and len(gone) > MASS_DELISTING_SHARE * listed_before
        and not options.allow_mass_delisting
    ):
        raise Conflict(
            f"{summary.file_name}: this edition would delist {len(gone)} of the"
            f" {listed_before} entries on the list ({len(gone) / listed_before:.1%},"
            f" more than {MASS_DELISTING_SHARE:.0%}): refusing; give --allow-mass-delisting"
            " if the list really shrank"
        )
    writer.delist(gone)
    run.added, run.changed, run.removed = summary.added, summary.changed, summary.removed
    run.unchanged = summary.unchanged
    run.finished_at = utc_now()
    session.add(run)
    return summary


def _batches(parties: Iterator[ListedParty]) -> Iterator[list[ListedParty]]:
    batch: list[ListedParty] = []
    for party in parties:
        batch.append(party)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Writer:
    """Bulk writes for one import: entities, identifiers, aliases, designations, events."""

    def __init__(
        self,
        session: Session,
        spec: ListSpec,
        authority_id: int,
        edition: Edition,
        run_id: int,
        summary: ImportSummary,
    ) -> None:
        self.session = session
        self.spec = spec
        self.authority_id = authority_id
        self.edition = edition
        self.run_id = run_id
        self.summary = summary
        self.slot = _slot(spec, edition.list_code)
        self.recorded_at = utc_now()

    def _event(self, action: EventAction, subject: SubjectType, subject_id: int,
               entity_id: int, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> dict[str, Any]:  # fmt: skip
        return {
            "action": action,
            "subject_type": subject,
            "subject_id": subject_id,
            "entity_id": entity_id,
            "occurred_on": self.edition.published_on,
            "recorded_at": self.recorded_at,
            "before": before,
            "after": after,
            "import_run_id": self.run_id,
        }

    def apply(self, batch: list[ListedParty], known: dict[str, _Known]) -> None:
        new = [party for party in batch if party.identifier not in known]
        new_identifiers = {party.identifier for party in new}
        self._add(new, known)
        events: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for party in batch:
            if party.identifier in new_identifiers:
                continue
            entry = known[party.identifier]
            listed = party.comparable()
            listed_digest = digest(listed)
            on_list = entry.digest is not None and bool(entry.designations)
            if (
                on_list
                and entry.digest == listed_digest
                and set(entry.designations) == set(listed["programs"])
            ):
                self.summary.unchanged += 1
                continue
            current = self.session.get(Entity, entry.entity_id)
            assert current is not None
            before_all = (current.details or {}).get(self.slot) or {}
            updates.append(
                {"id": entry.entity_id, "name": party.name, "kind": party.kind,
                 "details": {**(current.details or {}), self.slot: listed}}
            )  # fmt: skip
            if on_list:
                changed = sorted(k for k in listed if before_all.get(k) != listed[k])
                for name in changed:
                    self.summary.changed_fields[name] = self.summary.changed_fields.get(name, 0) + 1
                self.summary.changed += 1
                event = self._event(
                    EventAction.AMENDED, SubjectType.ENTITY, entry.entity_id, entry.entity_id,
                    {k: before_all.get(k) for k in changed}, {k: listed[k] for k in changed},
                )  # fmt: skip
                if is_cosmetic(before_all, listed):
                    event["note"] = COSMETIC_NOTE
                    self.summary.cosmetic += 1
                events.append(event)
            else:
                self.summary.added += 1  # back on the list, or newly on this list
            entry.digest = listed_digest
            events += self._programs(entry, party)
            self._aliases(entry.entity_id, party, before_all)
        if updates:
            self.session.execute(update(Entity), updates)
        self._insert_events(events)

    def _add(self, parties: list[ListedParty], known: dict[str, _Known]) -> None:
        if not parties:
            return
        rows = [
            {
                "key": f"{self.spec.key_prefix}-{party.identifier}",
                "name": party.name,
                "kind": party.kind,
                "details": {self.slot: party.comparable()},
            }
            for party in parties
        ]
        # Returning the key with the id lets the driver batch the insert (no row-order needed).
        id_of = {
            key: entity_id
            for entity_id, key in self.session.execute(
                insert(Entity).returning(Entity.id, Entity.key), rows
            )
        }
        ids = [id_of[row["key"]] for row in rows]
        self.session.execute(
            insert(Identifier),
            [
                {"entity_id": entity_id, "scheme": self.spec.scheme, "value": party.identifier}
                for entity_id, party in zip(ids, parties, strict=True)
            ],
        )
        aliases = [
            {"entity_id": entity_id, "name": alias.name, "kind": alias.kind}
            for entity_id, party in zip(ids, parties, strict=True)
            for alias in dict.fromkeys(party.aliases)
            if alias.name != party.name
        ]
        if aliases:
            self.session.execute(insert(Alias), _unique_aliases(aliases))
        wanted = []
        for entity_id, party in zip(ids, parties, strict=True):
            entry = _Known(entity_id, digest(party.comparable()), {})
            known[party.identifier] = entry
            wanted += [(entry, party, program) for program in sorted(set(party.programs))]
        self._insert_events(self._designate(wanted))
        self.summary.added += len(parties)

    def _designate(self, wanted: list[tuple[_Known, ListedParty, str]]) -> list[dict[str, Any]]:
        """One designation per (entry, program), inserted together; their `listed` events."""
        if not wanted:
            return []
        status_text = f"on the {self.edition.list_code} list of {self.edition.published_on}"
        # The lists give no listing dates: a designation is known in force from the first
        # edition that shows it (the real date is on or before), not from the dawn of time.
        rows = [
            {
                "entity_id": entry.entity_id,
                "authority_id": self.authority_id,
                "list_code": self.edition.list_code,
                "program": program,
                "effective_on": self.edition.published_on,
                "status": DesignationStatus.ACTIVE,
                "status_text": status_text,
            }
            for entry, _, program in wanted
        ]
        id_of = {
            (entity_id, program): designation_id
            for designation_id, entity_id, program in self.session.execute(
                insert(Designation).returning(
                    Designation.id, Designation.entity_id, Designation.program
                ),
                rows,
            )
        }
        events = []
        for entry, party, program in wanted:
            designation_id = id_of[(entry.entity_id, program)]
            entry.designations[program] = designation_id
            after = {"authority": self.spec.authority, "list_code": self.edition.list_code,
                     "program": program, "name": party.name}  # fmt: skip
            events.append(
                self._event(EventAction.LISTED, SubjectType.DESIGNATION, designation_id,
                            entry.entity_id, None, after)
            )  # fmt: skip
        return events

    def _programs(self, entry: _Known, party: ListedParty) -> list[dict[str, Any]]:
        wanted = set(party.programs)
        added = sorted(wanted - set(entry.designations))
        removed = sorted(set(entry.designations) - wanted)
        events = self._designate([(entry, party, program) for program in added])
        events += self._end(entry, removed)
        return events

    def _end(self, entry: _Known, programs: list[str]) -> list[dict[str, Any]]:
        if not programs:
            return []
        ids = [entry.designations.pop(program) for program in programs]
        day = self.edition.published_on
        # An older edition imported with --force may end a designation first seen later: it
        # then ends the day it began, never before (the dates' CHECK constraint).
        self.session.execute(
            update(Designation)
            .where(col(Designation.id).in_(ids))
            .values(
                ended_on=case((col(Designation.effective_on) > day, Designation.effective_on),
                              else_=day),
                status=DesignationStatus.REVOKED,
                status_text=f"removed from the {self.edition.list_code} list",
            )
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        return [
            self._event(EventAction.DELISTED, SubjectType.DESIGNATION, designation_id,
                        entry.entity_id, {"status": "active", "ended_on": None},
                        {"status": "revoked", "ended_on": day})
            for designation_id in ids
        ]  # fmt: skip

    def _aliases(self, entity_id: int, party: ListedParty, before: dict[str, Any]) -> None:
        """Names new in this edition become aliases (old ones stay: history is kept)."""
        existing = set(self.session.exec(select(Alias.name).where(Alias.entity_id == entity_id)))
        rows = [
            {"entity_id": entity_id, "name": alias.name, "kind": alias.kind}
            for alias in dict.fromkeys(party.aliases)
            if alias.name not in existing and alias.name != party.name
        ]
        if before.get("name") and before["name"] != party.name and before["name"] not in existing:
            rows.append({"entity_id": entity_id, "name": before["name"], "kind": AliasKind.FKA})
        if rows:
            self.session.execute(insert(Alias), _unique_aliases(rows))

    def delist(self, gone: list[_Known]) -> None:
        events: list[dict[str, Any]] = []
        for entry in gone:
            events += self._end(entry, sorted(entry.designations))
            self.summary.removed += 1
        self._insert_events(events)

    def _insert_events(self, events: list[dict[str, Any]]) -> None:
        if events:
            self.session.execute(insert(Event), events)


def digest(listed: dict[str, Any]) -> bytes:
    """A short fingerprint of what an edition said: kept in memory instead of the text."""
    text = json.dumps(listed, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _loose(value: Any) -> str:
    """A value reduced to its letters and digits, lower case: what a cosmetic edit keeps."""
    return re.sub(r"[\W_]+", "", json.dumps(value, ensure_ascii=False, sort_keys=True)).lower()


def is_cosmetic(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """True when only whitespace, punctuation or case changed, and only in remarks or
    addresses. Names, programs, aliases, identifiers and listing status are substantive."""
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key not in COSMETIC_DETAILS or _loose(old) != _loose(new):
            return False
    return True


def _unique_aliases(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (entity, name): a list may give the same name as aka and fka."""
    unique: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        unique.setdefault((row["entity_id"], row["name"]), row)
    return list(unique.values())
