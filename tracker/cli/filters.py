"""The filter and date options every report and listing takes, declared once, and the
rule for options renamed to the one vocabulary (the old spelling works, hidden, for one
release, with a note)."""

from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.context import note
from tracker.dates import as_of_day, until_day
from tracker.enums import EntityKind
from tracker.errors import InvalidValue, TrackerError

if TYPE_CHECKING:
    from tracker.records import Filters

AuthorityFilter = Annotated[str | None, typer.Option("--authority", help="Only this authority.")]
ListFilter = Annotated[str | None, typer.Option("--list", help="Only this list, e.g. FTO.")]
ProgramFilter = Annotated[str | None, typer.Option(help="Only this program, e.g. SDGT.")]
CountryFilter = Annotated[
    str | None, typer.Option(help="Only entities of this country (a code or a name).")
]
KindFilter = Annotated[EntityKind | None, typer.Option(help="Only entities of this kind.")]


def filters(
    authority: str | None = None,
    list_code: str | None = None,
    program: str | None = None,
    country: str | None = None,
    kind: EntityKind | None = None,
) -> "Filters":
    from tracker.records import Filters

    return Filters(authority, list_code, program, country, kind.value if kind else None)


def day_option(text: str | None, option: str, *, last: bool = False) -> str | None:
    """The full day a date option names (a partial date's first day; its last with `last`,
    for the end of a window), checked here so that an error names the option the user typed
    (`--as-of`), not the API's parameter."""
    if text is None:
        return None
    try:
        return until_day(text) if last else as_of_day(text)
    except TrackerError as error:
        raise InvalidValue(f"{option}: {error}") from error


def renamed(value: str | None, old_value: str | None, *, new: str, old: str) -> str | None:
    """The value of option `new`, or of its old spelling `old` with a note to switch."""
    if old_value is None:
        return value
    if value is not None:
        raise InvalidValue(f"give {new} only ({old} is its old name)")
    note(f"{old} is now {new}; the old name goes in the next release")
    return old_value
