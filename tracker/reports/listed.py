"""What a list entry says of its party, as typed records (`ListedDetails`).

Each importer keeps an entry's details in the list's own shape (`list_entry.content`): OFAC's
legacy CSV has remarks and vessel columns, its XML `dateOfBirth` items, the enhanced XML
features, the UN records with `type_of_date`, the UK free-text columns, the EU paired births,
FtM its properties. This module reads every one of those shapes into the same fields, and
keeps whatever has no field of its own as `other` facts under the list's label, so nothing a
list says is lost.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tracker.records import (
    Address,
    Birth,
    IdentityDocument,
    ListedDetails,
    ListedFact,
    VesselParticulars,
)
from tracker.reports.stated import RemarkFacts, ofac_remarks, stated_birth, stated_day

# Keys of an entry's content shown elsewhere: the entity, its aliases, its designations.
ENTRY_KEYS = {"name", "kind", "programs", "aliases", "listings"}
# Address parts by the many names lists give them.
ADDRESS_PARTS = {
    "street": ("number", "street", "address", "address1", "address2", "address3"),
    "city": ("city",),
    "region": ("stateOrProvince", "state/province", "state_province", "region"),
    "postal_code": ("postalCode", "postal_code", "zip_code", "zipcode"),
    "country": ("country",),
    "note": ("remarks", "note", "other"),
}
VESSEL_PARTS = {
    "flag": ("flag", "vesselFlag"),
    "call_sign": ("call_sign", "callSign"),
    "vessel_type": ("vessel_type", "vesselType", "type"),
    "tonnage": ("tonnage",),
    "gross_registered_tonnage": ("gross_registered_tonnage", "grossRegisteredTonnage"),
    "owner": ("owner", "vesselOwner"),
    "year_built": ("year_of_build", "buildDate"),
    "imo": ("imo", "imoNumber"),
    "mmsi": ("mmsi",),
}
# OFAC XML `idList` items that are no identity document.
NOT_DOCUMENTS = {
    "Website", "Email Address", "Gender", "Phone Number", "Additional Sanctions Information -",
    "For more information, please see:", "Organization Established Date", "Organization Type:",
    "Nationality of Registration", "Secondary sanctions risk:", "Transactions Prohibited For "
    "Persons Owned or Controlled By U.S. Financial Institutions:", "Target Type", "SWIFT/BIC",
}  # fmt: skip
# FollowTheMoney properties that are identity documents, and the kind each names.
FTM_DOCUMENTS = {
    "passportNumber": "passport", "idNumber": "identity number", "taxNumber": "tax number",
    "innCode": "INN", "ogrnCode": "OGRN", "kppCode": "KPP", "okpoCode": "OKPO",
    "registrationNumber": "registration number", "vatCode": "VAT", "leiCode": "LEI",
    "dunsCode": "D-U-N-S", "uniqueEntityId": "UEI", "swiftBic": "SWIFT/BIC",
    "socialSecurityNumber": "social security number",
}  # fmt: skip
# FollowTheMoney properties of a vessel (their schema's names).
FTM_VESSEL = {"flag", "callSign", "imoNumber", "mmsi", "tonnage", "grossRegisteredTonnage",
              "buildDate"}  # fmt: skip


def _texts(value: Any) -> list[str]:
    """A value as a list of texts: a text, a list of texts, or a list of records."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [_record_text(value)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return [str(value)]


def _record_text(record: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}: {'; '.join(_texts(value))}" for key, value in record.items())


def _first(record: Mapping[str, Any], names: Iterable[str]) -> str | None:
    parts = [str(record[name]) for name in names if record.get(name)]
    return ", ".join(parts) or None


def _countries(value: Any) -> list[str]:
    """Nationalities as texts: "Iran", or an item {"country": "Iran", "mainEntry": ...}."""
    if isinstance(value, list):
        return [
            country
            for item in value
            for country in (_texts(item.get("country")) if isinstance(item, dict) else [item])
        ]
    return _texts(value)


def _birth_date(item: Any) -> Birth:
    """A date-of-birth item: text (OFAC, UK, enhanced), {"dateOfBirth"} (OFAC XML), or
    {"type_of_date", "date" | "year" | "from_year"/"to_year", "note"} (UN)."""
    if not isinstance(item, dict):
        return stated_birth(str(item))
    if "dateOfBirth" in item:
        return stated_birth(item["dateOfBirth"])
    kind = str(item.get("type_of_date", "")).upper()
    note = item.get("note")
    if item.get("from_year") or item.get("to_year"):
        start, end = stated_day(item.get("from_year")), stated_day(item.get("to_year"))
        if start and end:
            return Birth(date=f"{start}/{end}", approximate=kind == "APPROXIMATELY", note=note)
    text = item.get("date") or item.get("year")
    birth = stated_birth(text) if text else Birth()
    notes = [part for part in (birth.note, note) if part]
    return Birth(
        date=birth.date,
        approximate=birth.approximate or kind == "APPROXIMATELY",
        note="; ".join(notes) or None,
    )


