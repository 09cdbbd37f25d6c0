"""A listing's status as of a day, from its dates alone (no database): the pure rule every
report, search and service applies.

A designation effective on D is in force on D; one ended on D is no longer in force on D;
announced by D but not yet effective, it is *pending*. A listing an import saw with no stated
start counts as in force from the first edition that showed it (a sighting, not a listing
date: reports say which), and one an edition no longer showed is *delisted* from that
edition's date. Partial dates count from their first day (see `tracker.dates`): comparing the
stored ISO text with a full day's text does exactly that.
"""

from dataclasses import dataclass
from typing import Protocol

from tracker.enums import DesignationStatus, SanctionStatus

ENDED_DESIGNATION = {
    DesignationStatus.EXPIRED,
    DesignationStatus.REVOKED,
    DesignationStatus.ANNULLED,
    DesignationStatus.SUPERSEDED,
    DesignationStatus.DELISTED,
}
IN_FORCE_OR_PENDING = {
    DesignationStatus.ACTIVE,
    DesignationStatus.PENDING,
    DesignationStatus.SUSPENDED,
}


class DesignationDates(Protocol):
    """What the rule reads of a designation (a row or an ORM object)."""

    @property
    def announced_on(self) -> str | None: ...
    @property
    def effective_on(self) -> str | None: ...
    @property
    def ended_on(self) -> str | None: ...
    @property
    def first_seen_on(self) -> str | None: ...
    @property
    def removed_on(self) -> str | None: ...
    @property
    def status(self) -> DesignationStatus | str: ...


class SanctionDates(Protocol):
    @property
    def start_on(self) -> str | None: ...
    @property
    def end_on(self) -> str | None: ...
    @property
    def first_seen_on(self) -> str | None: ...
    @property
    def removed_on(self) -> str | None: ...
    @property
    def status(self) -> SanctionStatus | str: ...


@dataclass(frozen=True)
class Since:
    """Since when a listing is in force, and whether a source says so or an edition showed it."""

    day: str | None
    stated: bool


def designation_since(designation: DesignationDates) -> Since:
    stated = designation.effective_on or designation.announced_on
    if stated:
        return Since(stated, stated=True)
    return Since(designation.first_seen_on, stated=False)


def sanction_since(sanction: SanctionDates) -> Since:
    if sanction.start_on:
        return Since(sanction.start_on, stated=True)
    return Since(sanction.first_seen_on, stated=False)


def designation_status(designation: DesignationDates, day: str) -> DesignationStatus | None:
    """The designation's status on `day` (full ISO day); None before it was announced (or,
    never stated, first seen)."""
    recorded = DesignationStatus(designation.status)
    if designation.ended_on and designation.ended_on <= day:
        return (
            recorded
            if recorded in ENDED_DESIGNATION - {DesignationStatus.DELISTED}
            else (DesignationStatus.EXPIRED)
        )
    if designation.removed_on and designation.removed_on <= day:
        return DesignationStatus.DELISTED
    in_force = (
        DesignationStatus.SUSPENDED
        if recorded == DesignationStatus.SUSPENDED
        else DesignationStatus.ACTIVE
    )
    if designation.effective_on:
        if designation.effective_on <= day:
            return in_force
        if designation.announced_on and designation.announced_on <= day:
            return DesignationStatus.PENDING
        return None
    if designation.announced_on:
        if designation.announced_on > day:
            return None
        return recorded if recorded in IN_FORCE_OR_PENDING else in_force
    if designation.first_seen_on:
        if designation.first_seen_on > day:
            return None
        return recorded if recorded in IN_FORCE_OR_PENDING else in_force
    return recorded  # no date at all: only what was recorded is known


def sanction_status(sanction: SanctionDates, day: str) -> SanctionStatus | None:
    """In force from its start (stated, else first seen) until (not including) its end."""
    begun = sanction.start_on or sanction.first_seen_on
    if begun and begun > day:
        return None
    recorded = SanctionStatus(sanction.status)
    if sanction.end_on and sanction.end_on <= day:
        if recorded in {SanctionStatus.ACTIVE, SanctionStatus.DELISTED}:
            return SanctionStatus.EXPIRED
        return recorded
    if sanction.removed_on and sanction.removed_on <= day:
        return SanctionStatus.DELISTED
    if recorded == SanctionStatus.SUSPENDED:
        return recorded
    return SanctionStatus.ACTIVE
