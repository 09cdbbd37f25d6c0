"""The data an import passes along: what parsers yield (listed parties in an edition), which
list is written, what the database already knows of an entry, and what the import reports."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tracker.enums import AliasKind, EntityKind, SanctionMeasure
from tracker.validation import KEY_PATTERN, slugify

# What identifies one listing of an entry across editions: (authority key, program, measure,
# start); the measure is "" for a designation and names the measure for a sanction; the start
# is "" but for lists keyed by start (FtM), where a re-listing after an end is another listing.
ListingKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class ListedAlias:
    name: str
    kind: AliasKind = AliasKind.AKA


@dataclass(frozen=True)
class Listing:
    """One listing of an entry: a designation under a program (or, with a measure, a
    sanction), with what the list says of its dates. Most lists say only the program."""

    program: str
    listed_on: str | None = None  # the list's own listing date; else the edition's date
    ended_on: str | None = None
    authority: str | None = None  # when not the list's own authority (FtM sanctions)
    measure: SanctionMeasure | None = None
    status: str | None = None
    legal_basis: str | None = None
    reason: str | None = None

    def key(self, spec: "ListSpec") -> ListingKey:
        measure = self.measure.value if self.measure else ""
        start = (self.listed_on or "") if spec.keyed_by_start else ""
        return (self.authority or spec.authority, self.program, measure, start)

    @classmethod
    def from_dict(cls, item: dict[str, str]) -> "Listing":
        """Back from `as_dict` (what an entity's details keep of the previous edition)."""
        measure = item.get("measure")
        return cls(**{**item, "measure": SanctionMeasure(measure) if measure else None})

    def is_plain(self) -> bool:
        """Only a program: what OFAC's lists say (kept in the old, shorter comparable form)."""
        return self == Listing(self.program)

    def as_dict(self) -> dict[str, str]:
        return {name: str(value) for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class ListedParty:
    """One entry of an official list, keyed by the list's own identifier."""

    identifier: str  # e.g. the OFAC uid / ent_num
    name: str
    kind: EntityKind
    listings: tuple[Listing, ...]
    aliases: tuple[ListedAlias, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    # Identifiers of other lists the entry names (a UK row's "UN Ref QDi.430"): an entity that
    # already holds one is the same real-world target, so the entry joins it.
    cross_references: tuple[tuple[str, str], ...] = ()
    country: str | None = None
    description: str | None = None
    line: int | None = None  # where the entry starts, for error messages

    @cached_property
    def comparable(self) -> dict[str, Any]:
        """The fields an edition can change, as JSON-ready values for before / after (the
        details flattened in, so a change names exactly the part that changed). Built once:
        the storability check and the writer both read it."""
        listed = {
            **self.details,
            "name": self.name,
            "kind": self.kind.value,
            "programs": sorted({listing.program for listing in self.listings}),
            "aliases": sorted(f"{a.name} [{a.kind.value}]" for a in set(self.aliases)),
        }
        if self.country:
            listed["country"] = self.country
        if self.description:
            listed["description"] = self.description
        if not all(listing.is_plain() for listing in self.listings):
            listed["listings"] = sorted(
                (listing.as_dict() for listing in set(self.listings)),
                key=lambda item: sorted(item.items()),
            )
        return listed


@dataclass
class Edition:
    """A parsed list file: its header facts and a stream of its entries."""

    format: str
    list_code: str
    published_on: str | None
    declared_count: int | None  # the file's own record count, when it states one
    parties: Iterator[ListedParty]
    # key -> (name, jurisdiction) of other authorities the file names as it is read (FtM).
    authorities: dict[str, tuple[str, str]] = field(default_factory=dict)
    # A delta (FtM's ADD / MOD / DEL) says only what changed: entries it does not mention stay
    # as they are, and those it withdraws (filled in as it is read) leave the list.
    complete: bool = True
    withdrawn: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ListSpec:
    """Which list an importer writes: who keeps it and how its entries are identified."""

    authority: str  # e.g. us-ofac
    scheme: str  # identifier scheme, e.g. ofac-uid
    key_prefix: str  # new entities get the key f"{key_prefix}-{identifier}", made a valid key
    # FtM ids written by `tracker export ftm` are our keys: keep them, so a round trip keeps
    # every entity's key.
    identifier_may_be_key: bool = False
    # The list names the authority of each listing (FtM sanctions): its listings in force are
    # this list's whoever keeps them.
    names_authorities: bool = False
    # Each listing carries its own start, and one authority may list an entry again after an
    # end (FtM): the start is part of a listing's identity, and a listing without one has none.
    keyed_by_start: bool = False

    def entity_key(self, identifier: str) -> str:
        if self.identifier_may_be_key and KEY_PATTERN.match(identifier):
            return identifier
        return slugify(f"{self.key_prefix}-{identifier}")


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    force: bool = False
    allow_mass_delisting: bool = False


@dataclass
class ImportSummary:
    file_name: str
    format: str
    list_code: str
    published_on: str | None
    sha256: str
    run_id: int | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    cosmetic: int = 0  # of the changed: only whitespace, punctuation or case in remarks/addresses
    dry_run: bool = False
    already_imported: bool = False
    changed_fields: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(slots=True)
class KnownEntry:
    """What the database holds for one listed entry."""

    entity_id: int
    digest: bytes | None  # of what the previous edition said (the full text stays on disk)
    designations: dict[ListingKey, int]  # -> active designation (or, with a measure, sanction) id
    bare: bool = False  # the list carries the entry without any listing (most FtM entities)

    @property
    def on_list(self) -> bool:
        return self.digest is not None and (bool(self.designations) or self.bare)


Progress = Callable[[int], None]


def list_slot(spec: ListSpec, list_code: str) -> str:
    """Where an entity's details keep what this list said: "us-ofac/SDN"."""
    return f"{spec.authority}/{list_code}"
