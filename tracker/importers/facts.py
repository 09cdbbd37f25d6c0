"""The facts of a list entry a screening weighs beside the name (`match_fact`): its numbers,
dates of birth and gender, read from what the list says of it (a party's `details`, or an
entry's stored content: the same keys) by `tracker.reports.listed`, as the entity page
shows them."""

from collections.abc import Mapping
from typing import Any

from tracker.enums import FactKind
from tracker.matching.facts import APPROXIMATE, SHORTEST_NUMBER, gender_of, normalized_number
from tracker.models import IDENTIFIER_VALUE_LENGTH
from tracker.records import ListedDetails
from tracker.reports.listed import weighed_details

Fact = tuple[FactKind, str, str]  # (kind, as the list states it, as compared)


def entry_facts(details: Mapping[str, Any]) -> frozenset[Fact]:
    """Every number (at least `SHORTEST_NUMBER` characters), date of birth and gender."""
    return listed_facts(weighed_details(details))


def listed_facts(listed: ListedDetails) -> frozenset[Fact]:
    facts: set[Fact] = set()
    numbers = [(document.kind or "number", document.number or _first_word(document.note))
               for document in listed.documents]  # fmt: skip
    if listed.vessel is not None:
        numbers += [("IMO", listed.vessel.imo), ("MMSI", listed.vessel.mmsi)]
    for label, number in numbers:
        compared = normalized_number(number or "")
        if len(compared) >= SHORTEST_NUMBER:
            stated = f"{label} {number}"[:IDENTIFIER_VALUE_LENGTH]
            facts.add((FactKind.DOCUMENT, stated, compared[:IDENTIFIER_VALUE_LENGTH]))
    for birth in listed.births:
        if birth.date:
            compared = f"{APPROXIMATE}{birth.date}" if birth.approximate else birth.date
            facts.add((FactKind.BIRTH, birth.date, compared))
    for text in (listed.gender or "").split(";"):
        if (gender := gender_of(text)) is not None:
            facts.add((FactKind.GENDER, text.strip(), gender))
    return frozenset(facts)


def _first_word(note: str | None) -> str | None:
    """The number a note starts with ("E00007730. Issued 2004"), if it holds a digit."""
    word = (note or "").split(maxsplit=1)[0].rstrip(".,;") if (note or "").strip() else ""
    return word if any(char.isdigit() for char in word) else None
