"""What the database holds of one list's entries, read a batch at a time: the entries for
some identifiers, what the latest edition said of them, and their listings. Never the whole
list at once, so an import's memory does not grow with the list."""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from tracker.batching import in_chunks
from tracker.importers.diff import OpenListing
from tracker.importers.records import ListingKey, ListSpec
from tracker.models import Authority, Entity, Identifier, ListEntry
from tracker.services.core import core
from tracker.services.listings import DESIGNATION, SANCTION, Kind

ENTRY = ListEntry.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Held:
    """A list entry the database holds for an identifier."""

    entry_id: int
    entity_id: int
    digest: str
    removed_on: str | None


class ListRows:
    """Reads of one list (`list_key`) inside an import's session."""

    def __init__(self, session: Session, spec: ListSpec, list_key: str) -> None:
        self.session = session
        self.spec = spec
        self.list_key = list_key

    def held(self, identifiers: Iterable[str]) -> dict[str, Held]:
        """Identifier -> the entry the list holds (or held) for it."""
        connection = core(self.session)
        found = {}
        for chunk in in_chunks(list(identifiers)):
            for row in connection.execute(
                sa.select(
                    ENTRY.c.identifier, ENTRY.c.id, ENTRY.c.entity_id, ENTRY.c.digest,
                    ENTRY.c.removed_on,
                ).where(ENTRY.c.list_key == self.list_key, ENTRY.c.identifier.in_(chunk))
            ):  # fmt: skip
                found[row.identifier] = Held(row.id, row.entity_id, row.digest, row.removed_on)
        return found

    def contents(self, entry_ids: Iterable[int]) -> dict[int, dict[str, object]]:
        """Entry id -> what the latest edition that showed it said."""
        connection = core(self.session)
        return {
            entry_id: content
            for chunk in in_chunks(list(entry_ids))
            for entry_id, content in connection.execute(
                sa.select(ENTRY.c.id, ENTRY.c.content).where(ENTRY.c.id.in_(chunk))
            )
        }

    def names(self, entity_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Entity id -> (key, name)."""
        connection = core(self.session)
        return {
            entity_id: (key, name)
            for chunk in in_chunks(list(entity_ids))
            for entity_id, key, name in connection.execute(
                sa.select(Entity.id, Entity.key, Entity.name).where(col(Entity.id).in_(chunk))
            )
        }

    def on_other_lists(self, entity_ids: Iterable[int]) -> set[int]:
        """The entities another list also speaks of."""
        connection = core(self.session)
        return {
            entity_id
            for chunk in in_chunks(list(entity_ids))
            for entity_id in connection.execute(
                sa.select(ENTRY.c.entity_id).where(
                    ENTRY.c.entity_id.in_(chunk), ENTRY.c.list_key != self.list_key
                )
            ).scalars()
        }

    def on_this_list(self, entity_ids: Iterable[int]) -> set[int]:
        """The entities this list already speaks of."""
        connection = core(self.session)
        return {
            entity_id
            for chunk in in_chunks(list(entity_ids))
            for entity_id in connection.execute(
                sa.select(ENTRY.c.entity_id).where(
                    ENTRY.c.list_key == self.list_key, ENTRY.c.entity_id.in_(chunk)
                )
            ).scalars()
        }

    def holders(self, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """(scheme, value) -> the entity holding that identifier, for those held."""
        connection = core(self.session)
        by_scheme: dict[str, set[str]] = {}
        for scheme, value in refs:
            by_scheme.setdefault(scheme, set()).add(value)
        found: dict[tuple[str, str], int] = {}
        # One scheme at a time: PostgreSQL scans the whole table for a (scheme, value) IN
        # list of tuples, but uses the (scheme, value) index for scheme = ... AND value IN.
        for scheme, values in by_scheme.items():
            for chunk in in_chunks(values):
                for value, entity_id in connection.execute(
                    sa.select(Identifier.value, Identifier.entity_id).where(
                        Identifier.scheme == scheme, col(Identifier.value).in_(chunk)
                    )
                ):
                    found[(scheme, value)] = entity_id
        return found

    def free_keys(self, keys: list[str]) -> set[str]:
        """Those of `keys` an entity already has."""
        connection = core(self.session)
        return {
            key
            for chunk in in_chunks(list(set(keys)))
            for key in connection.execute(
                sa.select(Entity.key).where(col(Entity.key).in_(chunk))
            ).scalars()
        }

    def listings(
        self, entry_ids: Iterable[int], *, in_force: bool = True
    ) -> dict[int, list[tuple[ListingKey, OpenListing]]]:
        """Entry id -> its listings (only those no end has closed, unless `in_force` is
        False), each with the key that names it across editions."""
        found: dict[int, list[tuple[ListingKey, OpenListing]]] = {}
        wanted = list(entry_ids)
        for kind in (DESIGNATION, SANCTION):
            for chunk in in_chunks(wanted):
                for entry_id, key, listing in self._listings(kind, chunk, in_force):
                    found.setdefault(entry_id, []).append((key, listing))
        return found

    def in_force(self, entry_ids: Iterable[int]) -> dict[int, dict[ListingKey, OpenListing]]:
        return {entry_id: dict(listings) for entry_id, listings in self.listings(entry_ids).items()}

    def _listings(
        self, kind: Kind, entry_ids: list[int], in_force: bool
    ) -> Iterable[tuple[int, ListingKey, OpenListing]]:
        table = kind.table
        measure = table.c.measure if kind is SANCTION else sa.literal("")
        reason = table.c.notes if kind is SANCTION else table.c.reason
        authority = (
            sa.select(Authority.key).where(Authority.id == table.c.authority_id).scalar_subquery()
        )
        statement = sa.select(
            table.c.id, table.c.list_entry_id, table.c.status, table.c.program,
            table.c[kind.start].label("start"), table.c.legal_basis, reason.label("reason"),
            table.c.record_id, table.c.first_seen_on, measure.label("measure"),
            authority.label("authority"),
        ).where(table.c.list_entry_id.in_(entry_ids))  # fmt: skip
        if in_force:
            statement = statement.where(table.c[kind.end].is_(None), table.c.removed_on.is_(None))
        for row in core(self.session).execute(statement.order_by(table.c.id)):
            start = (row.start or "") if self.spec.keyed_by_start else ""
            key = (row.authority, row.program or "", row.measure or "", start)
            yield row.list_entry_id, key, OpenListing(
                row.id, kind is SANCTION, row.status, row.start, row.legal_basis, row.reason,
                row.record_id, row.first_seen_on,
            )  # fmt: skip

    def made_by(self, records: list[str]) -> dict[str, list[tuple[ListingKey, Held, OpenListing]]]:
        """Record id -> the listings in force of this list that it made."""
        found: dict[str, list[tuple[ListingKey, Held, OpenListing]]] = {}
        connection = core(self.session)
        for kind in (DESIGNATION, SANCTION):
            table = kind.table
            rows = connection.execute(
                sa.select(table.c.record_id, table.c.list_entry_id, ENTRY.c.identifier)
                .join(ENTRY, ENTRY.c.id == table.c.list_entry_id)
                .where(
                    table.c.record_id.in_(records),
                    ENTRY.c.list_key == self.list_key,
                    table.c[kind.end].is_(None),
                    table.c.removed_on.is_(None),
                )
            ).all()
            held = self.held(row.identifier for row in rows)
            in_force = self.in_force(row.list_entry_id for row in rows)
            for row in rows:
                for key, listing in in_force.get(row.list_entry_id, {}).items():
                    if listing.record_id == row.record_id:
                        entry = held[row.identifier]
                        found.setdefault(row.record_id, []).append((key, entry, listing))
        return found

    def entity_of(self, identifiers: Iterable[str]) -> dict[str, int]:
        """Identifier -> entity id, for the entries this list holds."""
        return {identifier: held.entity_id for identifier, held in self.held(identifiers).items()}
