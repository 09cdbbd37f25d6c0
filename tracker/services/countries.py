"""The countries lists tie entities to (`entity_country`), written in bulk per list entry and
kept in step with what the entry's latest edition says.

No event of their own: the entry's `amended` event already names the nationalities, addresses
or remarks that changed, before and after.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from tracker.batching import in_chunks
from tracker.enums import CountryRole
from tracker.models import EntityCountry
from tracker.services.core import core, insert_rows

TABLE: sa.Table = EntityCountry.__table__  # type: ignore[attr-defined]
Tie = tuple[CountryRole, str]  # (role, ISO alpha-2 code)


@dataclass(frozen=True)
class EntryCountries:
    """What one list entry now says: its entity, and the (role, code) pairs."""

    entity_id: int
    entry_id: int
    ties: frozenset[Tie]


def set_entry_countries(
    *, session: Session, entries: Sequence[EntryCountries], source_id: int | None
) -> int:
    """Each entry's countries become its `ties`: the rows it no longer states go, new ones
    cite `source_id`, and those it still states keep the edition that first said them.
    Returns the number of rows added."""
    if not entries:
        return 0
    connection = core(session)
    held: dict[int, dict[Tie, int]] = defaultdict(dict)
    for chunk in in_chunks([entry.entry_id for entry in entries]):
        rows = connection.execute(
            sa.select(TABLE.c.id, TABLE.c.list_entry_id, TABLE.c.role, TABLE.c.country).where(
                TABLE.c.list_entry_id.in_(chunk)
            )
        )
        for row in rows:
            held[row.list_entry_id][(CountryRole(row.role), row.country)] = row.id
    gone = [
        row_id
        for entry in entries
        for tie, row_id in held[entry.entry_id].items()
        if tie not in entry.ties
    ]
    for chunk in in_chunks(gone):
        connection.execute(TABLE.delete().where(TABLE.c.id.in_(chunk)))
    new = [
        {"entity_id": entry.entity_id, "list_entry_id": entry.entry_id, "role": role,
         "country": code, "source_id": source_id}
        for entry in entries
        for role, code in sorted(entry.ties)
        if (role, code) not in held[entry.entry_id]
    ]  # fmt: skip
    insert_rows(connection, TABLE, new)
    return len(new)
