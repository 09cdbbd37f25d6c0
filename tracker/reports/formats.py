"""The output formats and how one is chosen: asked for, else implied by the output file's
suffix. Apart from the renderers (`tracker.reports.render`) so that the command line can
declare its `--format` options without loading them."""

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from tracker.errors import InvalidValue


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


Format = TypeVar("Format")

SUFFIX_FORMATS = {
    ".json": OutputFormat.JSON,
    ".csv": OutputFormat.CSV,
    ".md": OutputFormat.MARKDOWN,
    ".markdown": OutputFormat.MARKDOWN,
    ".html": OutputFormat.HTML,
    ".htm": OutputFormat.HTML,
    ".txt": OutputFormat.TABLE,
}


def format_for(output: Path | None, requested: OutputFormat | None) -> OutputFormat:
    """The format asked for, else the one the output file's suffix implies, else a table.
    A suffix that names no format is an error rather than a file of the wrong kind."""
    if requested is not None:
        return requested
    if output is None:
        return OutputFormat.TABLE
    return implied_by_suffix(output, SUFFIX_FORMATS)


def implied_by_suffix(output: Path, suffixes: Mapping[str, Format]) -> Format:
    """The format `output`'s suffix names; any other suffix is an error naming those known."""
    if (implied := suffixes.get(output.suffix.lower())) is None:
        known = " ".join(suffixes)
        raise InvalidValue(
            f"--output {output.name}: unknown suffix {output.suffix or '(none)'!r}:"
            f" use one of {known}, or give --format"
        )
    return implied
