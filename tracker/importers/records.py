"""The data an import passes along: what parsers yield (an edition of a list and the parties
listed in it), which list it is, and what the import reports."""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from tracker.enums import AliasKind, EntityKind, SanctionMeasure
from tracker.records import ImportSummary
from tracker.validation import KEY_PATTERN, slugify


def content_digest(text: str) -> str:
    """A short fingerprint of what an edition said of an entry (its canonical JSON)."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# What identifies one listing of an entry across editions: (authority key, program, measure,
# start); the measure is "" for a designation and names the measure for a sanction; the start
# is "" but for lists keyed by start (FtM), where a re-listing after an end is another listing.
ListingKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class ListedAlias:
    name: str
    kind: AliasKind = AliasKind.AKA
    script: str | None = None  # the writing system, when the list names one other than Latin

    def label(self) -> str:
        """How the alias appears in an entry's comparable form: 'NAME [aka]'."""
        tags = [self.kind.value] + ([self.script] if self.script else [])
        return f"{self.name} [{', '.join(tags)}]"


@dataclass(frozen=True)
class Listing:
    """One listing of an entry: a designation under a program (or, with a measure, a
    sanction), with the dates the list itself states. Most lists state only the program."""

    program: str
    listed_on: str | None = None  # the list's own listing date (never the edition's)
    ended_on: str | None = None
    authority: str | None = None  # when not the list's own authority (FtM sanctions)
    measure: SanctionMeasure | None = None
    status: str | None = None
    legal_basis: str | None = None
    reason: str | None = None
    # The list's own id of this listing (an FtM Sanction id, an OFAC program membership id):
    # how a delta that names only the listing finds it. Not part of what an edition says.
    record_id: str | None = field(default=None, compare=False)

    def key(self, spec: "ListSpec") -> ListingKey:
        measure = self.measure.value if self.measure else ""
        start = (self.listed_on or "") if spec.keyed_by_start else ""
        return (self.authority or spec.authority, self.program, measure, start)

    @classmethod
    def from_dict(cls, item: dict[str, str]) -> "Listing":
        """Back from `as_dict` (what an entry's stored content keeps of an edition)."""
        measure = item.get("measure")
        return cls(**{**item, "measure": SanctionMeasure(measure) if measure else None})

    def is_plain(self) -> bool:
        """Only a program: what OFAC's legacy lists say (kept in the shorter comparable form)."""
        return self == Listing(self.program)

    def as_dict(self) -> dict[str, str]:
        """The stated fields, as the comparable form keeps them (the record id is not one)."""
        return {
            item.name: str(value)
            for item in fields(self)
            if item.compare and (value := getattr(self, item.name)) is not None
        }


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
    # Relationships the list states to its other entries: (relation, their identifier), e.g.
    # ("Owned or Controlled By", "12345").
    relations: tuple[tuple[str, str], ...] = ()
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
            "aliases": sorted({alias.label() for alias in self.aliases}),
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

    @cached_property
    def comparable_text(self) -> str:
        """The comparable form as canonical JSON: what the digest is taken of."""
        return json.dumps(self.comparable, ensure_ascii=False, sort_keys=True)

    @cached_property
    def digest(self) -> str:
        return content_digest(self.comparable_text)


@dataclass(frozen=True)
class ListSpec:
    """Which list an importer writes: who keeps it, how its entries are identified, and
    where it is officially published."""

    authority: str  # e.g. us-ofac
    scheme: str  # identifier scheme, e.g. ofac-uid
    key_prefix: str  # new entities get the key f"{key_prefix}-{identifier}", made a valid key
    publisher: str  # who publishes the files, as a source names it
    title: str  # the list's name, e.g. "OFAC Specially Designated Nationals List"
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

    def list_key(self, list_code: str) -> str:
        """The list's name across editions: "us-ofac/SDN"."""
        return f"{self.authority}/{list_code}"


@dataclass
class Edition:
    """A parsed list file: its header facts, where it came from, and a stream of entries."""

    format: str
    spec: ListSpec
    list_code: str
    published_on: str | None
    declared_count: int | None  # the file's own record count, when it states one
    files: tuple[Path, ...]  # what was read: the file, and companions read with it
    parties: Iterator[ListedParty] = field(default_factory=lambda: iter(()))
    official_url: str | None = None  # where the publisher serves this list
    document_number: str | None = None  # the edition's own number, where the format has one
    # key -> (name, jurisdiction) of other authorities the file names as it is read (FtM).
    authorities: dict[str, tuple[str, str]] = field(default_factory=dict)
    # A delta (FtM's ADD / MOD / DEL) or a filtered export says only part of the list:
    # entries it does not mention stay as they are, and those it withdraws (filled in as it is
    # read) leave the list.
    complete: bool = True
    withdrawn: list[str] = field(default_factory=list)
    # Listings changed or withdrawn on their own, without their entry (an FtM delta's MOD or
    # DEL of a Sanction): record id -> the listing now (None: withdrawn), and its entries.
    listing_changes: dict[str, tuple[Listing | None, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def list_key(self) -> str:
        return self.spec.list_key(self.list_code)

    @property
    def file_name(self) -> str:
        return self.files[0].name


@dataclass
class ImportTally:
    """What one import does (or, in a dry run, would do), counted as it goes; the import
    returns it frozen, as a `tracker.records.ImportSummary`."""

    file_name: str
    format: str
    list_code: str
    published_on: str | None
    sha256: str
    run_id: int | None = None
    source_id: int | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    cosmetic: int = 0  # of the changed: only whitespace, punctuation or case in remarks/addresses
    dates_learned: int = 0  # listings whose stated dates this edition gave for the first time
    not_held: int = 0  # withdrawals (a delta's DEL) of entries the database never held
    complete: bool = True  # a whole list, not a delta or a filtered export
    backfill: bool = False  # an edition older than the latest imported, filling in history
    dry_run: bool = False
    already_imported: bool = False
    changed_fields: dict[str, int] = field(default_factory=dict)
    # Country texts of new or changed entries that no spelling reads (`tracker.countries`).
    countries_unread: int = 0

    def freeze(self) -> ImportSummary:
        """The summary's fields (a count the summary does not carry yet stays here)."""
        return ImportSummary(**{f.name: getattr(self, f.name) for f in fields(ImportSummary)})


Progress = Callable[[int], None]
