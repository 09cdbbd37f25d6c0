"""The facts a screening weighs (`match_fact`), written in bulk per list entry and kept in
step with what the entry's latest edition says: an entry written again has its facts
replaced. No event of their own: the entry's `amended` event names what changed."""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from tracker.batching import in_chunks
from tracker.importers.facts import Fact
from tracker.models import MatchFact
from tracker.services.core import core, insert_rows

TABLE: sa.Table = MatchFact.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class EntryFacts:
    """What one list entry now states: its entity, and the facts."""

    entity_id: int
    entry_id: int
    facts: frozenset[Fact]


def set_entry_facts(*, session: Session, entries: Sequence[EntryFacts]) -> None:
    """Each entry's facts become these."""
    if not entries:
        return
    connection = core(session)
    for chunk in in_chunks([entry.entry_id for entry in entries]):
        connection.execute(TABLE.delete().where(TABLE.c.list_entry_id.in_(chunk)))
    rows = [
        {"entity_id": entry.entity_id, "list_entry_id": entry.entry_id, "kind": kind,
         "value": value, "normalized": normalized}
        for entry in entries
        for kind, value, normalized in sorted(entry.facts)
    ]  # fmt: skip
    insert_rows(connection, TABLE, rows)
