"""What one edition changes of one entry: which fields, whether only cosmetically, and in its
listings which to add, which end (stated by the list, or observed gone) and which stated dates
or bases it amends. Pure: the writer reads the rows, this decides, the services write."""

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.enums import DesignationStatus, SanctionStatus
from tracker.importers.records import Listing, ListingKey, ListSpec

# The list's own status word is ours when it is one of these; else active (or, ended, the
# status a stated end gives).
DESIGNATION_WORDS = {status.value for status in DesignationStatus}
SANCTION_WORDS = {status.value for status in SanctionStatus}


# Fields whose formatting (whitespace, punctuation, case) a list changes without meaning to.
COSMETIC_DETAILS = {"remarks", "addresses"}


@dataclass(frozen=True)
class OpenListing:
    """A listing of the entry: what the database holds of it."""

    listing_id: int
    is_sanction: bool
    status: str
    start: str | None  # stated
    legal_basis: str | None
    reason: str | None
    record_id: str | None = None
    first_seen_on: str | None = None


def changed_fields(previous: dict[str, Any], listed: dict[str, Any]) -> list[str]:
    """The fields of an entry whose value differs between two editions (added or dropped
    ones included)."""
    return sorted(k for k in listed.keys() | previous.keys() if previous.get(k) != listed.get(k))


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


@dataclass
class ListingChanges:
    new: list[Listing] = field(default_factory=list)
    stated_ends: list[tuple[OpenListing, str]] = field(default_factory=list)  # (listing, on)
    gone: list[OpenListing] = field(default_factory=list)
    # (listing, before, after, the start was not stated before)
    amended: list[tuple[OpenListing, dict[str, Any], dict[str, Any], bool]] = field(
        default_factory=list
    )


def unique_listings(listings: tuple[Listing, ...], spec: ListSpec) -> list[Listing]:
    """One listing per key: a list may list an entry twice under one program (two FtM
    sanctions, two regulations); the earliest start wins, and it ends only if both end."""
    unique: dict[ListingKey, Listing] = {}
    for listing in listings:
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


def listing_status(listing: Listing) -> str:
    """The list's own status word when it is one of ours, else active or (ended) revoked /
    lifted."""
    words = SANCTION_WORDS if listing.measure else DESIGNATION_WORDS
    if listing.status and listing.status in words:
        return listing.status
    if listing.ended_on:
        return SanctionStatus.LIFTED.value if listing.measure else DesignationStatus.REVOKED.value
    return "active"


def diff_listings(
    listings: tuple[Listing, ...],
    open_listings: dict[ListingKey, OpenListing],
    previous: dict[str, Any],
    spec: ListSpec,
) -> ListingChanges:
    """Compare what the edition lists for the entry with what is in force.

    A key the edition lists and the database does not hold is new, unless the previous
    edition already listed it as ended (FtM keeps ended sanctions in every edition). A key in
    force that the edition no longer lists is gone. For a key both hold, the edition's stated
    start, legal basis and reason amend what is held; a value the edition does not give
    never erases one another edition (or a person) gave.
    """
    changes = ListingChanges()
    already_ended = {
        (Listing.from_dict(item).key(spec), item.get("ended_on"))
        for item in previous.get("listings", [])
        if item.get("ended_on")
    }
    listed = unique_listings(listings, spec)
    for listing in listed:
        key = listing.key(spec)
        held = open_listings.get(key)
        if held is None:
            if (key, listing.ended_on) not in already_ended:
                changes.new.append(listing)
        elif listing.ended_on:
            changes.stated_ends.append((held, listing.ended_on))
        else:
            _amend(changes, held, listing)
    listed_keys = {listing.key(spec) for listing in listed}
    changes.gone = [held for key, held in open_listings.items() if key not in listed_keys]
    return changes


def _amend(changes: ListingChanges, held: OpenListing, listing: Listing) -> None:
    stated = {
        "start": listing.listed_on,
        "legal_basis": listing.legal_basis,
        "reason": listing.reason,
    }
    current = {"start": held.start, "legal_basis": held.legal_basis, "reason": held.reason}
    after = {k: v for k, v in stated.items() if v is not None and v != current[k]}
    if after:
        before = {k: current[k] for k in after}
        changes.amended.append((held, before, after, "start" in after and held.start is None))
