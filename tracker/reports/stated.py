"""Dates and the facts OFAC's legacy files state in words, read without guessing.

A list writes a date of birth as "13 Dec 1963", "17/08/1957", "circa 1954", "1960 to 1962" or
ISO; `stated_birth` gives it as ISO text with exactly the precision given (never a day the
list did not give), the words kept when they cannot be read. OFAC's legacy CSV states births,
nationalities, gender and identity documents only inside its remarks ("DOB 13 Dec 1963; POB
El Aguila, Colombia; nationality Colombia; Passport AF133955 (Colombia)"): `ofac_remarks`
reads them from there.
"""

import re
from dataclasses import dataclass, field

from tracker.dates import PartialDate
from tracker.errors import TrackerError
from tracker.records import Birth, IdentityDocument

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
ZONED = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?(?:Z|[-+]\d{2}:\d{2})"
)  # the UN's "1960-01-01-05:00"
SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # DD/MM/YYYY; 00 for an unknown part
WORDS = re.compile(r"(?:(\d{1,2}) )?([A-Za-z]{3})[a-z]*\.? (\d{4})")  # "13 Dec 1963", "Dec 1963"
APPROXIMATE = re.compile(r"(?:circa|approximately|approx\.|about|ca\.)\s+(.+)", re.IGNORECASE)
RANGE = re.compile(r"(.+?)\s*(?:\bto\b|/| - )\s*(.+)|(\d{4})-(\d{4})")


def _valid(text: str) -> str | None:
    try:
        PartialDate.parse(text)
    except TrackerError:
        return None
    return text


def stated_day(text: str | None) -> str | None:
    """A date as ISO text with the precision the list gave, or None if it cannot be read."""
    text = (text or "").strip().rstrip(".")
    if ISO.fullmatch(text):
        return _valid(text)
    if match := ZONED.fullmatch(text):
        return _valid(match.group(1))
    if match := SLASHED.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if month == 0:
            return _valid(f"{year:04d}")
        return _valid(f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else ""))
    if (match := WORDS.fullmatch(text)) and match.group(2).lower() in MONTHS:
        day_text, month_name, year_text = match.groups()
        month = MONTHS[month_name.lower()]
        return _valid(f"{year_text}-{month:02d}" + (f"-{int(day_text):02d}" if day_text else ""))
    return None


def stated_birth(text: str | None, *, place: str | None = None) -> Birth:
    """A date of birth as the list writes it: a day, a period, a range ("1960/1962"), or
    approximate; what cannot be read is kept in `note`."""
    text = " ".join((text or "").split())
    approximate = False
    if match := APPROXIMATE.fullmatch(text):
        text, approximate = match.group(1), True
    if (day := stated_day(text)) is not None:
        return Birth(date=day, place=place, approximate=approximate)
    if match := RANGE.fullmatch(text):
        first, second = match.group(1) or match.group(3), match.group(2) or match.group(4)
        start, end = stated_day(first), stated_day(second)
        if start and end:
            return Birth(date=f"{start}/{end}", place=place, approximate=approximate)
    return Birth(place=place, approximate=approximate, note=text or None)


