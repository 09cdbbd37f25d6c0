"""Designations and sanctions ("listings"), written in bulk: the one path both for a listing
a person records and for the thousands an import reads, so the two are stored and logged in
the same shape.

A listing's events date what its source states (announced, effective, ended) or, for what
an import saw without a stated date, what the editions showed (first seen, removed).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tracker.enums import (
    DesignationStatus,
    EventAction,
    SanctionMeasure,
    SanctionStatus,
    SubjectType,
)
from tracker.models import Designation, Sanction, utc_now
from tracker.services.core import core, insert_returning_ids, update_rows
from tracker.services.events import EventRow, event_row, insert_events, present
from tracker.services.sources import cite_facts


@dataclass(frozen=True)
class Kind:
    """How designations and sanctions differ: their table, dates and words."""

    subject: SubjectType
    table: sa.Table
    start: str  # the column of the stated start
    end: str  # the column of the stated end
    made: EventAction  # listed / imposed
    ended: EventAction  # revoked / lifted
    ended_status: str  # what a stated end makes the status


DESIGNATION = Kind(
    subject=SubjectType.DESIGNATION,
    table=Designation.__table__,  # type: ignore[attr-defined]
    start="effective_on",
    end="ended_on",
    made=EventAction.LISTED,
    ended=EventAction.REVOKED,
    ended_status=DesignationStatus.REVOKED.value,
)
SANCTION = Kind(
    subject=SubjectType.SANCTION,
    table=Sanction.__table__,  # type: ignore[attr-defined]
    start="start_on",
    end="end_on",
    made=EventAction.IMPOSED,
    ended=EventAction.LIFTED,
    ended_status=SanctionStatus.LIFTED.value,
)
DELISTED = DesignationStatus.DELISTED.value  # the same word for sanctions
# Columns an event about a listing leaves out: links to other rows, and the sighting that
# every later edition moves on.
NOT_IN_EVENTS = {"entity_id", "authority_id", "list_entry_id", "last_seen_on"}


@dataclass(frozen=True)
class NewListing:
    """A designation (no measure) or a sanction (a measure) to record."""

    entity_id: int
    authority_id: int
    authority_key: str
    status: str
    list_code: str | None = None  # designations
    measure: SanctionMeasure | None = None  # sanctions
    program: str | None = None
    legal_basis: str | None = None
    announced_on: str | None = None  # designations
    start: str | None = None  # stated: effective (designation) or in force from (sanction)
    end: str | None = None  # stated
    status_text: str | None = None  # designations
    reason: str | None = None
    notes: str | None = None
    first_seen_on: str | None = None  # observed (imports)
    list_entry_id: int | None = None
    record_id: str | None = None

    @property
    def kind(self) -> Kind:
        return DESIGNATION if self.measure is None else SANCTION

    def row(self) -> dict[str, Any]:
        """The table row (designation or sanction columns), in the table's column order."""
        ids = {"entity_id": self.entity_id, "authority_id": self.authority_id}
        observed = {
            "first_seen_on": self.first_seen_on,
            "last_seen_on": self.first_seen_on,
            "list_entry_id": self.list_entry_id,
            "record_id": self.record_id,
        }
        if self.measure is not None:
            return {**ids, "measure": self.measure.value, "program": self.program,
                    "legal_basis": self.legal_basis, "start_on": self.start,
                    "end_on": self.end, "status": self.status,
                    "notes": self.notes or self.reason, **observed}  # fmt: skip
        return {**ids, "list_code": self.list_code, "program": self.program,
                "legal_basis": self.legal_basis, "announced_on": self.announced_on,
                "effective_on": self.start, "ended_on": self.end, "status": self.status,
                "status_text": self.status_text, "reason": self.reason, "notes": self.notes,
                **observed}  # fmt: skip


def add_listings(
    *,
    session: Session,
    listings: Sequence[NewListing],
    source_ids: Sequence[int] = (),
    import_run_id: int | None = None,
    recorded_at: dt.datetime | None = None,
) -> list[int]:
    """Insert listings with their citations and events; their ids, in order."""
    connection = core(session)
    ids: dict[int, int] = {}
    for kind in (DESIGNATION, SANCTION):
        chosen = [(i, listing) for i, listing in enumerate(listings) if listing.kind is kind]
        if not chosen:
            continue
        inserted = insert_returning_ids(
            connection, kind.table, [listing.row() for _, listing in chosen]
        )
        ids.update(zip((i for i, _ in chosen), inserted, strict=True))
    ordered = [ids[i] for i in range(len(listings))]
    made = [(listing.kind, i) for listing, i in zip(listings, ordered, strict=True)]
    cite(session=session, kind_ids=made, source_ids=source_ids)
    when = recorded_at or utc_now()
    events = [
        event
        for listing, listing_id in zip(listings, ordered, strict=True)
        for event in _made(listing, listing_id, source_ids, import_run_id, when)
    ]
    insert_events(session=session, events=events)
    return ordered


