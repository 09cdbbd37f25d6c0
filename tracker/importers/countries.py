"""The countries an entry's list ties it to, with how (nationality, citizenship, address...),
read from what the list says of it: a party's `details`, or an entry's stored content (the same
keys), whatever the format.

Each format keeps them under its own keys: nationalities and citizenships as text (OFAC's
enhanced XML, the UN, the UK) or as records with a `country` (OFAC's legacy XML, the EU);
addresses as records with a `country` (OFAC, the UN, the EU) or as one line of text whose last
part may be the country (the UK); a vessel's flag; FtM's country properties (codes). The legacy
OFAC CSV states nationality and citizenship only in its remarks ("DOB 1961; nationality
Venezuela; citizen Venezuela"), read segment by segment.
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tracker import countries
from tracker.enums import CountryRole
from tracker.services.countries import Tie

LISTED = {"nationalities": CountryRole.NATIONALITY, "citizenships": CountryRole.CITIZENSHIP}
FLAGS = ("flag", "vesselFlag")  # a vessel's flag: OFAC's CSV and enhanced XML, its legacy XML
FEATURES = {"Nationality of Registration": CountryRole.REGISTRATION}  # OFAC's enhanced XML
FTM_PROPERTIES = {
    "nationality": CountryRole.NATIONALITY,
    "citizenship": CountryRole.CITIZENSHIP,
    "jurisdiction": CountryRole.JURISDICTION,
    "flag": CountryRole.FLAG,
    "country": CountryRole.ASSOCIATED,
    "mainCountry": CountryRole.ASSOCIATED,
}
REMARK = re.compile(
    r"(?:alt\.\s+)?(?P<label>nationality of registration|registration country|nationality"
    r"|citizen)(?:\s*:\s*|\s+)(?P<country>.+)",
    re.IGNORECASE,
)
REMARK_ROLES = {
    "nationality of registration": CountryRole.REGISTRATION,
    "registration country": CountryRole.REGISTRATION,
    "nationality": CountryRole.NATIONALITY,
    "citizen": CountryRole.CITIZENSHIP,
}


@dataclass(frozen=True)
class ListedCountries:
    """The ties read, and how many country texts could not be read (never guessed at)."""

    ties: frozenset[Tie]
    unread: int = 0


def listed_countries(details: Mapping[str, Any]) -> ListedCountries:
    """The countries what a list says of an entry names, by role."""
    ties: set[Tie] = set()
    unread = 0
    for role, text, counted in _texts(details):
        reading = countries.read(text)
        ties.update((role, code) for code in reading.codes)
        unread += counted and bool(reading.unread)
    return ListedCountries(frozenset(ties), unread)


def _texts(details: Mapping[str, Any]) -> Iterator[tuple[CountryRole, str, bool]]:
    """(role, text naming a country, whether a text that reads as none counts as unread)."""
    for key, role in LISTED.items():
        for item in _items(details.get(key)):
            text = item.get("country") if isinstance(item, dict) else item
            if isinstance(text, str):
                yield role, text, True
    for address in _items(details.get("addresses")):
        if isinstance(address, dict) and isinstance(address.get("country"), str):
            yield CountryRole.ADDRESS, address["country"], True
        elif isinstance(address, str):  # the UK's one line: its last part, when a country
            yield CountryRole.ADDRESS, address.rsplit(",", 1)[-1], False
    vessel = details.get("vessel")
    if isinstance(vessel, dict):
        for key in FLAGS:
            if isinstance(vessel.get(key), str):
                yield CountryRole.FLAG, vessel[key], True
    features = details.get("features")
    if isinstance(features, dict):
        for kind, role in FEATURES.items():
            for text in _strings(features.get(kind)):
                yield role, text, True
    if isinstance(details.get("remarks"), str):
        for segment in details["remarks"].split(";"):
            if found := REMARK.fullmatch(segment.strip()):
                yield REMARK_ROLES[found["label"].lower()], found["country"], True
    if "schema" in details:  # FollowTheMoney: properties hold codes
        for key, role in FTM_PROPERTIES.items():
            for text in _strings(details.get(key)):
                yield role, text, True


def _items(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else ()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in _items(value) if isinstance(item, str)]
