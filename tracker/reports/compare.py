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

from sqlmodel import Session, col, select

from tracker.dates import PartialDate
from tracker.enums import DesignationStatus
from tracker.models import Authority, Designation, Entity
from tracker.records import AuthorityStanding, Comparison, EntityRef
from tracker.reports.rows import designation_records
from tracker.services.links import target_of

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
    def status(self) -> str:
        if self.in_force:
            return "in force"
        if self.pending:
            return "pending"
        return "ended" if self.ended_on or not self.removed_on else "delisted"

    @property
    def removed_on(self) -> str | None:
        """The edition that no longer showed its last listing, if none is in force."""
        return None if self.in_force or self.pending or not self.removals else max(self.removals)


def _days(later: str | None, first: str | None) -> int | None:
    if later is None or first is None:
        return None
    return (PartialDate.parse(later).first_day() - PartialDate.parse(first).first_day()).days


def compare_report(session: Session, *, entity: Entity, day: str) -> Comparison:
    """The target's standing with every authority that has listed it, first lister first."""
    linked = [other.entity for other in target_of(session, entity)]
    members = [entity, *linked]
    ids = [member.id for member in members]
    details = designation_records(session, day, [col(Designation.entity_id).in_(ids)])
    names = dict(session.exec(select(Authority.key, Authority.name)).all())
    standings: dict[str, _Standing] = {}
    for designation in details:
        standing = standings.setdefault(
            designation.authority,
            _Standing(designation.authority, names.get(designation.authority, "")),
        )
        standing.lists.add(designation.list)
        if designation.program:
            standing.programs.add(designation.program)
        standing.entities.add(designation.entity.key)
        if start := designation.effective_on or designation.announced_on:
            standing.starts.append(start)
        if designation.ended_on:
            standing.ends.append(designation.ended_on)
        if designation.observed.first_seen_on:
            standing.sightings.append(designation.observed.first_seen_on)
        if designation.observed.removed_on:
            standing.removals.append(designation.observed.removed_on)
        standing.in_force |= designation.status in IN_FORCE
        standing.pending |= designation.status == DesignationStatus.PENDING
    ordered = sorted(
        standings.values(),
        key=lambda s: (s.listed_on or s.first_seen_on or "9999", s.authority),
    )
    first_listed = next((s.listed_on for s in ordered if s.listed_on), None)
    first_ended = min((s.ended_on for s in ordered if s.ended_on), default=None)
    return Comparison(
        entity=EntityRef(entity.key, entity.name),
        target=tuple(member.key for member in members),
        as_of=day,
        authorities=tuple(
            AuthorityStanding(
                authority=standing.authority,
                authority_name=standing.name,
                lists=tuple(sorted(standing.lists)),
                programs=tuple(sorted(standing.programs)),
                listed_on=standing.listed_on,
                listing_lag_days=_days(standing.listed_on, first_listed),
                first_seen_on=standing.first_seen_on,
                status=standing.status,
                ended_on=standing.ended_on,
                ending_lag_days=_days(standing.ended_on, first_ended),
                removed_on=standing.removed_on,
                entities=tuple(sorted(standing.entities)),
            )
            for standing in ordered
        ),
        designations=tuple(details),
    )
