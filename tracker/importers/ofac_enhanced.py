"""OFAC's "enhanced XML" (SDN_ENHANCED.XML, CONS_ENHANCED.XML), parsed as a stream.

The Sanctions List Service's richest export says more than the legacy `sdnList`: the date each
entry was published on each list, the legal authorities, names in their original scripts, and
relationships between entries. The whole list is hundreds of megabytes, so it is read as a
stream: the lookup tables at its head (referenceValues, featureTypes) are dropped as they are
read, since every value is repeated as text where it is used, and each entity is dropped once it
has become a ListedParty, so memory does not grow with the file. Elements are matched by local
name and a DOCTYPE is refused (see xml_stream).
"""

from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from tracker.dates import PartialDate, parse_optional
from tracker.enums import AliasKind, EntityKind
from tracker.errors import InvalidInput
from tracker.importers import files, specs, xml_stream
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing
from tracker.importers.xml_stream import clean, local

FORMAT = "ofac-enhanced-xml"
ROOT = "sanctionsData"
NAMESPACE = b"sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"
KINDS = {
    "Individual": EntityKind.PERSON,
    "Entity": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Aircraft": EntityKind.AIRCRAFT,
}
ALIAS_KINDS = {"A.K.A.": AliasKind.AKA, "F.K.A.": AliasKind.FKA, "N.K.A.": AliasKind.AKA}
SDN_LIST = "SDN List"  # every other OFAC list (FSE, SSI, Non-SDN ..., CAPTA) is part of CONS
# The bidi controls OFAC wraps right-to-left names in: invisible, but they defeat matching.
BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F])
# Feature types with a key of their own in `details`; every other type goes under "features".
FEATURE_LISTS = {
    "Birthdate": "dates_of_birth",
    "Place of Birth": "places_of_birth",
    "Nationality Country": "nationalities",
    "Citizenship Country": "citizenships",
}
FEATURE_TEXTS = {"Gender": "gender"}
VESSEL_FEATURES = {
    "Vessel Flag": "flag",
    "Vessel Call Sign": "call_sign",
    "VESSEL TYPE": "vessel_type",
    "Vessel Tonnage": "tonnage",
    "Vessel Gross Registered Tonnage": "gross_registered_tonnage",
    "Vessel Owner": "owner",
    "Vessel Year of Build": "year_of_build",
}
DOCUMENT_TEXTS = {
    "type": "type",
    "documentNumber": "number",
    "issuingCountry": "country",
    "issuingAuthority": "authority",
    "comments": "comments",
    "isValid": "valid",
}
DOCUMENT_DATES = {"issueDate": "issued_on", "expirationDate": "expires_on"}


def is_enhanced(head: bytes) -> bool:
    """The file's first bytes show the `sanctionsData` root (or its namespace)."""
    start = head[: files.SNIFF_BYTES]
    return ROOT.encode() in start or NAMESPACE in start


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if local(child.tag) == name), None)


def _items(element: Element | None, container: str, item: str) -> list[Element]:
    """The `item` children of `element`'s `container` child: "names", "name"..."""
    found = _child(element, container)
    return [] if found is None else [child for child in found if local(child.tag) == item]


def _text(element: Element | None, name: str) -> str | None:
    child = _child(element, name)
    return (clean(child.text) or None) if child is not None else None


def _texts(element: Element, container: str, item: str) -> list[str]:
    return [text for child in _items(element, container, item) if (text := clean(child.text))]


def _flag(element: Element, name: str) -> bool:
    return (_text(element, name) or "").lower() == "true"


def _primary(elements: list[Element]) -> Element | None:
    """The one marked isPrimary, else the first."""
    return next((item for item in elements if _flag(item, "isPrimary")), next(iter(elements), None))


def _date(text: str | None, what: str) -> str | None:
    """An ISO date (or date-time: its date part) as stored text; malformed is an error."""
    try:
        return parse_optional(clean(text)[:10])
    except InvalidInput as error:
        raise InvalidInput(f"{what}: {error}") from error


def _period(element: Element | None) -> str | None:
    """A stated period (fromDateBegin .. toDateEnd) as one date: a day, a whole month or year
    ("YYYY-MM", "YYYY"), else "start/end"."""
    start = _date(_text(element, "fromDateBegin"), "fromDateBegin")
    end = _date(_text(element, "toDateEnd"), "toDateEnd")
    if start is None or end in (None, start):
        return start
    for candidate in (start[:4], start[:7]):
        period = PartialDate.parse(candidate)
        if (period.first_day().isoformat(), period.last_day().isoformat()) == (start, end):
            return candidate
    return f"{start}/{end}"


