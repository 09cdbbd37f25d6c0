"""The data an import passes along: what parsers yield (listed parties in an edition), which
list is written, what the database already knows of an entry, and what the import reports."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tracker.enums import AliasKind, EntityKind


@dataclass(frozen=True)
class ListedAlias:
    name: str
    kind: AliasKind = AliasKind.AKA


@dataclass(frozen=True)
class ListedParty:
    """One entry of an official list, keyed by the list's own identifier."""

    identifier: str  # e.g. the OFAC uid / ent_num
    name: str
    kind: EntityKind
    programs: tuple[str, ...]
    aliases: tuple[ListedAlias, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    line: int | None = None  # where the entry starts, for error messages

    def comparable(self) -> dict[str, Any]:
        """The fields an edition can change, as JSON-ready values for before / after (the
        details flattened in, so a change names exactly the part that changed)."""
        return {
            **self.details,
            "name": self.name,
            "kind": self.kind.value,
            "programs": sorted(set(self.programs)),
            "aliases": sorted(f"{a.name} [{a.kind.value}]" for a in set(self.aliases)),
        }


@dataclass
class Edition:
    """A parsed list file: its header facts and a stream of its entries."""

    format: str
    list_code: str
    published_on: str | None
    declared_count: int | None  # the file's own record count, when it states one
    parties: Iterator[ListedParty]


@dataclass(frozen=True)
class ListSpec:
    """Which list an importer writes: who keeps it and how its entries are identified."""

    authority: str  # e.g. us-ofac
    scheme: str  # identifier scheme, e.g. ofac-uid
    key_prefix: str  # new entities get the key f"{key_prefix}-{identifier}"


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
    designations: dict[str, int]  # program -> active designation id


Progress = Callable[[int], None]


def list_slot(spec: ListSpec, list_code: str) -> str:
    """Where an entity's details keep what this list said: "us-ofac/SDN"."""
    return f"{spec.authority}/{list_code}"