def _made(
    listing: NewListing,
    listing_id: int,
    source_ids: Sequence[int],
    import_run_id: int | None,
    recorded_at: dt.datetime,
) -> list[EventRow]:
    """A new listing's events: made (listed / imposed), in force later, ended by its source."""
    kind = listing.kind
    row = listing.row()
    common = {
        "subject_type": kind.subject,
        "subject_id": listing_id,
        "entity_id": listing.entity_id,
        "source_id": source_ids[0] if source_ids else None,
        "import_run_id": import_run_id,
        "recorded_at": recorded_at,
    }
    after = {"authority": listing.authority_key,
             **present({k: v for k, v in row.items() if k not in NOT_IN_EVENTS})}  # fmt: skip
    stated = listing.announced_on or listing.start
    events = [event_row(action=kind.made, occurred_on=stated or listing.first_seen_on,
                        after=after, **common)]  # fmt: skip
    if listing.announced_on and listing.start and listing.start != listing.announced_on:
        events.append(
            event_row(action=EventAction.EFFECTIVE, occurred_on=listing.start,
                      after={kind.start: listing.start}, **common)
        )  # fmt: skip
    if listing.end:
        events.append(
            event_row(action=kind.ended, occurred_on=listing.end,
                      after={"status": listing.status, kind.end: listing.end}, **common)
        )  # fmt: skip
    return events


@dataclass(frozen=True)
class Ending:
    """A listing that ends: on a date its source states (`on`), or because an edition no
    longer showed it (`removed_on`, by the import run `removed_by_run_id`)."""

    kind: Kind
    listing_id: int
    entity_id: int
    status: str  # what it was
    previous_end: str | None = None
    on: str | None = None
    removed_on: str | None = None
    removed_by_run_id: int | None = None
    new_status: str | None = None  # for a stated end: default the kind's (revoked, lifted)
    reason: str | None = None
    previous_reason: str | None = None


def end_listings(
    *,
    session: Session,
    endings: Sequence[Ending],
    source_ids: Sequence[int] = (),
    import_run_id: int | None = None,
    recorded_at: dt.datetime | None = None,
) -> None:
    """End listings, with their citations and events (revoked / lifted, or delisted)."""
    when = recorded_at or utc_now()
    events = []
    for kind in (DESIGNATION, SANCTION):
        chosen = [ending for ending in endings if ending.kind is kind]
        rows = []
        for ending in chosen:
            before, after = _ending_change(ending)
            rows.append({"id": ending.listing_id, **after})
            events.append(
                event_row(
                    action=EventAction.DELISTED if ending.on is None else kind.ended,
                    subject_type=kind.subject,
                    subject_id=ending.listing_id,
                    entity_id=ending.entity_id,
                    occurred_on=ending.on or ending.removed_on,
                    before=before,
                    after={k: v for k, v in after.items() if k != "removed_by_run_id"},
                    source_id=source_ids[0] if source_ids else None,
                    import_run_id=import_run_id,
                    recorded_at=when,
                )
            )
        update_rows(session=session, table=kind.table, rows=rows)
        cite(session=session, kind_ids=[(kind, e.listing_id) for e in chosen],
             source_ids=source_ids)  # fmt: skip
    insert_events(session=session, events=events)


def _ending_change(ending: Ending) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the columns an ending sets."""
    if ending.on is None:
        return {"status": ending.status}, {
            "status": DELISTED,
            "removed_on": ending.removed_on,
            "removed_by_run_id": ending.removed_by_run_id,
        }
    end = ending.kind.end
    before = {"status": ending.status, end: ending.previous_end}
    after = {"status": ending.new_status or ending.kind.ended_status, end: ending.on}
    if ending.reason:
        before["reason"] = ending.previous_reason
        after["reason"] = ending.reason
    return before, after


@dataclass(frozen=True)
class Amendment:
    """Fields of a listing that change, with what they were."""

    kind: Kind
    listing_id: int
    entity_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    occurred_on: str | None = None
    action: EventAction = EventAction.AMENDED
    note: str | None = None


def amend_listings(
    *,
    session: Session,
    amendments: Sequence[Amendment],
    source_ids: Sequence[int] = (),
    import_run_id: int | None = None,
    recorded_at: dt.datetime | None = None,
) -> None:
    """Change fields of listings, recording exactly what changed."""
    when = recorded_at or utc_now()
    for kind in (DESIGNATION, SANCTION):
        chosen = [amendment for amendment in amendments if amendment.kind is kind]
        update_rows(session=session, table=kind.table,
                    rows=[{"id": a.listing_id, **a.after} for a in chosen])  # fmt: skip
        cite(session=session, kind_ids=[(kind, a.listing_id) for a in chosen],
             source_ids=source_ids)  # fmt: skip
    insert_events(
        session=session,
        events=[
            event_row(
                action=amendment.action,
                subject_type=amendment.kind.subject,
                subject_id=amendment.listing_id,
                entity_id=amendment.entity_id,
                occurred_on=amendment.occurred_on,
                before=amendment.before,
                after=amendment.after,
                source_id=source_ids[0] if source_ids else None,
                import_run_id=import_run_id,
                note=amendment.note,
                recorded_at=when,
            )
            for amendment in amendments
        ],
    )


def cite(
    *, session: Session, kind_ids: Sequence[tuple[Kind, int]], source_ids: Sequence[int]
) -> None:
    """Each listing cites each source it does not cite yet."""
    for kind in (DESIGNATION, SANCTION):
        column = "designation_id" if kind is DESIGNATION else "sanction_id"
        ids = [listing_id for k, listing_id in kind_ids if k is kind]
        cite_facts(session=session, column=column, ids=ids, source_ids=source_ids)
