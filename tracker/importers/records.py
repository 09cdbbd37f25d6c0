"""What every list parser yields: one listed party, normalised, and the edition it came from."""

from collections.abc import Iterator
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
