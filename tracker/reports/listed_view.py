"""What each imported list says of a party, as one section per list entry of `entity show`
(the fields that list states, and the edition that says them)."""

import re
from typing import Any

from tracker.records import Address, Birth, IdentityDocument, ListEntryRecord
from tracker.reports.render import Section, columns
from tracker.reports.text import seen_text, source_label


def section_key(text: str) -> str:
    """A name `--section` takes and a CSV file can carry: "says-us-ofac-sdn-15038"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def birth_text(birth: Birth) -> str:
    """'1963-12-13 in El Aguila, Colombia', 'circa 1954', 'in Baghdad, Iraq'."""
    where = ", ".join(part for part in (birth.place, birth.country) if part)
    date = f"circa {birth.date}" if birth.approximate and birth.date else birth.date
    text = " in ".join(part for part in (date, where) if part)
    if not birth.date and where:
        text = f"in {where}"
    if birth.note:
        text = f"{text} ({birth.note})" if text else birth.note
    return text


def address_text(address: Address) -> str:
    parts = (address.text, address.street, address.city, address.region, address.postal_code,
             address.country)  # fmt: skip
    text = ", ".join(part for part in parts if part)
    return f"{text} ({address.note})" if address.note and text else text or address.note or ""


def document_text(document: IdentityDocument) -> str:
    """'Passport AF133955 (Colombia), issued 2010-01-01 by Bogota, expires 2020-01-01'."""
    text = " ".join(part for part in (document.kind, document.number) if part)
    if document.country:
        text += f" ({document.country})"
    if document.issued_on:
        text += f", issued {document.issued_on}"
    if document.issued_by:
        text += f"{',' if not document.issued_on else ''} by {document.issued_by}"
    if document.expires_on:
        text += f", expires {document.expires_on}"
    if document.note:
        text += f": {document.note}" if text else document.note
    return text


def says_section(entry: ListEntryRecord) -> Section:
    """One block per list entry: what that list says of the party, field by field (only
    the fields it states), and which edition says it."""
    details = entry.details
    vessel = (
        {k.replace("_", " "): v for k, v in vars(details.vessel).items() if v}
        if details.vessel
        else None
    )
    fields: list[tuple[str, str, Any]] = [
        ("name", "name", entry.name),
        ("programs", "programs", list(entry.programs)),
        ("gender", "gender", details.gender),
        ("titles", "titles", list(details.titles)),
        ("positions", "positions", list(details.positions)),
        ("births", "born", [birth_text(birth) for birth in details.births]),
        ("nationalities", "nationality", list(details.nationalities)),
        ("citizenships", "citizenship", list(details.citizenships)),
        ("addresses", "addresses", [address_text(address) for address in details.addresses]),
        ("documents", "documents", [document_text(doc) for doc in details.documents]),
        ("vessel", "vessel", vessel),
        ("remarks", "remarks", list(details.remarks)),
        *((f"other:{fact.label}", fact.label, list(fact.values)) for fact in details.other),
        ("seen", "seen", seen_text(entry.observed)),
        ("said_by", "said by", source_label(entry.last_source) if entry.last_source else None),
    ]
    stated = [(key, header, value) for key, header, value in fields if value]
    return Section(
        section_key(f"says-{entry.list}-{entry.identifier}"),
        f"What the lists say: {entry.list} {entry.identifier}",
        columns(*((key, header) for key, header, _ in stated)),
        [{key: value for key, _, value in stated}],
        single=True,
    )
