"""An edition older than the latest one imported (`--force`) adds history, never news.

An entry or listing it shows that a later edition also showed was first seen earlier; one the
later editions do not show existed then, and was gone by the next edition imported after it.
Nothing is delisted by its absence, and what newer editions said of an entry stays.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session

from tracker.batching import in_chunks
from tracker.importers.diff import OpenListing, unique_listings
from tracker.importers.entries import ENTRY, Held
from tracker.importers.records import Edition, ImportTally, ListedParty, ListingKey
from tracker.importers.writer import Batch, EditionWriter
from tracker.models import ImportRun
from tracker.services.core import core, update_rows
from tracker.services.listings import DESIGNATION, SANCTION, Amendment, Ending, NewListing


class BackfillWriter(EditionWriter):
    def __init__(
        self,
        session: Session,
        edition: Edition,
        run: ImportRun,
        summary: ImportTally,
        next_run: ImportRun,
    ) -> None:
        super().__init__(session, edition, run, summary)
        assert next_run.id is not None
        assert next_run.published_on is not None
        self.next_day: str = next_run.published_on
        self.next_run_id: int = next_run.id
        summary.backfill = True

    def apply(self, parties: Sequence[ListedParty]) -> None:
        held = self.rows.held(party.identifier for party in parties)
        batch = Batch()
        fresh = self.add([party for party in parties if party.identifier not in held], batch)
        known = [(party, held[party.identifier]) for party in parties if party.identifier in held]
        self._seen_earlier(known, batch)
        made = self.write(batch)
        self._gone_by_next(list(fresh.values()), batch.listings, made)

    def _seen_earlier(self, known: list[tuple[ListedParty, Held]], batch: Batch) -> None:
        """Entries a later edition showed too were first seen in this one; so were their
        listings a later edition showed, and those none did are new (gone by the next)."""
        assert self.day is not None
        listings = self.rows.listings((held.entry_id for _, held in known), in_force=False)
        for party, held in known:
            earliest = _earliest(listings.get(held.entry_id, []))
            changed = False
            for listing in unique_listings(party.listings, self.spec):
                found = earliest.get(listing.key(self.spec))
                if found is None:
                    batch.listings.append(self.new_listing(held.entity_id, held.entry_id, listing))
                    changed = True
                elif found.first_seen_on and self.day < found.first_seen_on:
                    batch.amendments.append(self._seen_on(held, found))
                    changed = True
            self.summary.changed += changed
            self.summary.unchanged += not changed
        connection = core(self.session)
        for chunk in in_chunks([held.entry_id for _, held in known]):
            connection.execute(
                ENTRY.update()
                .where(ENTRY.c.id.in_(chunk),
                       sa.or_(ENTRY.c.first_seen_on.is_(None), ENTRY.c.first_seen_on > self.day))
                .values(first_seen_on=self.day)
            )  # fmt: skip

    def _seen_on(self, held: Held, listing: OpenListing) -> Amendment:
        return Amendment(
            kind=SANCTION if listing.is_sanction else DESIGNATION,
            listing_id=listing.listing_id,
            entity_id=held.entity_id,
            before={"first_seen_on": listing.first_seen_on},
            after={"first_seen_on": self.day},
            occurred_on=self.day,
            note=f"seen in the earlier edition of {self.day}",
        )

    def _gone_by_next(
        self, entry_ids: list[int], listings: list[NewListing], listing_ids: list[int]
    ) -> None:
        """What only this older edition shows was gone from the next edition after it."""
        update_rows(
            session=self.session,
            table=ENTRY,
            rows=[
                {"id": entry_id, "removed_on": self.next_day, "removed_by_run_id": self.next_run_id}
                for entry_id in entry_ids
            ],
        )
        endings = Batch(
            endings=[
                Ending(kind=listing.kind, listing_id=listing_id, entity_id=listing.entity_id,
                       status=listing.status, removed_on=self.next_day,
                       removed_by_run_id=self.next_run_id)
                for listing, listing_id in zip(listings, listing_ids, strict=True)
                if listing.end is None
            ]
        )  # fmt: skip
        self.write(endings)


def _earliest(listings: list[tuple[ListingKey, OpenListing]]) -> dict[ListingKey, OpenListing]:
    """Per key, the listing first seen earliest (a key listed, ended and listed again has
    several)."""
    earliest: dict[ListingKey, OpenListing] = {}
    for key, listing in listings:
        seen = earliest.get(key)
        if seen is None or (listing.first_seen_on or "") < (seen.first_seen_on or ""):
            earliest[key] = listing
    return earliest
