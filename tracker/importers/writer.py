"""Bulk writes for one import: entities, identifiers, aliases, designations and their events,
each kind inserted together per batch of entries."""

import hashlib
import json
import re
from typing import Any

from sqlalchemy import case, insert, update
from sqlmodel import Session, col, select

from tracker.enums import COSMETIC_NOTE, AliasKind, DesignationStatus, EventAction, SubjectType
from tracker.importers.records import (
    Edition,
    ImportSummary,
    KnownEntry,
    ListedParty,
    ListSpec,
    list_slot,
)
from tracker.models import Alias, Designation, Entity, Event, Identifier, utc_now
from tracker.services.search_index import reindex

COSMETIC_DETAILS = {"remarks", "addresses"}


class EditionWriter:
    """Writes one edition's changes; the import's counts go to its summary."""

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
        self.slot = list_slot(spec, edition.list_code)
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

    def apply(self, batch: list[ListedParty], known: dict[str, KnownEntry]) -> None:
        new = [party for party in batch if party.identifier not in known]
        new_identifiers = {party.identifier for party in new}
        added_ids = self._add(new, known)
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
        reindex(self.session, added_ids + [row["id"] for row in updates])

    def _add(self, parties: list[ListedParty], known: dict[str, KnownEntry]) -> list[int]:
        """Insert new entries with their identifiers, aliases and designations; their ids."""
        if not parties:
            return []
        listings = [party.comparable() for party in parties]
        rows = [
            {
                "key": f"{self.spec.key_prefix}-{party.identifier}",
                "name": party.name,
                "kind": party.kind,
                "details": {self.slot: listed},
            }
            for party, listed in zip(parties, listings, strict=True)
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
        for entity_id, party, listed in zip(ids, parties, listings, strict=True):
            entry = KnownEntry(entity_id, digest(listed), {})
            known[party.identifier] = entry
            wanted += [(entry, party, program) for program in sorted(set(party.programs))]
        self._insert_events(self._designate(wanted))
        self.summary.added += len(parties)
        return ids

    def _designate(self, wanted: list[tuple[KnownEntry, ListedParty, str]]) -> list[dict[str, Any]]:
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

    def _programs(self, entry: KnownEntry, party: ListedParty) -> list[dict[str, Any]]:
        wanted = set(party.programs)
        added = sorted(wanted - set(entry.designations))
        removed = sorted(set(entry.designations) - wanted)
        events = self._designate([(entry, party, program) for program in added])
        events += self._end(entry, removed)
        return events

    def _end(self, entry: KnownEntry, programs: list[str]) -> list[dict[str, Any]]:
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

    def delist(self, gone: list[KnownEntry]) -> None:
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