def _birth_place(item: Any) -> Birth:
    """A place-of-birth item: text, {"placeOfBirth"} (OFAC XML), or {"city",
    "state_province", "country", "note"} (UN)."""
    if not isinstance(item, dict):
        return Birth(place=str(item))
    if "placeOfBirth" in item:
        return Birth(place=item["placeOfBirth"])
    return Birth(
        place=_first(item, ("street", "city", "state_province")),
        country=item.get("country"),
        note=item.get("note"),
    )


def _births(content: Mapping[str, Any], remarks: RemarkFacts | None) -> list[Birth]:
    """Births: paired where the list pairs them (EU), or where it states exactly one date
    and one place; else the dates and the places apart, never paired by guess."""
    paired = [
        Birth(
            date=stated_day(item.get("date")) or None,
            place=item.get("place"),
            country=item.get("country"),
            note=None if stated_day(item.get("date")) or not item.get("date") else item["date"],
        )
        for item in content.get("births", [])
        if isinstance(item, dict)
    ]
    dates = [_birth_date(item) for item in _list(content.get("dates_of_birth"))]
    dates += [stated_birth(text) for text in _texts(content.get("birthDate"))]
    places = [_birth_place(item) for item in _list(content.get("places_of_birth"))]
    places += [Birth(place=text) for text in _texts(content.get("birthPlace"))]
    places += _uk_places(content)
    if remarks is not None:
        dates += remarks.births
        places += [Birth(place=place) for place in remarks.places]
    countries = _texts(content.get("birthCountry"))
    if countries and len(places) <= 1:
        place = places[0] if places else Birth()
        places = [Birth(place=place.place, country=countries[0], note=place.note)]
        countries = countries[1:]
    places += [Birth(country=country) for country in countries]
    if len(dates) == 1 and len(places) == 1:
        date, place = dates[0], places[0]
        notes = [note for note in (date.note, place.note) if note]
        return [
            *paired,
            Birth(date.date, place.place, place.country, date.approximate,
                  "; ".join(notes) or None),
        ]  # fmt: skip
    return [*paired, *dates, *places]


def _uk_places(content: Mapping[str, Any]) -> list[Birth]:
    """The UK list's towns and countries of birth (free text each): one place when it
    gives one of each, else each as written."""
    towns, countries = _texts(content.get("towns_of_birth")), content.get("countries_of_birth")
    countries = _texts(countries)
    if len(towns) <= 1 and len(countries) <= 1 and (towns or countries):
        return [Birth(place=next(iter(towns), None), country=next(iter(countries), None))]
    return [Birth(place=town) for town in towns] + [Birth(country=c) for c in countries]


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _address(item: Any) -> Address:
    if not isinstance(item, dict):
        return Address(text=str(item))
    known = {name for names in ADDRESS_PARTS.values() for name in names}
    extra = [f"{key}: {value}" for key, value in item.items() if key not in known and value]
    parts = {part: _first(item, names) for part, names in ADDRESS_PARTS.items()}
    if extra:
        parts["note"] = "; ".join(filter(None, [parts["note"], *extra]))
    return Address(**parts)


def _document(item: Any) -> IdentityDocument | None:
    """An identity document item of any list; None for an OFAC `idList` item that is none."""
    if not isinstance(item, dict):
        return IdentityDocument(kind=None, number=str(item))
    if "idType" in item:  # OFAC XML
        if item["idType"] in NOT_DOCUMENTS:
            return None
        return IdentityDocument(
            kind=item["idType"], number=item.get("idNumber"), country=item.get("idCountry"),
            issued_on=stated_day(item.get("issueDate")) or item.get("issueDate"),
            expires_on=stated_day(item.get("expirationDate")) or item.get("expirationDate"),
        )  # fmt: skip
    if "type_of_document" in item or "date_of_issue" in item:  # UN
        kinds = _first(item, ("type_of_document", "type_of_document2"))
        return IdentityDocument(
            kind=kinds, number=item.get("number"),
            country=item.get("issuing_country") or item.get("country_of_issue"),
            issued_on=item.get("date_of_issue"), issued_by=item.get("city_of_issue"),
            note=item.get("note"),
        )  # fmt: skip
    notes = [item.get("comments"), "not valid" if item.get("valid") == "false" else None]
    return IdentityDocument(  # the enhanced XML, and the EU's (number and country only)
        kind=item.get("type"), number=item.get("number"), country=item.get("country"),
        issued_on=item.get("issued_on"), expires_on=item.get("expires_on"),
        issued_by=item.get("authority"), note="; ".join(filter(None, notes)) or None,
    )  # fmt: skip


def _documents(content: Mapping[str, Any], remarks: RemarkFacts | None) -> list[IdentityDocument]:
    items = [*_list(content.get("ids")), *_list(content.get("documents"))]
    items += _list(content.get("identity_documents"))
    found = [document for item in items if (document := _document(item)) is not None]
    found += [
        IdentityDocument("passport", None, note=text) for text in _texts(content.get("passports"))
    ]
    found += [
        IdentityDocument("national insurance number", None, note=text)
        for text in _texts(content.get("ni_numbers"))
    ]
    if "schema" in content:  # FtM's properties
        found += [
            IdentityDocument(kind, number)
            for prop, kind in FTM_DOCUMENTS.items()
            for number in _texts(content.get(prop))
        ]
    return found + (remarks.documents if remarks else [])


