"""What a screening weighs beside the name: the date of birth, country, gender, kind and
identifiers a query gives, against what the lists state of a party.

An identifier equal to one the lists give the party (a passport, an IMO number, a tax or
registration number, a list's own reference) is decisive: the party is a match whatever its
names, score 1. Anything else only ever lowers a name's score, by the amounts below, and only
when the query contradicts every value the lists state; a fact the lists do not state for the
party neither helps nor hurts. Every check made, agreeing or not, is named in the hit's `why`.
The amounts follow the field's practice (yente's logic-v1 qualifiers, watchman's coverage
penalties): strong enough to sink a weak name match below the default threshold, never alone
to hide a close one.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from tracker.enums import EntityKind

BIRTH_YEAR_CONTRADICTS = 0.15  # no listed date of birth is in the given year
BIRTH_DAY_CONTRADICTS = 0.10  # the same year, but another month or day
COUNTRY_CONTRADICTS = 0.10  # none of the party's countries
GENDER_CONTRADICTS = 0.20
KIND_CONTRADICTS = 0.20  # a person against a vessel or an organisation, say
SHORTEST_NUMBER = 5  # characters, once normalised: shorter ones match by chance
APPROXIMATE = "~"  # before a listed date of birth the list calls approximate ("circa 1960")

GENDERS = {"m": "male", "male": "male", "man": "male", "f": "female", "female": "female",
           "woman": "female"}  # fmt: skip
# Kinds that cannot be the same party; organisations, companies, governments and states may
# be listed as one another, and "other" contradicts nothing.
KIND_GROUPS = {
    EntityKind.PERSON: "person", EntityKind.VESSEL: "vessel", EntityKind.AIRCRAFT: "aircraft",
    EntityKind.ORGANIZATION: "body", EntityKind.COMPANY: "body", EntityKind.GOVERNMENT: "body",
    EntityKind.STATE: "body",
}  # fmt: skip
SCHEME = re.compile(r"(?P<scheme>[a-z][a-z0-9_.-]{0,31}):(?P<value>.+)", re.IGNORECASE)
NOT_NUMBER = re.compile(r"[^0-9A-Z]")


def normalized_number(text: str) -> str:
    """An identifier as compared: upper case, letters and digits only ("AB-12 345" and
    "ab12345" are one number)."""
    return NOT_NUMBER.sub("", text.upper())


def gender_of(text: str) -> str | None:
    """ "male" or "female" for the ways people and lists write them; None for anything else."""
    return GENDERS.get(text.strip().casefold())


@dataclass(frozen=True)
class QueryFacts:
    """What the query gives besides the name (each optional); the date as ISO text (full or
    partial), the country as an ISO code, gender "male" or "female"."""

    birth_date: str | None = None
    country: str | None = None
    gender: str | None = None
    kind: str | None = None
    identifiers: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.birth_date, self.country, self.gender, self.kind, self.identifiers))


@dataclass(frozen=True)
class PartyFacts:
    """What the lists state of one party: its kind, dates of birth (ISO, partial, or a range
    "1960/1962"; `APPROXIMATE` first when approximate), countries, genders, and identifiers
    (normalised number -> how the list names it, "Passport 1084010")."""

    kind: str
    births: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()
    genders: frozenset[str] = frozenset()
    numbers: Mapping[str, str] | None = None
    references: frozenset[str] = frozenset()  # "scheme:value", case-folded


class Check(NamedTuple):
    """One fact compared: what the query gave ("born 1970"), what the lists state, and what
    the score loses for it (0: it agrees)."""

    given: str
    listed: str
    cost: float = 0.0

    def text(self, verb: str = "", *, charged: bool = True) -> str:
        """ "born 1970 (listed 1962-11-23): -0.15"; with a verb, "born 1970 contradicts
        (listed 1962-11-23): -0.15"; the cost left out where it is not `charged`."""
        listed = f" (listed {self.listed})" if self.listed else ""
        cost = f": -{self.cost:.2f}" if self.cost and charged else ""
        return f"{self.given}{f' {verb}' if verb else ''}{listed}{cost}"


