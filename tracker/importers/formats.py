"""Every list format tracker reads, behind one interface, and the one place that tells them
apart by content: `read_edition(path, format=None, ...)` detects the format when none is given.
"""

from collections.abc import Callable
from pathlib import Path

from tracker.errors import InvalidInput
from tracker.importers import eu_csv, files, ftm, ofac, uk_csv, un_xml
from tracker.importers.records import Edition

Reader = Callable[..., Edition]  # (path, *, list_code, published_on) -> Edition
READERS: dict[str, Reader] = {
    "ofac": ofac.read,
    "un": un_xml.read,
    "uk": uk_csv.read,
    "eu": eu_csv.read,
    "ftm": ftm.read,
}
FORMATS = tuple(READERS)


def detect(path: Path) -> str:
    """The format of a list file, from its first bytes."""
    head = files.head(path)
    if head.startswith(b"{"):
        return "ftm"
    if head.startswith(b"<"):
        return "un" if b"CONSOLIDATED_LIST" in head else "ofac"
    text = head.decode("cp1252", errors="replace").lstrip('\ufeff"')
    if text.startswith("Last Updated"):
        return "uk"
    if text.startswith("Date_file"):
        return "eu"
    if text[:1].isdigit():
        return "ofac"  # the legacy CSV: an entry number first
    raise InvalidInput(
        f"{path}: not a list format tracker knows ({', '.join(FORMATS)}): give the format"
    )


def read_edition(
    path: Path,
    *,
    format: str | None = None,
    list_code: str | None = None,
    published_on: str | None = None,
) -> Edition:
    """Parse a list file (streaming) into an edition; `format` None detects it."""
    chosen = format or detect(path)
    reader = READERS.get(chosen)
    if reader is None:
        raise InvalidInput(f"unknown list format {chosen!r}: expected one of {', '.join(FORMATS)}")
    return reader(path, list_code=list_code, published_on=published_on)
