"""Writing one edition, a batch of entries at a time, through the bulk services: each batch
reads only the list entries it names (`entries.ListRows`), decides what changed (`diff`), and
writes it in a few statements. Every row it writes cites the edition's source."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.enums import COSMETIC_NOTE, AliasKind, EventAction, SubjectType
from tracker.importers.authorities import authority_named
from tracker.importers.countries import listed_countries
from tracker.importers.diff import (
    ListingChanges,
    OpenListing,
    changed_fields,
    diff_listings,
    is_cosmetic,
    listing_status,
    unique_listings,
)
from tracker.importers.entries import ENTRY, Held, ListRows
from tracker.importers.facts import entry_facts
from tracker.importers.records import Edition, ImportTally, ListedParty, Listing
from tracker.models import Entity, ImportRun, utc_now
from tracker.services.authorities import ensure_authority
from tracker.services.core import core, insert_returning_ids, update_rows
from tracker.services.countries import EntryCountries, set_entry_countries
from tracker.services.entities import (
    NewAlias,
    NewEntity,
    add_aliases,
    add_entities,
    add_identifiers,
)
from tracker.services.events import EventRow, event_row, insert_events
from tracker.services.facts import EntryFacts, set_entry_facts
from tracker.services.links import Relation, add_relations
from tracker.services.listings import (
    DESIGNATION,
    SANCTION,
    Amendment,
    Ending,
    NewListing,
    add_listings,
    amend_listings,
    end_listings,
)
from tracker.services.search_index import reindex


@dataclass
class Batch:
    """What one batch writes, gathered so each kind is written in one statement."""

    listings: list[NewListing] = field(default_factory=list)
    endings: list[Ending] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    aliases: list[tuple[int, NewAlias]] = field(default_factory=list)
    renamed: set[int] = field(default_factory=set)
    countries: list[EntryCountries] = field(default_factory=list)
    facts: list[EntryFacts] = field(default_factory=list)


class EditionWriter:
    """Writes one edition's changes; the counts go to its summary."""

    def __init__(
        self, session: Session, edition: Edition, run: ImportRun, summary: ImportTally
    ) -> None:
        assert run.id is not None
        self.session = session
        self.edition = edition
        self.spec = edition.spec
        self.rows = ListRows(session, edition.spec, edition.list_key)
        self.run_id = run.id
        self.source_id = run.source_id
        self.summary = summary
        self.day = edition.published_on
        self.recorded_at = utc_now()
        self.authorities: dict[str, tuple[int, str]] = {}
        self.relations: list[tuple[str, str, str]] = []  # (identifier, relation, other's)

    # -- what every batch shares --------------------------------------------------------

    def entry_event(
        self,
        action: EventAction,
        entity_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        note: str | None = None,
    ) -> EventRow:
        """An event about an entry of the list (its entity), dated by the edition."""
        return event_row(
            action=action,
            subject_type=SubjectType.ENTITY,
            subject_id=entity_id,
            entity_id=entity_id,
            occurred_on=self.day,
            before=before,
            after=after,
            source_id=self.source_id,
            import_run_id=self.run_id,
            note=note,
            recorded_at=self.recorded_at,
        )

    def _authority(self, key: str) -> tuple[int, str]:
        if key not in self.authorities:
            name, jurisdiction = authority_named(key, self.edition.authorities)
            authority = ensure_authority(
                session=self.session,
                key=key,
                name=name,
                jurisdiction=jurisdiction,
                source_id=self.source_id,
                import_run_id=self.run_id,
            )
            assert authority.id is not None
            self.authorities[key] = (authority.id, authority.key)
        return self.authorities[key]

    def new_listing(self, entity_id: int, entry_id: int, listing: Listing) -> NewListing:
        authority_id, authority_key = self._authority(listing.key(self.spec)[0])
        return NewListing(
            entity_id=entity_id,
            authority_id=authority_id,
            authority_key=authority_key,
            status=listing_status(listing),
            list_code=None if listing.measure else self.edition.list_code,
            measure=listing.measure,
            program=listing.program or None,
            legal_basis=listing.legal_basis,
            start=listing.listed_on,
            end=listing.ended_on,
            status_text=listing.status if listing.measure is None else None,
            reason=listing.reason,
            first_seen_on=self.day,
            list_entry_id=entry_id,
            record_id=listing.record_id,
        )

    def gone(self, entity_id: int, listing: OpenListing) -> Ending:
        """A listing this edition no longer shows: observed gone, no end date stated."""
        return Ending(
            kind=SANCTION if listing.is_sanction else DESIGNATION,
            listing_id=listing.listing_id,
            entity_id=entity_id,
            status=listing.status,
            removed_on=self.day,
            removed_by_run_id=self.run_id,
        )

    def write(self, batch: Batch) -> list[int]:
        """Write what the batch gathered; the ids of its new listings, in order."""
        common = {
            "session": self.session,
            "source_ids": [self.source_id] if self.source_id else [],
            "import_run_id": self.run_id,
            "recorded_at": self.recorded_at,
        }
        made = add_listings(listings=batch.listings, **common)
        end_listings(endings=batch.endings, **common)
        amend_listings(amendments=batch.amendments, **common)
        insert_events(session=self.session, events=batch.events)
        if batch.aliases:
            add_aliases(
                session=self.session,
                aliases=batch.aliases,
                source_id=self.source_id,
                import_run_id=self.run_id,
                log=False,  # the entry's `amended` event names the aliases that changed
            )
        reindex(self.session, batch.renamed)
        set_entry_countries(session=self.session, entries=batch.countries, source_id=self.source_id)
        set_entry_facts(session=self.session, entries=batch.facts)
        return made

    def countries(self, entity_id: int, entry_id: int, party: ListedParty) -> EntryCountries:
        """The countries the entry now states (its text no spelling reads is counted)."""
        listed = listed_countries(party.details)
        self.summary.countries_unread += listed.unread
        return EntryCountries(entity_id, entry_id, listed.ties)

    # -- one batch ----------------------------------------------------------------------

    def apply(self, parties: Sequence[ListedParty]) -> None:
        """Write one batch of entries: new ones, returning and changed ones."""
        held = self.rows.held(party.identifier for party in parties)
        batch = Batch()
        self.add([party for party in parties if party.identifier not in held], batch)
        known = [(party, held[party.identifier]) for party in parties if party.identifier in held]
        changed = [(p, h) for p, h in known if h.removed_on or h.digest != p.digest]
        self.summary.unchanged += len(known) - len(changed)
        self._update(changed, batch)
        self.relations += [
            (party.identifier, relation, other)
            for party in parties
            for relation, other in party.relations
        ]
        self.write(batch)

    def add(self, parties: list[ListedParty], batch: Batch) -> dict[str, int]:
        """Entries new to the list: new entities, or (sharing an identifier another list
        gave it) an entity the database already holds. Identifier -> its new entry's id."""
        if not parties:
            return {}
        joined = self._join(parties)
        new = [party for party in parties if party.identifier not in joined]
        ids = add_entities(
            session=self.session,
            entities=self._new_entities(new),
            source_id=self.source_id,
            import_run_id=self.run_id,
            occurred_on=self.day,
            recorded_at=self.recorded_at,
        )
        entity_of = {**joined, **{p.identifier: i for p, i in zip(new, ids, strict=True)}}
        for party in parties:
            if party.identifier in joined:  # the list's names are aliases of an entity it shares
                batch.aliases += [
                    (joined[party.identifier], alias)
                    for alias in (NewAlias(party.name), *_aliases(party))
                ]
        entries = self._insert_entries(parties, entity_of)
        for party in parties:
            entity_id, entry_id = entity_of[party.identifier], entries[party.identifier]
            batch.countries.append(self.countries(entity_id, entry_id, party))
            batch.facts.append(EntryFacts(entity_id, entry_id, entry_facts(party.details)))
            batch.listings += [
                self.new_listing(entity_id, entry_id, listing)
                for listing in unique_listings(party.listings, self.spec)
            ]
            if not party.listings:
                batch.events.append(
                    self.entry_event(
                        EventAction.LISTED, entity_id, None, {"list_code": self.edition.list_code}
                    )
                )
        self.summary.added += len(parties)
        return entries

    def _new_entities(self, parties: list[ListedParty]) -> list[NewEntity]:
        """The entities of entries nobody holds, with keys no other entity has and the
        identifiers of other lists they name (those nobody holds yet)."""
        keys = [self.spec.entity_key(party.identifier) for party in parties]
        taken_keys = self.rows.free_keys(keys)
        refs = {ref for party in parties for ref in party.cross_references}
        taken = set(self.rows.holders(refs)) if refs else set()
        entities = []
        for party, key in zip(parties, keys, strict=True):
            if key in taken_keys:  # another list's entity, or a near-identical identifier
                suffix = hashlib.blake2b(party.identifier.encode(), digest_size=4).hexdigest()
                key = f"{key[: 127 - len(suffix)]}-{suffix}"
            taken_keys.add(key)
            references = [ref for ref in dict.fromkeys(party.cross_references) if ref not in taken]
            taken.update(references)
            entities.append(
                NewEntity(
                    key=key,
                    name=party.name,
                    kind=party.kind,
                    country=party.country,
                    description=party.description,
                    aliases=_aliases(party),
                    identifiers=((self.spec.scheme, party.identifier), *references),
                )
            )
        return entities

    def _insert_entries(
        self, parties: list[ListedParty], entity_of: dict[str, int]
    ) -> dict[str, int]:
        rows = [
            {
                "list_key": self.edition.list_key,
                "identifier": party.identifier,
                "entity_id": entity_of[party.identifier],
                "content": party.comparable,
                "digest": party.digest,
                "first_seen_on": self.day,
                "last_seen_on": self.day,
                "source_id": self.source_id,
            }
            for party in parties
        ]
        ids = insert_returning_ids(core(self.session), ENTRY, rows)
        return {party.identifier: entry_id for party, entry_id in zip(parties, ids, strict=True)}

    def _join(self, parties: list[ListedParty]) -> dict[str, int]:
        """New entries whose identifier an entity already holds join that entity: one that
        another list of the same scheme made (an OFAC uid on both SDN and CONS), or one that a
        list the entry cross-references made (the lists share an identifier: one real-world
        target). Never an entity this list already speaks of. Identifier -> the entity."""
        own = {(self.spec.scheme, party.identifier): party for party in parties}
        wanted = {**{ref: p for p in parties for ref in p.cross_references}, **own}
        holders = self.rows.holders(wanted)
        if not holders:
            return {}
        on_list = self.rows.on_this_list(set(holders.values()))
        joined: dict[str, int] = {}
        # The entry's own identifier first: it names the entity more surely than a reference.
        for ref in sorted(holders, key=lambda ref: ref not in own):
            party, entity_id = wanted[ref], holders[ref]
            if party.identifier in joined or entity_id in on_list:
                continue
            on_list.add(entity_id)
            joined[party.identifier] = entity_id
        add_identifiers(
            session=self.session,
            source_id=self.source_id,
            import_run_id=self.run_id,
            identifiers=[
                (entity_id, self.spec.scheme, identifier)
                for identifier, entity_id in joined.items()
                if (self.spec.scheme, identifier) not in holders
            ],
        )
        return joined

    # -- entries the database holds -----------------------------------------------------

    def _update(self, changed: list[tuple[ListedParty, Held]], batch: Batch) -> None:
        """Entries back on the list or saying something else than the previous edition."""
        if not changed:
            return
        entity_ids = [held.entity_id for _, held in changed]
        contents = self.rows.contents(held.entry_id for _, held in changed)
        names = self.rows.names(entity_ids)
        shared = self.rows.on_other_lists(entity_ids)
        in_force = self.rows.in_force(held.entry_id for _, held in changed)
        entity_rows, entry_rows = [], []
        for party, held in changed:
            previous = contents[held.entry_id]
            fields = changed_fields(previous, party.comparable)
            batch.countries.append(self.countries(held.entity_id, held.entry_id, party))
            batch.facts.append(
                EntryFacts(held.entity_id, held.entry_id, entry_facts(party.details))
            )
            entry_rows.append(
                {"id": held.entry_id, "content": party.comparable, "digest": party.digest,
                 "removed_on": None, "removed_by_run_id": None}
            )  # fmt: skip
            returning = held.removed_on is not None
            if not returning and not fields:
                self.summary.unchanged += 1  # only the way the digest is taken changed
                continue
            row = self._entity_row(held, names[held.entity_id][0], party, shared)
            if row:
                entity_rows.append(row)
                batch.renamed.add(held.entity_id)
            self._names(held.entity_id, party, previous, row or {"name": names[held.entity_id][1]},
                        batch)  # fmt: skip
            if returning:
                self.summary.added += 1
                if not party.listings:
                    batch.events.append(self.entry_event(
                        EventAction.LISTED, held.entity_id, None,
                        {"list_code": self.edition.list_code},
                    ))  # fmt: skip
            else:
                self.amended(held.entity_id, previous, party.comparable, fields, batch)
            changes = diff_listings(
                party.listings, in_force.get(held.entry_id, {}), previous, self.spec
            )
            self.listing_changes(held, changes, batch)
        update_rows(session=self.session, table=Entity.__table__, rows=entity_rows)  # type: ignore[attr-defined]
        update_rows(session=self.session, table=ENTRY, rows=entry_rows)

    def _names(
        self,
        entity_id: int,
        party: ListedParty,
        previous: dict[str, Any],
        row: dict[str, Any],
        batch: Batch,
    ) -> None:
        """Names new in this edition become aliases (old ones stay: history is kept): the
        list's name for an entity that goes by another, and a former name as f.k.a."""
        batch.aliases += [(entity_id, alias) for alias in _aliases(party)]
        if row.get("name") != party.name:
            batch.aliases.append((entity_id, NewAlias(party.name)))
        if previous.get("name") and previous["name"] != party.name:
            batch.aliases.append((entity_id, NewAlias(str(previous["name"]), AliasKind.FKA)))

    def amended(
        self,
        entity_id: int,
        previous: dict[str, Any],
        listed: dict[str, Any],
        fields: list[str],
        batch: Batch,
    ) -> None:
        """The entry's event: exactly the fields that changed, before and after."""
        for name in fields:
            self.summary.changed_fields[name] = self.summary.changed_fields.get(name, 0) + 1
        self.summary.changed += 1
        cosmetic = is_cosmetic(previous, listed)
        self.summary.cosmetic += cosmetic
        batch.events.append(
            self.entry_event(
                EventAction.AMENDED,
                entity_id,
                {k: previous.get(k) for k in fields},
                {k: listed.get(k) for k in fields},
                COSMETIC_NOTE if cosmetic else None,
            )
        )

    def _entity_row(
        self, held: Held, key: str, party: ListedParty, shared: set[int]
    ) -> dict[str, Any]:
        """The entity's new columns. A list renames only an entity it made and no other list
        speaks of: on a shared one its name becomes an alias instead."""
        made_here = key == self.spec.entity_key(party.identifier) or key.startswith(
            f"{self.spec.key_prefix}-"
        )
        if not made_here or held.entity_id in shared:
            return {}
        row: dict[str, Any] = {"id": held.entity_id, "name": party.name, "kind": party.kind.value}
        if party.country:
            row["country"] = party.country
        if party.description:
            row["description"] = party.description
        return row

    def listing_changes(self, held: Held, changes: ListingChanges, batch: Batch) -> None:
        batch.listings += [
            self.new_listing(held.entity_id, held.entry_id, listing) for listing in changes.new
        ]
        for listing, on in changes.stated_ends:
            batch.endings.append(
                Ending(kind=SANCTION if listing.is_sanction else DESIGNATION,
                       listing_id=listing.listing_id, entity_id=held.entity_id,
                       status=listing.status, on=on)
            )  # fmt: skip
        batch.endings += [self.gone(held.entity_id, listing) for listing in changes.gone]
        for listing, before, after, learned in changes.amended:
            kind = SANCTION if listing.is_sanction else DESIGNATION
            columns = {"start": kind.start, "legal_basis": "legal_basis",
                       "reason": "notes" if listing.is_sanction else "reason"}  # fmt: skip
            self.summary.dates_learned += learned
            batch.amendments.append(
                Amendment(
                    kind=kind,
                    listing_id=listing.listing_id,
                    entity_id=held.entity_id,
                    before={columns[k]: v for k, v in before.items()},
                    after={columns[k]: v for k, v in after.items()},
                    occurred_on=self.day,
                    note=f"listing date learned from the edition of {self.day}"
                    if learned
                    else None,
                )
            )

    # -- the end of the edition ---------------------------------------------------------

    def delist(self, identifiers: Sequence[str]) -> list[str]:
        """Entries gone from the list: their listings in force end, observed gone in this
        edition; an entry listed without listings leaves the list with an entity event.
        Returns the identifiers the list never held (a delta may withdraw those too)."""
        held = self.rows.held(identifiers)
        on_list = [entry for entry in held.values() if entry.removed_on is None]
        in_force = self.rows.in_force(entry.entry_id for entry in on_list)
        contents = self.rows.contents(entry.entry_id for entry in on_list)
        batch = Batch()
        for entry in on_list:
            batch.endings += [
                self.gone(entry.entity_id, listing)
                for listing in in_force.get(entry.entry_id, {}).values()
            ]
            if not contents[entry.entry_id].get("programs"):
                batch.events.append(self.entry_event(
                    EventAction.DELISTED, entry.entity_id,
                    {"list_code": self.edition.list_code}, None,
                ))  # fmt: skip
        update_rows(
            session=self.session,
            table=ENTRY,
            rows=[{"id": entry.entry_id, "removed_on": self.day, "removed_by_run_id": self.run_id}
                  for entry in on_list],
        )  # fmt: skip
        self.summary.removed += len(on_list)
        self.write(batch)
        return [identifier for identifier in identifiers if identifier not in held]

    def see(self, seen: sa.Table) -> None:
        """The entries this edition showed, and their listings in force, were last seen in
        it (complete editions and deltas alike: what a delta names, it shows)."""
        if self.day is None:
            return
        connection = core(self.session)
        shown = sa.select(ENTRY.c.id).where(
            ENTRY.c.list_key == self.edition.list_key,
            ENTRY.c.identifier.in_(sa.select(seen.c.identifier)),
            ENTRY.c.removed_on.is_(None),
        )
        connection.execute(
            ENTRY.update().where(ENTRY.c.id.in_(shown)).values(last_seen_on=self.day)
        )
        for kind in (DESIGNATION, SANCTION):
            table = kind.table
            connection.execute(
                table.update()
                .where(table.c.list_entry_id.in_(shown), table.c[kind.end].is_(None),
                       table.c.removed_on.is_(None))
                .values(last_seen_on=self.day)
            )  # fmt: skip

    def relate(self) -> None:
        """Relationships the edition states between its entries become links."""
        if not self.relations:
            return
        entity_of = self.rows.entity_of(
            {identifier for first, _, other in self.relations for identifier in (first, other)}
        )
        add_relations(
            session=self.session,
            relations=[
                Relation(entity_of[first], relation, entity_of[other])
                for first, relation, other in self.relations
                if first in entity_of and other in entity_of
            ],
            source_id=self.source_id,
            import_run_id=self.run_id,
            recorded_at=self.recorded_at,
        )


def _aliases(party: ListedParty) -> tuple[NewAlias, ...]:
    return tuple(NewAlias(alias.name, alias.kind, script=alias.script) for alias in party.aliases)
