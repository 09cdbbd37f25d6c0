"""The filter and date options every report and listing takes, declared once."""

from typing import Annotated

import typer

from tracker.dates import as_of_day, until_day
from tracker.enums import EntityKind
from tracker.errors import InvalidValue, TrackerError
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
) -> Filters:
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
