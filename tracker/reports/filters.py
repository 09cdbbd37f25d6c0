"""The filters every report takes: which authority, list, program, country, kind of entity."""

from dataclasses import asdict, dataclass
from typing import Any

from tracker.enums import EntityKind


@dataclass(frozen=True)
class ReportFilters:
    authority: str | None = None
    list_code: str | None = None
    program: str | None = None
    country: str | None = None
    kind: EntityKind | None = None

    def given(self) -> dict[str, Any]:
        """The filters in use, as the JSON `filters` field shows them."""
        return {name: value for name, value in asdict(self).items() if value is not None}
