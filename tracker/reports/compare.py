""" "Who else has listed this target?": one target's status under every authority.

The target is the entity and those linked to it (`tracker entity link`); an entity a list
shares an identifier with is already one. Per authority: its lists and programs, when it first
listed the target, whether the listing is still in force as of D, when it ended, and the lag
behind the first authority to list (and, for delistings, the first to delist), in days.
Partial dates count from their first day.

Lags are computed from stated dates only. An authority known only from editions that showed
the listing (no stated listing date) has no lag: the report gives its first sighting and says
the lag cannot be known.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from tracker.dates import PartialDate
from tracker.enums import DesignationStatus
from tracker.models import Authority, Designation, Entity
from tracker.reports.records import designation_rows
from tracker.reports.render import Report, Section, columns
from tracker.services.links import target_of
from tracker.status import designation_status

AUTHORITY_COLUMNS = columns(
    ("authority", "authority"),
    ("lists", "lists"),
    ("programs", "programs"),
    ("listed_on", "listed on"),
    ("listing_lag_days", "lag (days)"),
    ("first_seen_on", "first seen"),
    ("status", "status"),
    ("ended_on", "ended on"),
    ("ending_lag_days", "ending lag (days)"),
    ("removed_on", "gone from edition"),
    ("note", "note"),
    ("entities", "entities"),
)
DETAIL_COLUMNS = columns(
    ("entity", "entity"),
    ("authority", "authority"),
    ("list", "list"),
    ("program", "program"),
    ("effective_on", "since"),
    ("ended_on", "ended"),
    ("seen", "seen in editions"),
    ("status", "status"),
)
IN_FORCE = {DesignationStatus.ACTIVE, DesignationStatus.SUSPENDED}


@dataclass
class _Standing:
    """What one authority says of the target."""

    authority: str
    name: str
    lists: set[str] = field(default_factory=set)
    programs: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    starts: list[str] = field(default_factory=list)  # stated
    ends: list[str] = field(default_factory=list)  # stated
    sightings: list[str] = field(default_factory=list)  # first seen in an edition
    removals: list[str] = field(default_factory=list)  # gone from an edition
    in_force: bool = False
    pending: bool = False

    @property
    def listed_on(self) -> str | None:
        return min(self.starts) if self.starts else None

    @property
    def ended_on(self) -> str | None:
        """When the last of its listings ended, if none is in force."""
        return None if self.in_force or self.pending or not self.ends else max(self.ends)

    @property
    def first_seen_on(self) -> str | None:
        return min(self.sightings) if self.sightings else None

    @property
    def removed_on(self) -> str | None:
        """The edition that no longer showed its last listing, if none is in force."""
        return None if self.in_force or self.pending or not self.removals else max(self.removals)

    @property
    def note(self) -> str | None:
        if self.listed_on is None and self.first_seen_on:
            return f"no stated listing date (first seen {self.first_seen_on}): lag unknown"
        return None


def _days(later: str | None, first: str | None) -> int | None:
    if later is None or first is None:
        return None
    return (PartialDate.parse(later).first_day() - PartialDate.parse(first).first_day()).days


def compare_report(session: Session, *, entity: Entity, day: str) -> Report:
    """The target's standing with every authority that has listed it, first lister first."""
    linked = [other.entity for other in target_of(session, entity)]
    members = [entity, *linked]
    ids = [member.id for member in members]
    standings: dict[str, _Standing] = {}
    rows = session.exec(
        select(Designation, Authority, Entity.key)
        .join(Authority, Authority.id == Designation.authority_id)
        .join(Entity, Entity.id == Designation.entity_id)
        .where(col(Designation.entity_id).in_(ids))
        .order_by(Designation.id)
    )
    for designation, authority, key in rows:
        standing = standings.setdefault(authority.key, _Standing(authority.key, authority.name))
        standing.lists.add(designation.list_code)
        if designation.program:
            standing.programs.add(designation.program)
        standing.entities.add(key)
        if start := designation.effective_on or designation.announced_on:
            standing.starts.append(start)
        if designation.ended_on:
            standing.ends.append(designation.ended_on)
        if designation.first_seen_on:
            standing.sightings.append(designation.first_seen_on)
        if designation.removed_on:
            standing.removals.append(designation.removed_on)
        status = designation_status(designation, day)
        standing.in_force |= status in IN_FORCE
        standing.pending |= status == DesignationStatus.PENDING
    ordered = sorted(
        standings.values(),
        key=lambda s: (s.listed_on or s.first_seen_on or "9999", s.authority),
    )
    first_listed = next((s.listed_on for s in ordered if s.listed_on), None)
    first_ended = min((s.ended_on for s in ordered if s.ended_on), default=None)
    authority_rows: list[dict[str, Any]] = [
        {
            "authority": standing.authority,
            "authority_name": standing.name,
            "lists": sorted(standing.lists),
            "programs": sorted(standing.programs),
            "listed_on": standing.listed_on,
            "listing_lag_days": _days(standing.listed_on, first_listed),
            "status": "in force"
            if standing.in_force
            else "pending"
            if standing.pending
            else "ended"
            if standing.ended_on or not standing.removed_on
            else "delisted",
            "ended_on": standing.ended_on,
            "ending_lag_days": _days(standing.ended_on, first_ended),
            "first_seen_on": standing.first_seen_on,
            "removed_on": standing.removed_on,
            "note": standing.note,
            "entities": sorted(standing.entities),
        }
        for standing in ordered
    ]
    details = designation_rows(session, lambda s: s.where(col(Designation.entity_id).in_(ids)))
    keys = ", ".join(member.key for member in members)
    return Report(
        kind="compare",
        title=f"{entity.name}: status under each authority as of {day}",
        meta={"entity": entity.key, "target": [m.key for m in members], "as_of": day},
        sections=[
            Section("authorities", f"Authorities ({keys})", AUTHORITY_COLUMNS, authority_rows),
            Section("designations", "Designations", DETAIL_COLUMNS, details),
        ],
        empty_message=f"no authority has listed {entity.key}",
    )