def _sorted_records(records: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Non-empty records in a stable order: their order in the file carries no meaning."""
    return sorted((record for record in records if record), key=lambda r: sorted(r.items()))


def _name_text(translation: Element) -> str:
    """formattedFullName, else "LAST, First" as the legacy list writes it, else the parts."""
    text = _text(translation, "formattedFullName")
    if not text:
        parts = (_text(translation, "formattedLastName"), _text(translation, "formattedFirstName"))
        text = ", ".join(part for part in parts if part) or " ".join(
            _text(part, "value") or "" for part in _items(translation, "nameParts", "namePart")
        )
    return clean(text.translate(BIDI))


def _alias(translation: Element, kind: AliasKind) -> ListedAlias:
    script = _text(translation, "script")
    return ListedAlias(_name_text(translation), kind, None if script in {None, "Latin"} else script)


def _alias_kind(name: Element) -> AliasKind:
    if _flag(name, "isLowQuality"):
        return AliasKind.WEAK_AKA
    return ALIAS_KINDS.get(_text(name, "aliasType") or "", AliasKind.AKA)


def _names(entity: Element) -> tuple[str, tuple[ListedAlias, ...]]:
    """The primary name's primary translation, and every other translation as an alias."""
    names = _items(entity, "names", "name")
    primary = _primary(names)
    translations = _items(primary, "translations", "translation")
    main = _primary(translations)
    name = _name_text(main) if main is not None else ""
    if not name:
        raise InvalidInput("no name")
    aliases = [_alias(item, AliasKind.AKA) for item in translations if item is not main]
    for other in names:
        if other is not primary:
            kind = _alias_kind(other)
            aliases += [_alias(item, kind) for item in _items(other, "translations", "translation")]
    return name, tuple(dict.fromkeys(a for a in aliases if a.name and a.name != name))


def _lists(entity: Element) -> list[tuple[str, str | None]]:
    """(list, datePublished) for each list the entity is on."""
    return [
        (clean(item.text), _date(item.get("datePublished"), "datePublished"))
        for item in _items(entity, "sanctionsLists", "sanctionsList")
    ]


def _list_code(name: str) -> str:
    """The edition a sanctionsList belongs to: the SDN List is SDN, every other list CONS."""
    return "SDN" if name == SDN_LIST else "CONS"


def _listings(
    entity: Element, lists: list[tuple[str, str | None]], list_code: str
) -> tuple[Listing, ...]:
    """One listing per program, dated by the edition's own list (else the earliest list)."""
    dates = [date for _, date in lists if date]
    ours = [date for name, date in lists if date and _list_code(name) == list_code]
    listed_on = min(ours or dates, default=None)
    legal_basis = "; ".join(sorted(_texts(entity, "legalAuthorities", "legalAuthority"))) or None
    return tuple(
        Listing(program, listed_on=listed_on, legal_basis=legal_basis, record_id=item.get("id"))
        for item in _items(entity, "sanctionsPrograms", "sanctionsProgram")
        if (program := clean(item.text))
    )


def _address(address: Element) -> dict[str, str]:
    """The country and the primary translation's parts, keyed by part type ("city"...)."""
    record = {"country": country} if (country := _text(address, "country")) else {}
    translation = _primary(_items(address, "translations", "translation"))
    for part in _items(translation, "addressParts", "addressPart"):
        kind, value = _text(part, "type"), _text(part, "value")
        if kind and value:
            record[kind.lower().replace(" ", "_")] = value
    return record


def _features(entity: Element) -> dict[str, Any]:
    """Features by type: the common ones under keys of their own, vessel ones in "vessel"."""
    grouped: dict[str, set[str]] = {}
    for feature in _items(entity, "features", "feature"):
        kind = _text(feature, "type")
        value = _text(feature, "value") or _period(_child(feature, "valueDate"))
        if kind and value:
            grouped.setdefault(kind, set()).add(value)
    found: dict[str, Any] = {"vessel": {}, "features": {}}
    for kind, values in grouped.items():
        if kind in FEATURE_LISTS:
            found[FEATURE_LISTS[kind]] = sorted(values)
        elif kind in FEATURE_TEXTS:
            found[FEATURE_TEXTS[kind]] = "; ".join(sorted(values))
        elif kind in VESSEL_FEATURES:
            found["vessel"][VESSEL_FEATURES[kind]] = "; ".join(sorted(values))
        else:
            found["features"][kind] = sorted(values)
    return found


def _document(document: Element) -> dict[str, str]:
    record = {key: text for tag, key in DOCUMENT_TEXTS.items() if (text := _text(document, tag))}
    for tag, key in DOCUMENT_DATES.items():
        if date := _period(_child(document, tag)):
            record[key] = date
    if "valid" in record:
        record["valid"] = record["valid"].lower()
    return record


def _related_id(relationship: Element) -> str | None:
    """The related entry's id: relatedEntity's entityId (or id) attribute; also read from a
    relatedEntityId child, whose text may be the id."""
    for name in ("relatedEntity", "relatedEntityId"):
        related = _child(relationship, name)
        if related is not None:
            text = clean(related.text) if name == "relatedEntityId" else ""
            return related.get("entityId") or related.get("id") or text or None
    return None


def _relations(entity: Element) -> tuple[tuple[str, str], ...]:
    """(relation, related entry's id); one naming no relation or no entry is left out."""
    found = []
    for relationship in _items(entity, "relationships", "relationship"):
        relation = _text(relationship, "type") or _text(relationship, "relationshipType")
        related = _related_id(relationship)
        if relation and related:
            found.append((relation, related))
    return tuple(dict.fromkeys(found))


def _details(
    entity: Element, lists: list[tuple[str, str | None]], relations: tuple[tuple[str, str], ...]
) -> dict[str, Any]:
    info = _child(entity, "generalInfo")
    details = {
        "lists": _sorted_records(
            {"list": name, **({"published": date} if date else {})} for name, date in lists
        ),
        "sanctions_types": sorted(_texts(entity, "sanctionsTypes", "sanctionsType")),
        "legal_authorities": sorted(_texts(entity, "legalAuthorities", "legalAuthority")),
        "title": _text(info, "title"),
        "remarks": _text(info, "remarks"),
        "addresses": _sorted_records(map(_address, _items(entity, "addresses", "address"))),
        **_features(entity),
        "documents": _sorted_records(
            map(_document, _items(entity, "identityDocuments", "identityDocument"))
        ),
        "relationships": _sorted_records(
            {"relation": relation, "entity": related} for relation, related in relations
        ),
    }
    return {key: value for key, value in details.items() if value}


def _party(entity: Element, list_code: str) -> ListedParty:
    identifier = (entity.get("id") or "").strip()
    if not identifier:
        raise InvalidInput("no id")
    name, aliases = _names(entity)
    lists, relations = _lists(entity), _relations(entity)
    return ListedParty(
        identifier=identifier,
        name=name,
        kind=KINDS.get(_text(_child(entity, "generalInfo"), "entityType") or "", EntityKind.OTHER),
        listings=_listings(entity, lists, list_code),
        aliases=aliases,
        details=_details(entity, lists, relations),
        relations=relations,
    )


def _section_items(path: Path) -> Iterator[tuple[str, Element]]:
    """(section, element) for each child of the root's sections (publicationInfo,
    referenceValues, featureTypes, entities), once read whole. Each is dropped from the tree
    when the reader moves on, and each section once it ends: memory stays bounded."""
    stack: list[Element] = []
    for event, element in xml_stream.events(path):
        if event == "start":
            if not stack and local(element.tag) != ROOT:
                raise InvalidInput(
                    f"{path}: not an OFAC enhanced XML file (the root is"
                    f" {local(element.tag)}, not {ROOT})"
                )
            stack.append(element)
            continue
        stack.pop()
        if len(stack) == 2:
            yield local(stack[1].tag), element
            stack[1].remove(element)
        elif len(stack) == 1:
            stack[0].remove(element)


def _publication(
    path: Path, items: Iterator[tuple[str, Element]]
) -> tuple[str | None, bool, list[tuple[str, Element]]]:
    """publicationInfo's date and whether the export is whole (no program filter), and the
    first item after it, already read."""
    published, complete = None, True
    for section, element in items:
        if section != "publicationInfo":
            return published, complete, [(section, element)]
        if local(element.tag) == "dataAsOf":
            published = _date(element.text, f"{path}: dataAsOf")
        elif local(element.tag) == "filters":
            complete = not _items(element, "sanctionsPrograms", "sanctionsProgram")
    return published, complete, []


def read(path: Path, *, list_code: str, published_on: str | None) -> Edition:
    """Read publicationInfo, then stream the entities."""
    files.head(path)
    items = _section_items(path)
    published, complete, pending = _publication(path, items)
    if published_on and published and published_on != published:
        raise InvalidInput(
            f"{path}: --published {published_on} contradicts the file's own dataAsOf {published}"
        )
    export = "CONS_ENHANCED.XML" if list_code == "CONS" else "SDN_ENHANCED.XML"
    return Edition(
        format=FORMAT,
        spec=specs.OFAC,
        list_code=list_code,
        published_on=published or published_on,
        declared_count=None,
        files=(path,),
        parties=_parties(path, chain(pending, items), list_code),
        official_url=specs.ofac_url(export),
        document_number=None,
        complete=complete,
    )


def _parties(
    path: Path, items: Iterator[tuple[str, Element]], list_code: str
) -> Iterator[ListedParty]:
    count = 0
    for section, element in items:
        if section != "entities" or local(element.tag) != "entity":
            continue
        count += 1
        try:
            party = _party(element, list_code)
        except InvalidInput as error:
            label = f"entity {count}" + (f" (id {element.get('id')})" if element.get("id") else "")
            raise InvalidInput(f"{path}: {label}: {error}") from error
        yield party