# Identity documents OFAC's remarks name, by the label the remarks use before the number.
DOCUMENT_LABELS = sorted(
    {
        "Passport", "Diplomatic Passport", "Passport Booklet:", "Stateless Person Passport",
        "Travel Document Number", "Refugee ID Card", "National ID No.",
        "National Foreign ID Number", "Personal ID Card", "Identification Number",
        "Identification Card", "Tazkira National ID Card", "Kenyan ID No.",
        "Moroccan Personal ID No.", "Bosnian Personal ID No.", "Turkish Identification Number",
        "Numero de Identidad", "Citizen's Card Number", "Cedula No.", "D.N.I.", "SSN",
        "Birth Certificate Number", "Residency Number", "Residency Permit", "Immigration No.",
        "VisaNumberID", "Driver's License No.", "Electoral Registry No.", "Credencial electoral",
        "I.F.E.", "Cartilla de Servicio Militar Nacional", "C.U.R.P.", "C.U.R.P. #", "C.U.I.P.",
        "R.F.C.", "R.F.C. #", "RFC", "Tax ID No.", "NIT #", "RUC #", "RIF #", "RTN", "C.U.I.",
        "C.U.I.T.", "C.I.F.", "US FEIN", "V.A.T. Number", "Italian Fiscal Code", "Fiscal Code",
        "Seafarer's Identification Document", "Registration Number", "Registration ID",
        "Public Registration Number", "Business Registration Number",
        "Business Registration Document #", "Business Number", "Commercial Registry Number",
        "Company Number", "UK Company Number", "Enterprise Number", "Branch Unit Number",
        "Certificate of Incorporation Number", "Chamber of Commerce Number",
        "Dubai Chamber of Commerce Membership No.", "Central Registration System Number",
        "Government Gazette Number", "Folio Mercantil No.", "Matricula Mercantil No",
        "Trade License No.", "Legal Entity Number", "LE Number", "D-U-N-S Number",
        "Unified Social Credit Code (USCC)", "United Social Credit Code Certificate (USCCC)",
        "Registered Charity No.", "C.R. No.", "File Number",
    },
    key=len,
    reverse=True,
)  # fmt: skip
# The longest label first, so "R.F.C. # 123" is read as an "R.F.C. #", not an "R.F.C.".
DOCUMENT_LABEL = re.compile("(" + "|".join(map(re.escape, DOCUMENT_LABELS)) + ") ")
DOCUMENT = re.compile(
    r"(?P<number>.+?)(?: \((?P<country>[^()]+)\))?"
    r"(?: issued (?P<issued>.+?))?(?: expires (?P<expires>.+?))?"
)
TAGGED = {"DOB", "POB", "nationality", "citizen", "Gender"}


@dataclass
class RemarkFacts:
    """What the remarks of one OFAC legacy entry state, in the order they state it."""

    births: list[Birth] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    gender: str | None = None
    documents: list[IdentityDocument] = field(default_factory=list)
    imo: str | None = None
    mmsi: str | None = None
    year_built: str | None = None


def _document(label: str, rest: str) -> IdentityDocument:
    match = DOCUMENT.fullmatch(rest)
    assert match is not None  # the pattern matches any text
    issued, expires = match.group("issued"), match.group("expires")
    # A date that cannot be read exactly stays in the list's words.
    notes = [
        f"{word} {text}"
        for word, text in (("issued", issued), ("expires", expires))
        if text and not stated_day(text)
    ]
    return IdentityDocument(
        kind=label.rstrip(":"),
        number=match.group("number"),
        country=match.group("country"),
        issued_on=stated_day(issued),
        expires_on=stated_day(expires),
        note="; ".join(notes) or None,
    )


def ofac_remarks(remarks: str) -> RemarkFacts:
    """The births, nationalities, gender, documents and vessel numbers OFAC's legacy
    remarks state; anything else in them is left to the remarks themselves."""
    facts = RemarkFacts()
    for part in remarks.split(";"):
        text = part.strip().rstrip(".").strip()
        text = text.removeprefix("alt. ").strip()
        tag, _, rest = text.partition(" ")
        rest = rest.strip()
        if tag in TAGGED and rest:
            if tag == "DOB":
                facts.births.append(stated_birth(rest))
            elif tag == "POB":
                facts.places.append(rest)
            elif tag == "nationality":
                facts.nationalities.append(rest)
            elif tag == "citizen":
                facts.citizenships.append(rest)
            else:
                facts.gender = rest
        elif text.startswith("Vessel Registration Identification IMO "):
            facts.imo = text.rsplit(" ", 1)[1]
        elif tag == "MMSI" and rest:
            facts.mmsi = rest
        elif text.startswith("Vessel Year of Build "):
            facts.year_built = text.rsplit(" ", 1)[1]
        else:
            if match := DOCUMENT_LABEL.match(text):
                label = match.group(1)
                facts.documents.append(_document(label, text[len(label) + 1 :].strip()))
    return facts
