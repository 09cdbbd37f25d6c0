"""The UN Security Council Consolidated List (`CONSOLIDATED_LIST` XML), read as a stream.

Dated by the root's `dateGenerated`; each INDIVIDUAL / ENTITY is keyed by its REFERENCE_NUMBER
(`QDi.430`), listed under its sanctions committee (the program: `1267`, `1718`...) since
LISTED_ON. Text is whitespace-normalised, so a re-indented copy of an edition is the same.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from tracker.dates import parse_optional
from tracker.enums import AliasKind, EntityKind
from tracker.errors import InvalidInput, TrackerError
from tracker.importers import files, specs, xml_stream
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing
from tracker.importers.xml_stream import clean, local

DATE_FIELD = "dateGenerated"
LIST_CODE = "UNSC"
ROOT = "CONSOLIDATED_LIST"
# UN_LIST_TYPE -> the committee's resolution, the name analysts use for a UN regime.
COMMITTEES = {
    "Al-Qaida": "1267",
    "Taliban": "1988",
    "DPRK": "1718",
    "Iran": "1737",
    "Iraq": "1518",
    "Libya": "1970",
    "Somalia": "751",
    "DRC": "1533",
    "Sudan": "1591",
    "CAR": "2127",
    "SouthSudan": "2206",
    "Yemen": "2140",
    "GB": "2048",
    "Mali": "2374",
    "Haiti": "2653",
    "Lebanon": "1636",
}
ALIAS_KINDS = {"low": AliasKind.WEAK_AKA, "f.k.a.": AliasKind.FKA}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# Repeated children of an entry and the key each becomes in `details`.
RECORDS = {
    "INDIVIDUAL_ADDRESS": "addresses",
    "ENTITY_ADDRESS": "addresses",
    "INDIVIDUAL_DATE_OF_BIRTH": "dates_of_birth",
    "INDIVIDUAL_PLACE_OF_BIRTH": "places_of_birth",
    "INDIVIDUAL_DOCUMENT": "documents",
}
VALUE_LISTS = {
    "TITLE": "titles",
    "DESIGNATION": "positions",
    "NATIONALITY": "nationalities",
    "LAST_DAY_UPDATED": "updated_on",
}
# COMMENTS1 is kept as "remarks": an edit of only its spacing or punctuation is cosmetic.
TEXTS = {"COMMENTS1": "remarks", "GENDER": "gender", "SUBMITTED_BY": "submitted_by"}


def _children(element: Element) -> dict[str, str]:
    """An element's simple children by tag, whitespace-normalised, empty ones left out."""
    return {local(child.tag): text for child in element if (text := clean(child.text))}


def _values(element: Element) -> list[str]:
    return [text for child in element if (text := clean(child.text))]


def _listed_on(text: str | None, reference: str) -> str | None:
    try:
        return parse_optional(text[:10] if text else None)
    except TrackerError as error:
        raise InvalidInput(f"entry {reference}: LISTED_ON: {error}") from error


def _party(entry: Element) -> ListedParty:
    simple = _children(entry)
    reference = simple.get("REFERENCE_NUMBER")
    if not reference:
        raise InvalidInput(f"an {local(entry.tag)} has no REFERENCE_NUMBER")
    name = " ".join(simple[part] for part in NAME_PARTS if part in simple)
    if not name:
        raise InvalidInput(f"entry {reference} has no name")
    list_type = simple.get("UN_LIST_TYPE", "")
    aliases: list[ListedAlias] = []
    details: dict[str, Any] = {"list_type": list_type} if list_type else {}
    if "NAME_ORIGINAL_SCRIPT" in simple:
        aliases.append(ListedAlias(simple["NAME_ORIGINAL_SCRIPT"]))
    for child in entry:
        tag = local(child.tag)
        if tag in {"INDIVIDUAL_ALIAS", "ENTITY_ALIAS"}:
            alias = _children(child)
            if alias.get("ALIAS_NAME"):
                kind = ALIAS_KINDS.get(alias.get("QUALITY", "").lower(), AliasKind.AKA)
                aliases.append(ListedAlias(alias["ALIAS_NAME"], kind))
        elif tag in RECORDS and (record := _children(child)):
            details.setdefault(RECORDS[tag], []).append(
                {key.lower(): value for key, value in record.items()}
            )
        elif tag in VALUE_LISTS and (values := _values(child)):
            details[VALUE_LISTS[tag]] = values
        elif tag in TEXTS and tag in simple:
            details[TEXTS[tag]] = simple[tag]
    for key in RECORDS.values():
        if key in details:  # the order of an entry's records carries no meaning
            details[key] = sorted(details[key], key=lambda record: sorted(record.items()))
    program = COMMITTEES.get(list_type, list_type or "UN")
    return ListedParty(
        identifier=reference,
        name=name,
        kind=EntityKind.PERSON if local(entry.tag) == "INDIVIDUAL" else EntityKind.ORGANIZATION,
        listings=(Listing(program, listed_on=_listed_on(simple.get("LISTED_ON"), reference)),),
        aliases=tuple(aliases),
        details=details,
    )


def read(path: Path, *, list_code: str | None = None, published_on: str | None = None) -> Edition:
    """Read the root's date, then stream the entries."""
    files.head(path)
    events = xml_stream.events(path)
    published: str | None = None
    for event, element in events:
        if event != "start":
            continue
        if local(element.tag) != ROOT:
            raise InvalidInput(f"{path}: not a UN consolidated list (the root is not {ROOT})")
        generated = element.get("dateGenerated", "")
        try:
            published = parse_optional(generated[:10]) if generated else None
        except TrackerError as error:
            raise InvalidInput(f"{path}: dateGenerated: {error}") from error
        root = element
        break
    else:
        raise InvalidInput(f"{path}: the file is empty")
    return Edition(
        format="un-xml",
        spec=specs.UN,
        list_code=list_code or LIST_CODE,
        published_on=files.publish_date(path, published, published_on, DATE_FIELD),
        declared_count=None,
        files=(path,),
        official_url=specs.UN_URL,
        parties=_parties(path, events, root),
    )


def _parties(
    path: Path, events: Iterator[tuple[str, Element]], root: Element
) -> Iterator[ListedParty]:
    count = 0
    parent: Element | None = None
    for event, element in events:
        tag = local(element.tag)
        if event == "start" and tag in {"INDIVIDUALS", "ENTITIES"}:
            parent = element
        elif event == "end" and tag in {"INDIVIDUAL", "ENTITY"}:
            count += 1
            try:
                yield _party(element)
            except InvalidInput as error:
                raise InvalidInput(f"{path}: {tag} {count}: {error}") from error
            (parent if parent is not None else root).remove(element)  # memory stays bounded
