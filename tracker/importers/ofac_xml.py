"""OFAC's XML `sdnList` schema (sdn.xml and consolidated.xml), parsed as a stream.

The namespace differs between years, so elements are matched by local name. A DOCTYPE is
refused before anything is expanded (no entity bombs, no external entities); each entry is
dropped from memory once read, so memory does not grow with the file.
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from tracker.enums import AliasKind, EntityKind
from tracker.errors import InvalidInput
from tracker.importers import specs, xml_stream
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing
from tracker.importers.xml_stream import local

KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
# List elements of an entry and the key each becomes in `details`.
LISTS = {
    "idList": "ids",
    "addressList": "addresses",
    "nationalityList": "nationalities",
    "citizenshipList": "citizenships",
    "dateOfBirthList": "dates_of_birth",
    "placeOfBirthList": "places_of_birth",
}


def _text(element: Element, name: str) -> str | None:
    for child in element:
        if local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _fields(element: Element) -> dict[str, str]:
    """An item's simple children, without OFAC's internal uids."""
    return {
        local(child.tag): (child.text or "").strip()
        for child in element
        if local(child.tag) != "uid" and (child.text or "").strip()
    }


def _person_name(element: Element) -> str:
    last, first = _text(element, "lastName"), _text(element, "firstName")
    return ", ".join(part for part in (last, first) if part)


def _party(entry: Element) -> ListedParty:
    uid = _text(entry, "uid")
    if uid is None:
        raise InvalidInput("an sdnEntry has no uid")
    sdn_type = (_text(entry, "sdnType") or "entity").lower()
    programs: list[str] = []
    aliases: list[ListedAlias] = []
    details: dict[str, Any] = {}
    for child in entry:
        name = local(child.tag)
        if name == "programList":
            programs = [(p.text or "").strip() for p in child if (p.text or "").strip()]
        elif name == "akaList":
            for aka in child:
                kind = AliasKind.FKA if "f.k.a" in (_text(aka, "type") or "") else AliasKind.AKA
                if (_text(aka, "category") or "").lower() == "weak":
                    kind = AliasKind.WEAK_AKA
                alias = _person_name(aka)
                if alias:
                    aliases.append(ListedAlias(alias, kind))
        elif name in LISTS:
            details[LISTS[name]] = [_fields(item) for item in child]
        elif name == "vesselInfo":
            details["vessel"] = _fields(child)
        elif name in {"title", "remarks"} and (child.text or "").strip():
            details[name] = (child.text or "").strip()
    return ListedParty(
        identifier=uid,
        name=_person_name(entry),
        kind=KINDS.get(sdn_type, EntityKind.OTHER),
        listings=tuple(Listing(program) for program in programs),
        aliases=tuple(aliases),
        details=details,
    )


def _published(text: str | None, path: Path) -> str | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date().isoformat()
    except ValueError as error:
        raise InvalidInput(f"{path}: unreadable Publish_Date {text!r}") from error


def read(path: Path, *, list_code: str, published_on: str | None = None) -> Edition:
    """Read the header (publish date, record count), then stream the entries."""
    events = xml_stream.events(path)
    published: str | None = None
    declared: int | None = None
    pending: list[Element] = []
    root: Element | None = None
    for event, element in events:
        root = element if root is None else root
        name = local(element.tag)
        if event == "end" and name == "Publish_Date":
            published = _published(element.text, path)
        elif event == "end" and name == "Record_Count":
            declared = int((element.text or "0").strip() or 0)
        elif event == "end" and name == "publshInformation":
            break
        elif event == "end" and name == "sdnEntry":
            pending.append(element)  # an entry before the header: keep it for the stream
            break
    if published_on and published and published_on != published:
        raise InvalidInput(
            f"{path}: --published {published_on} contradicts the file's own"
            f" Publish_Date {published}"
        )
    return Edition(
        format="ofac-xml",
        spec=specs.OFAC,
        list_code=list_code,
        published_on=published or published_on,
        declared_count=declared,
        files=(path,),
        parties=_parties(path, events, pending, root),
        official_url=specs.ofac_url("CONSOLIDATED.XML" if list_code == "CONS" else "SDN.XML"),
    )


def _parties(
    path: Path,
    events: Iterator[tuple[str, Element]],
    pending: list[Element],
    root: Element | None,
) -> Iterator[ListedParty]:
    for element in pending:
        yield _party(element)
    count = len(pending)
    for event, element in events:
        if event == "end" and local(element.tag) == "sdnEntry":
            count += 1
            try:
                yield _party(element)
            except InvalidInput as error:
                raise InvalidInput(f"{path}: entry {count}: {error}") from error
            element.clear()
            if root is not None:
                root.clear()  # drop entries already read: memory stays bounded