def _vessel(content: Mapping[str, Any], remarks: RemarkFacts | None) -> VesselParticulars | None:
    stated = dict(content["vessel"]) if isinstance(content.get("vessel"), dict) else {}
    if content.get("schema") == "Vessel":
        stated.update({prop: "; ".join(_texts(content.get(prop))) for prop in FTM_VESSEL})
    if remarks is not None:
        extra = {"imo": remarks.imo, "mmsi": remarks.mmsi, "year_of_build": remarks.year_built}
        stated.update({key: value for key, value in extra.items() if value})
    if not stated:
        return None
    parts = {part: _first(stated, names) for part, names in VESSEL_PARTS.items()}
    return VesselParticulars(**parts) if any(parts.values()) else None


def _other(content: Mapping[str, Any], used: set[str]) -> list[ListedFact]:
    """Every stated key no field above took, under the list's own label (and the OFAC
    `idList` items that are no document, under their type)."""
    not_documents: dict[str, list[str]] = {}
    for item in _list(content.get("ids")):
        if isinstance(item, dict) and item.get("idType") in NOT_DOCUMENTS:
            not_documents.setdefault(item["idType"], []).append(str(item.get("idNumber", "")))
    facts = [ListedFact(label, tuple(values)) for label, values in not_documents.items()]
    for key, value in content.items():
        if key in used or key in ENTRY_KEYS:
            continue
        if key == "features" and isinstance(value, dict):
            facts += [ListedFact(kind, tuple(_texts(v))) for kind, v in value.items()]
        elif texts := _texts(value):
            facts.append(ListedFact(key, tuple(texts)))
    return facts


# Keys read into a field of their own, from every list's shape.
SINGLE: dict[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "titles": lambda c: [*_texts(c.get("title")), *_texts(c.get("titles"))],
    "positions": lambda c: [
        *_texts(c.get("positions")),
        *_texts(c.get("functions")),
        *_texts(c.get("position")),
    ],
    "nationalities": lambda c: [*_countries(c.get("nationalities")), *_texts(c.get("nationality"))],
    "citizenships": lambda c: [*_countries(c.get("citizenships")), *_texts(c.get("citizenship"))],
    "remarks": lambda c: [
        *_texts(c.get("remarks")),
        *_texts(c.get("other_information")),
        *_texts(c.get("description")),
    ],
}
USED = {
    "title", "titles", "positions", "functions", "position", "nationalities", "nationality",
    "citizenships", "citizenship", "remarks", "other_information", "description", "gender",
    "births", "dates_of_birth", "birthDate", "places_of_birth", "birthPlace", "birthCountry",
    "towns_of_birth", "countries_of_birth", "addresses", "address", "ids", "documents",
    "identity_documents", "passports", "ni_numbers", "vessel", *FTM_DOCUMENTS,
}  # fmt: skip


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def _remarks(content: Mapping[str, Any]) -> RemarkFacts | None:
    remark_text = content.get("remarks")
    # Only OFAC's legacy entries (one remarks text, no structured births) state facts there.
    return (
        ofac_remarks(remark_text)
        if isinstance(remark_text, str) and "dates_of_birth" not in content
        and "lists" not in content and "list_type" not in content
        else None
    )  # fmt: skip


def _genders(content: Mapping[str, Any], remarks: RemarkFacts | None) -> str | None:
    genders = _texts(content.get("gender")) or (
        [remarks.gender] if remarks and remarks.gender else []
    )
    return "; ".join(_unique(genders)) or None


def weighed_details(content: Mapping[str, Any]) -> ListedDetails:
    """Only what a screening weighs beside the name: gender, births, documents and vessel
    numbers (an import reads them of every entry it writes, so nothing else is read)."""
    remarks = _remarks(content)
    return ListedDetails(
        gender=_genders(content, remarks),
        births=_unique(_births(content, remarks)),
        documents=_unique(_documents(content, remarks)),
        vessel=_vessel(content, remarks),
    )


def listed_details(content: Mapping[str, Any]) -> ListedDetails:
    """An entry's stored content (any list's shape) as typed details."""
    remarks = _remarks(content)
    used = set(USED)
    if content.get("schema") == "Vessel":
        used |= FTM_VESSEL
    texts = {name: list(read(content)) for name, read in SINGLE.items()}
    if remarks is not None:
        texts["nationalities"] += remarks.nationalities
        texts["citizenships"] += remarks.citizenships
    addresses = [*_list(content.get("addresses")), *_list(content.get("address"))]
    return ListedDetails(
        gender=_genders(content, remarks),
        titles=_unique(texts["titles"]),
        positions=_unique(texts["positions"]),
        births=_unique(_births(content, remarks)),
        nationalities=_unique(texts["nationalities"]),
        citizenships=_unique(texts["citizenships"]),
        addresses=_unique(map(_address, addresses)),
        documents=_unique(_documents(content, remarks)),
        vessel=_vessel(content, remarks),
        remarks=_unique(texts["remarks"]),
        other=tuple(_other(content, used)),
    )