@dataclass(frozen=True)
class Weighing:
    """The outcome of the checks: the identifier that decides (if any), and every check. A
    decisive identifier's hit loses nothing: its contradictions are named, not charged."""

    decisive: Check | None = None
    checks: tuple[Check, ...] = ()

    @property
    def penalty(self) -> float:
        return 0.0 if self.decisive else round(sum(check.cost for check in self.checks), 4)

    @property
    def agrees(self) -> tuple[str, ...]:
        first = (self.decisive.text(),) if self.decisive else ()
        return first + tuple(check.text() for check in self.checks if not check.cost)

    @property
    def contradicts(self) -> tuple[str, ...]:
        charged = self.decisive is None
        return tuple(check.text(charged=charged) for check in self.checks if check.cost)

    def why(self, name_why: str) -> str:
        """The hit's `why`: the decisive identifier first, the name's, then each check:
        "same words in another order; born 1962 agrees (listed 1962-11-23); country US
        contradicts (listed VE): -0.10"."""
        parts = [name_why] if name_why else []
        if self.decisive is not None:
            parts = [self.decisive.text("agrees"), *(f"name: {part}" for part in parts)]
        charged = self.decisive is None
        parts += [check.text("contradicts" if check.cost else "agrees", charged=charged)
                  for check in self.checks]  # fmt: skip
        return "; ".join(parts)


def split_reference(text: str) -> tuple[str, str] | None:
    """("scheme", "value") of "SCHEME:VALUE", the scheme in lower case; None for a bare number."""
    if match := SCHEME.fullmatch(text.strip()):
        return match["scheme"].lower(), match["value"].strip()
    return None


def identifier_keys(text: str) -> tuple[str | None, tuple[str, ...]]:
    """A query's identifier as ("scheme:value" case-folded, or None; the numbers it may be,
    normalised, none shorter than `SHORTEST_NUMBER`): "imo:9187629" is looked up as a list
    reference and as the number 9187629; "IMO 9187629", as a list writes it, as "IMO9187629"
    and as 9187629."""
    reference = split_reference(text)
    value = reference[1] if reference else text.strip()
    words = value.split()
    first = next((i for i, word in enumerate(words) if any(c.isdigit() for c in word)), 0)
    forms = [value, " ".join(words[first:])]  # and without a label ("Cedula No.") before it
    numbers = tuple(dict.fromkeys(normalized_number(form) for form in forms))
    found = tuple(number for number in numbers if len(number) >= SHORTEST_NUMBER)
    return (f"{reference[0]}:{reference[1]}".casefold() if reference else None), found


def weigh(query: QueryFacts, party: PartyFacts) -> Weighing:
    """Every check the query's facts allow against the party's."""
    checks = (
        _birth(query.birth_date, party.births),
        _one_of("country", query.country, party.countries, COUNTRY_CONTRADICTS),
        _one_of("gender", query.gender, party.genders, GENDER_CONTRADICTS),
        _kind(query.kind, party.kind),
    )
    return Weighing(_decisive(query.identifiers, party), tuple(check for check in checks if check))


def _decisive(identifiers: Iterable[str], party: PartyFacts) -> Check | None:
    numbers = party.numbers or {}
    for text in identifiers:
        reference, forms = identifier_keys(text)
        if reference is not None and reference in party.references:
            return Check(f"identifier {text.strip()}", "")
        for number in forms:
            if number in numbers:
                return Check(f"identifier {text.strip()}", numbers[number])
    return None


def _birth(given: str | None, listed: tuple[str, ...]) -> Check | None:
    """Agreement when any listed date agrees; else the mildest contradiction."""
    if given is None or not listed:
        return None
    costs = {date: _birth_cost(given, date) for date in listed}
    best = min(costs, key=costs.__getitem__)
    shown = (best,) if costs[best] == 0 else listed
    return Check(f"born {given}", ", ".join(d.replace(APPROXIMATE, "circa ") for d in shown),
                 costs[best])  # fmt: skip


def _birth_cost(given: str, listed: str) -> float:
    approximate = listed.startswith(APPROXIMATE)
    first, _, last = listed.removeprefix(APPROXIMATE).partition("/")
    last = last or first
    slack = 1 if approximate else 0
    if not int(first[:4]) - slack <= int(given[:4]) <= int(last[:4]) + slack:
        return BIRTH_YEAR_CONTRADICTS
    if approximate or first != last:
        return 0.0  # a range or an approximation says the year, no more
    shared = min(len(given), len(first))
    return 0.0 if given[:shared] == first[:shared] else BIRTH_DAY_CONTRADICTS


def _one_of(what: str, given: str | None, listed: frozenset[str], cost: float) -> Check | None:
    if given is None or not listed:
        return None
    return Check(f"{what} {given}", ", ".join(sorted(listed)), 0.0 if given in listed else cost)


def _kind(given: str | None, listed: str) -> Check | None:
    if given is None:
        return None
    first, second = KIND_GROUPS.get(EntityKind(given)), KIND_GROUPS.get(EntityKind(listed))
    if first is None or second is None:
        return None
    return Check(f"kind {given}", listed, 0.0 if first == second else KIND_CONTRADICTS)
