"""Reports in words, for people: labels of listings, what the editions showed, and one line
per event. Only the table, CSV, Markdown and HTML views use these; JSON carries the fields."""

from typing import Any

from tracker.enums import COSMETIC_NOTE, EventAction, SubjectType
from tracker.records import EntityRef, EventRecord, ListingRef, Observed, SourceRef


def designation_label(authority: str, list_code: str, program: str | None) -> str:
    """'us-state FTO', 'us-ofac SDN SDGT' (the program only when it says more than the list)."""
    return " ".join(
        [authority, list_code] + ([program] if program and program != list_code else [])
    )


def listing_label(listing: ListingRef) -> str:
    if listing.kind == "sanction":
        return f"{listing.authority} {listing.measure}"
    return designation_label(listing.authority, listing.list or "", listing.program)


def entity_label(entity: EntityRef) -> str:
    """'ofac-41176 (BANCO NACIONAL DE CUBA)': a key with the name beside it."""
    if not entity.name or entity.name == entity.key:
        return entity.key
    return f"{entity.key} ({entity.name})"


def source_label(source: SourceRef) -> str:
    """A source by its URL, or a list edition (whose URL every edition shares) by its title."""
    if source.sha256 is not None or not source.url:
        return source.title
    return source.url


def seen_text(observed: Observed) -> str | None:
    """'first seen 2022-06-17, last seen 2022-06-28, gone 2023-01-05' (None if unseen)."""
    if observed.first_seen_on is None:
        return None
    text = f"first seen {observed.first_seen_on}"
    if observed.last_seen_on and observed.last_seen_on != observed.first_seen_on:
        text += f", last seen {observed.last_seen_on}"
    if observed.removed_on:
        text += f", gone {observed.removed_on}"
    return text


def since_text(day: str | None, stated: bool) -> str:
    if day is None:
        return "(undated)"
    return f"since {day}" if stated else f"first seen {day}"


DETAIL_VALUE_LENGTH = 80  # the full values are in the JSON before / after


def _plain(value: Any) -> str:
    """A stored value as words, never a Python repr: lists joined by "; ", records as
    "field: value, ..."."""
    if value is None:
        return "(none)"
    if isinstance(value, list | tuple):
        return "; ".join(_plain(item) for item in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def _short(value: Any) -> str:
    text = _plain(value)
    return text if len(text) <= DETAIL_VALUE_LENGTH else text[: DETAIL_VALUE_LENGTH - 1] + "…"


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str | int | float) for item in value)


def _differences(before: Any, after: Any, path: str) -> list[str]:
    """'field: old -> new' for each changed leaf (dicts are compared key by key; a list of
    codes or names says what it gained and lost)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            line
            for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)
            for line in _differences(before.get(key), after.get(key), f"{path}.{key}")
        ]
    if _scalars(before) and _scalars(after):
        gained = [item for item in after if item not in before]
        lost = [item for item in before if item not in after]
        parts = [f"+{_short(gained)}" if gained else "", f"-{_short(lost)}" if lost else ""]
        if any(parts):
            return [f"{path}: " + " ".join(part for part in parts if part)]
    return [f"{path}: {_short(before)} -> {_short(after)}"]


def _changed(event: Any) -> str:
    before = event.before or {}
    return "; ".join(
        line
        for field, value in (event.after or {}).items()
        for line in _differences(before.get(field), value, field)
    )


def describe(event: EventRecord) -> str:
    """One line saying what the event did, in words.

    What a source stated reads as a fact ("listed", "revoked"); what an import only observed
    reads as a sighting ("first seen in the edition of 2022-06-17", "gone from the edition of
    2022-06-28"), never as a listing or delisting date.
    """
    after = event.after or {}
    subject = (
        listing_label(event.listing)
        if event.listing
        else ("listing" if event.subject_type == SubjectType.ENTITY else event.subject_type)
    )
    match event.action:
        case EventAction.LISTED if event.subject_type == SubjectType.ENTITY:
            listed = after.get("list_code")
            return f"on the {listed} list (first seen in the edition of {event.occurred_on})"
        case EventAction.LISTED | EventAction.IMPOSED:
            return _made(event.action, subject, after)
        case EventAction.EFFECTIVE:
            return f"{subject} in force"
        case EventAction.AMENDED if event.note == COSMETIC_NOTE:
            return f"{subject} amended (cosmetic): {_changed(event)}"
        case EventAction.AMENDED if event.note and "amendment" not in after:
            return f"{subject} amended ({event.note}): {_changed(event)}"
        case EventAction.AMENDED:
            return f"{subject} amended: " + (event.note or _changed(event))
        case EventAction.DELISTED if (
            after.get("removed_on") or event.subject_type == SubjectType.ENTITY
        ):
            return (
                f"{subject} gone from the edition of {event.occurred_on} (observed; no date stated)"
            )
        case EventAction.REVOKED | EventAction.DELISTED:
            reason = after.get("reason")
            verb = "revoked" if event.action == EventAction.REVOKED else "delisted"
            return f"{subject} {verb}" + (f": {reason}" if reason else "")
        case EventAction.LIFTED:
            return f"{subject} lifted"
        case EventAction.RESPONDED:
            responder = entity_label(event.other) if event.other else after.get("responder")
            return f"{responder} {after.get('stance')}: {after.get('summary')}"
        case EventAction.ALIAS_ADDED:
            return f"alias {after.get('name')!r} added"
        case EventAction.ALIAS_REMOVED:
            return f"alias {(event.before or {}).get('name')!r} removed"
        case EventAction.IDENTIFIER_ADDED:
            return f"identifier {after.get('scheme')}:{after.get('value')} added"
        case EventAction.ENTITY_ADDED:
            return f"entity recorded: {after.get('name')}"
        case EventAction.AUTHORITY_ADDED:
            return f"authority recorded: {after.get('name')} ({after.get('key')})"
        case EventAction.LINKED if after.get("relation"):
            other = entity_label(event.other) if event.other else after.get("linked_to")
            return f"{after['relation']} {other}"
        case EventAction.LINKED | EventAction.UNLINKED if event.other:
            verb = "linked to" if event.action == EventAction.LINKED else "unlinked from"
            return f"{verb} {entity_label(event.other)} (same target)"
        case EventAction.ENTITY_EDITED:
            return "edited: " + _changed(event)
        case _:
            return f"{event.action} {subject}"


def _made(action: str, subject: str, after: dict[str, Any]) -> str:
    """A new listing: announced, listed or imposed as its source states, or first seen."""
    basis = f" under {after['legal_basis']}" if after.get("legal_basis") else ""
    announced = after.get("announced_on")
    stated = announced or after.get("effective_on") or after.get("start_on")
    if not stated and after.get("first_seen_on"):
        return f"{subject} first seen in the edition of {after['first_seen_on']}{basis}"
    if action == EventAction.IMPOSED:
        return f"{subject} imposed{basis}"
    pending = announced and after.get("effective_on") != announced
    return f"{subject} {'announced' if pending else 'listed'}{basis}"
