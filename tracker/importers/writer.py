"""Bulk writes for one import: entities, identifiers, aliases, designations and their events,
each kind inserted together per batch of entries."""

import hashlib
import json
import re
from dataclasses import replace
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import case, insert, tuple_, update
from sqlmodel import Session, col, select

from tracker.batching import batched
from tracker.enums import (
    COSMETIC_NOTE,
    AliasKind,
    DesignationStatus,
    EventAction,
    SanctionStatus,
    SubjectType,
)
from tracker.importers.authorities import authority_id
from tracker.importers.records import (
    Edition,
    ImportSummary,
    KnownEntry,
    ListedAlias,
    ListedParty,
    Listing,
    ListingKey,
    ListSpec,
    list_slot,
)
from tracker.models import Alias, Designation, Entity, Event, Identifier, Sanction, utc_now
from tracker.services.search_index import reindex

COSMETIC_DETAILS = {"remarks", "addresses"}
Status = TypeVar("Status", bound=StrEnum)
Wanted = tuple[KnownEntry, ListedParty, Listing]  # a listing to insert, and whose it is
ENDS_PER_STATEMENT = 500  # listings ended by one UPDATE (ids IN (...))


class EditionWriter:
    """Writes one edition's changes; the import's counts go to its summary."""

    def __init__(
        self,
        session: Session,
        spec: ListSpec,
        edition: Edition,
        run_id: int,
        summary: ImportSummary,
    ) -> None:
        self.session = session
        self.spec = spec
        self.authority_ids: dict[str, int] = {}
        self.ending: dict[tuple[bool, str | None], list[int]] = {}  # (sanction?, day) -> ids
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
        joined = self._join_cross_references(new, known)
        new = [party for party in new if party.identifier not in joined]
        added_ids = self._add(new, known)
        new_identifiers = {party.identifier for party in new}
        events: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for party in batch:
            if party.identifier in new_identifiers:
                continue
            entry = known[party.identifier]
            listed = party.comparable
            listed_digest = digest(listed)
            on_list = entry.on_list
            if (
                on_list
                and entry.digest == listed_digest
                and set(entry.designations) == self._in_force(party)
            ):
                self.summary.unchanged += 1
                continue
            current = self.session.get(Entity, entry.entity_id)
            assert current is not None
            before_all = (current.details or {}).get(self.slot) or {}
            row = self._update(current, party, listed)
            updates.append(row)
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
                self.summary.added += 1  # back on the list, newly on this list, or joined
            entry.digest = listed_digest
            entry.bare = not party.listings
            events += self._listings(entry, party, before_all)
            self._aliases(entry.entity_id, party, before_all, row.get("name", current.name))
        if updates:
            self.session.execute(update(Entity), updates)
        self._flush_ends()
        self._insert_events(events)
        reindex(self.session, added_ids + [row["id"] for row in updates])

    def _update(
        self, current: Entity, party: ListedParty, listed: dict[str, Any]
    ) -> dict[str, Any]:
        """The entity's new row. A list renames only an entity it made and no other list speaks
        of: on a shared one its name becomes an alias instead (see `_aliases`)."""
        others = any(slot != self.slot for slot in (current.details or {}) if "/" in slot)
        made_here = current.key == self.spec.entity_key(party.identifier) or current.key.startswith(
            f"{self.spec.key_prefix}-"
        )
        row: dict[str, Any] = {
            "id": current.id,
            "details": {**(current.details or {}), self.slot: listed},
        }
        if made_here and not others:
            row |= {"name": party.name, "kind": party.kind}
            if party.country:
                row["country"] = party.country
            if party.description:
                row["description"] = party.description
        return row

    def _join_cross_references(
        self, parties: list[ListedParty], known: dict[str, KnownEntry]
    ) -> set[str]:
        """New entries naming an identifier an entity already holds join that entity (the
        lists share an identifier: one real-world target), unless this list already speaks
        of it. Returns the identifiers of the entries that joined."""
        wanted = {ref: party for party in parties for ref in party.cross_references}
        if not wanted:
            return set()
        holders: dict[tuple[str, str], int] = {}
        for scheme, value, entity_id in self.session.execute(
            select(Identifier.scheme, Identifier.value, Identifier.entity_id).where(
                tuple_(Identifier.scheme, Identifier.value).in_(list(wanted))
            )
        ):
            holders[(scheme, value)] = entity_id
        taken = {entry.entity_id for entry in known.values() if entry.digest is not None}
        joined: set[str] = set()
        for ref, entity_id in holders.items():
            party = wanted[ref]
            if party.identifier in joined or entity_id in taken:
                continue
            taken.add(entity_id)
            joined.add(party.identifier)
            known[party.identifier] = KnownEntry(entity_id, None, {})
            self.session.execute(
                insert(Identifier),
                [{"entity_id": entity_id, "scheme": self.spec.scheme, "value": party.identifier}],
            )
        return joined

    def _add(self, parties: list[ListedParty], known: dict[str, KnownEntry]) -> list[int]:
        """Insert new entries with their identifiers, aliases and listings; their ids."""
        if not parties:
            return []
        listings = [party.comparable for party in parties]
        keys = self._free_keys(parties)
        rows = [
            {
                "key": key,
                "name": party.name,
                "kind": party.kind,
                "country": party.country,
                "description": party.description,
                "details": {self.slot: listed},
            }
            for party, key, listed in zip(parties, keys, listings, strict=True)
        ]
        # Returning the key with the id lets the driver batch the insert (no row-order needed).
        id_of = {
            key: entity_id
            for entity_id, key in self.session.execute(
                insert(Entity).returning(Entity.id, Entity.key), rows
            )
        }
        ids = [id_of[row["key"]] for row in rows]
        held = self._held({ref for party in parties for ref in party.cross_references})
        identifiers = []
        for entity_id, party in zip(ids, parties, strict=True):
            identifiers.append((entity_id, self.spec.scheme, party.identifier))
            for ref in party.cross_references:
                if ref not in held:
                    held.add(ref)
                    identifiers.append((entity_id, *ref))
        self.session.execute(
            insert(Identifier),
            [{"entity_id": e, "scheme": sch, "value": value} for e, sch, value in identifiers],
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
            entry = KnownEntry(entity_id, digest(listed), {}, bare=not party.listings)
            known[party.identifier] = entry
            wanted += [(entry, party, listing) for listing in _unique_listings(party, self.spec)]
        self._insert_events(self._list(wanted))
        self.summary.added += len(parties)
        return ids

    def _free_keys(self, parties: list[ListedParty]) -> list[str]:
        """Each new entry's entity key; one already taken (by another list's entity, or by a
        near-identical identifier) gets a suffix made from the identifier."""
        keys = [self.spec.entity_key(party.identifier) for party in parties]
        taken = set(self.session.exec(select(Entity.key).where(col(Entity.key).in_(set(keys)))))
        free = []
        for key, party in zip(keys, parties, strict=True):
            if key in taken:
                suffix = hashlib.blake2b(party.identifier.encode(), digest_size=4).hexdigest()
                key = f"{key[: 127 - len(suffix)]}-{suffix}"
            taken.add(key)
            free.append(key)
        return free

    def _held(self, refs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        if not refs:
            return set()
        return {
            (scheme, value)
            for scheme, value in self.session.execute(
                select(Identifier.scheme, Identifier.value).where(
                    tuple_(Identifier.scheme, Identifier.value).in_(list(refs))
                )
            )
        }

    def _authority_id(self, key: str) -> int:
        if key not in self.authority_ids:
            self.authority_ids[key] = authority_id(self.session, key, self.edition.authorities)
        return self.authority_ids[key]

    def _start(self, listing: Listing) -> str | None:
        """The list's own start; for a list that gives none, the first edition showing it
        (the real date is on or before), not the dawn of time."""
        if listing.listed_on or self.spec.keyed_by_start:
            return listing.listed_on
        return self.edition.published_on

    def _in_force(self, party: ListedParty) -> set[ListingKey]:
        return {listing.key(self.spec) for listing in party.listings if not listing.ended_on}

    def _list(self, wanted: list[Wanted]) -> list[dict[str, Any]]:
        """Insert designations (and, for listings with a measure, sanctions), together; their
        `listed` / `imposed` events, and the end of those the list says have ended."""
        if not wanted:
            return []
        designations = [item for item in wanted if item[2].measure is None]
        sanctions = [item for item in wanted if item[2].measure is not None]
        inserted = self._insert_designations(designations) + self._insert_sanctions(sanctions)
        events = []
        for (entry, party, listing), listing_id in zip(
            designations + sanctions, inserted, strict=True
        ):
            key = listing.key(self.spec)
            is_sanction = listing.measure is not None
            after = {"authority": key[0], "list_code": self.edition.list_code,
                     "program": listing.program, "name": party.name}  # fmt: skip
            if is_sanction:
                after["measure"] = key[2]
            events.append(
                self._event(EventAction.IMPOSED if is_sanction else EventAction.LISTED,
                            SubjectType.SANCTION if is_sanction else SubjectType.DESIGNATION,
                            listing_id, entry.entity_id, None, after)
            )  # fmt: skip
            if listing.ended_on:
                events.append(self._ended_event(key, listing_id, entry.entity_id,
                                                listing.ended_on))  # fmt: skip
            else:
                entry.designations[key] = listing_id
        return events

    def _insert_designations(self, wanted: list[Wanted]) -> list[int]:
        if not wanted:
            return []
        status_text = f"on the {self.edition.list_code} list of {self.edition.published_on}"
        rows = [
            {
                "entity_id": entry.entity_id,
                "authority_id": self._authority_id(listing.key(self.spec)[0]),
                "list_code": self.edition.list_code,
                "program": listing.program or None,
                "effective_on": self._start(listing),
                "ended_on": listing.ended_on,
                "status": _status(DesignationStatus, listing.status, listing.ended_on,
                                  DesignationStatus.REVOKED),
                "status_text": status_text,
                "legal_basis": listing.legal_basis,
                "reason": listing.reason,
            }
            for entry, _, listing in wanted
        ]  # fmt: skip
        return self._insert_ids(
            Designation, rows, ("entity_id", "authority_id", "program", "effective_on")
        )

    def _insert_sanctions(self, wanted: list[Wanted]) -> list[int]:
        if not wanted:
            return []
        rows = [
            {
                "entity_id": entry.entity_id,
                "authority_id": self._authority_id(listing.key(self.spec)[0]),
                "measure": listing.measure,
                "program": listing.program or None,
                "start_on": self._start(listing),
                "end_on": listing.ended_on,
                "status": _status(SanctionStatus, listing.status, listing.ended_on,
                                  SanctionStatus.LIFTED),
                "legal_basis": listing.legal_basis,
                "notes": listing.reason,
            }
            for entry, _, listing in wanted
        ]  # fmt: skip
        return self._insert_ids(
            Sanction, rows, ("entity_id", "authority_id", "measure", "program", "start_on")
        )

    def _insert_ids(
        self,
        table: type[Designation] | type[Sanction],
        rows: list[dict[str, Any]],
        identity: tuple[str, ...],
    ) -> list[int]:
        """Insert rows together and return their ids in row order, matched by columns that
        tell one batch's rows apart. Returning those instead of asking for the rows' order
        lets the driver batch the insert (SQLite cannot promise the order)."""
        columns = [getattr(table, name) for name in identity]
        id_of = {
            tuple(found): row_id
            for row_id, *found in self.session.execute(
                insert(table).returning(table.id, *columns), rows
            )
        }
        assert len(id_of) == len(rows), "listings of one batch must differ in their identity"
        return [id_of[tuple(row[name] for name in identity)] for row in rows]

    def _listings(
        self, entry: KnownEntry, party: ListedParty, before: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Listings new in this edition are inserted; those gone (or now ended) end."""
        listings = _unique_listings(party, self.spec)
        in_force = self._in_force(party)
        already_ended = {
            (Listing.from_dict(item).key(self.spec), item.get("ended_on"))
            for item in before.get("listings", [])
        }
        new = [
            listing
            for listing in listings
            if listing.key(self.spec) not in entry.designations
            and (listing.key(self.spec), listing.ended_on) not in already_ended
        ]
        ended = {
            listing.key(self.spec): listing.ended_on
            for listing in listings
            if listing.ended_on and listing.key(self.spec) in entry.designations
        }
        gone = [key for key in entry.designations if key not in in_force and key not in ended]
        events = self._list([(entry, party, listing) for listing in new])
        events += self._end(entry, gone)
        for key, day in ended.items():
            events += self._end(entry, [key], day)
        return events

    def _end(
        self, entry: KnownEntry, keys: list[ListingKey], day: str | None = None
    ) -> list[dict[str, Any]]:
        """End listings: on `day` when the list gives it, else on the edition's date. The
        rows are updated together by `_flush_ends`, one statement per table and day."""
        day = day or self.edition.published_on
        events = []
        for key in sorted(keys):
            listing_id = entry.designations.pop(key)
            self.ending.setdefault((bool(key[2]), day), []).append(listing_id)
            events.append(self._ended_event(key, listing_id, entry.entity_id, day))
        return events

    def _flush_ends(self) -> None:
        for (is_sanction, day), ids in self.ending.items():
            table, start, end = (
                (Sanction, Sanction.start_on, Sanction.end_on)
                if is_sanction
                else (Designation, Designation.effective_on, Designation.ended_on)
            )
            values = {
                # An older edition imported with --force may end a listing first seen later:
                # it then ends the day it began, never before (the dates' CHECK constraint).
                end: case((col(start) > day, start), else_=day),
                table.status: SanctionStatus.LIFTED if is_sanction else DesignationStatus.REVOKED,
            }
            if not is_sanction:
                values[Designation.status_text] = f"removed from the {self.edition.list_code} list"
            for chunk in batched(ids, ENDS_PER_STATEMENT):
                self.session.execute(
                    update(table)
                    .where(col(table.id).in_(chunk))
                    .values(values)
                    .execution_options(synchronize_session=False)
                )
        self.ending.clear()

    def _ended_event(
        self, key: ListingKey, listing_id: int, entity_id: int, day: str | None
    ) -> dict[str, Any]:
        if key[2]:
            return self._event(EventAction.LIFTED, SubjectType.SANCTION, listing_id, entity_id,
                               {"status": "active", "end_on": None},
                               {"status": "lifted", "end_on": day})  # fmt: skip
        return self._event(EventAction.DELISTED, SubjectType.DESIGNATION, listing_id, entity_id,
                           {"status": "active", "ended_on": None},
                           {"status": "revoked", "ended_on": day})  # fmt: skip

    def _aliases(
        self, entity_id: int, party: ListedParty, before: dict[str, Any], entity_name: str
    ) -> None:
        """Names new in this edition become aliases (old ones stay: history is kept): the
        list's name for an entity that goes by another, and a former name as f.k.a."""
        existing = set(self.session.exec(select(Alias.name).where(Alias.entity_id == entity_id)))
        existing.add(entity_name)
        names = [*party.aliases, ListedAlias(party.name)]
        if before.get("name") and before["name"] != party.name:
            names.append(ListedAlias(before["name"], AliasKind.FKA))
        rows = [
            {"entity_id": entity_id, "name": alias.name, "kind": alias.kind}
            for alias in dict.fromkeys(names)
            if alias.name not in existing
        ]
        if rows:
            self.session.execute(insert(Alias), _unique_aliases(rows))

    def delist(self, gone: list[KnownEntry]) -> None:
        """End the listings of entries gone from the list. An entry listed without listings
        loses this list's slot instead, so a later edition that lists it again adds it."""
        events: list[dict[str, Any]] = []
        for entry in gone:
            events += self._end(entry, sorted(entry.designations))
            if entry.bare:
                current = self.session.get(Entity, entry.entity_id)
                assert current is not None
                details = dict(current.details or {})
                before = details.pop(self.slot, None)
                self.session.execute(
                    update(Entity), [{"id": entry.entity_id, "details": details or None}]
                )
                entry.digest = None
                events.append(
                    self._event(EventAction.DELISTED, SubjectType.ENTITY, entry.entity_id,
                                entry.entity_id, {"list_code": self.edition.list_code,
                                                  "name": (before or {}).get("name")}, None)
                )  # fmt: skip
            self.summary.removed += 1
        self._flush_ends()
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


def _unique_listings(party: ListedParty, spec: ListSpec) -> list[Listing]:
    """One listing per key: a list may list an entry twice under one program (two FtM
    sanctions, two regulations); the earliest start wins, and it ends only if both end."""
    unique: dict[ListingKey, Listing] = {}
    for listing in party.listings:
        key = listing.key(spec)
        seen = unique.get(key)
        if seen is None:
            unique[key] = listing
            continue
        starts = [day for day in (seen.listed_on, listing.listed_on) if day]
        ends = [seen.ended_on, listing.ended_on]
        unique[key] = replace(
            seen,
            listed_on=min(starts) if starts else None,
            ended_on=None if None in ends else max(day for day in ends if day),
        )
    return list(unique.values())


def _status(enum: type[Status], text: str | None, ended_on: str | None, ended: Status) -> Status:
    """The list's own status word when it is one of ours, else active or (ended) `ended`."""
    if text and text in {member.value for member in enum}:
        return enum(text)
    return ended if ended_on else enum("active")
