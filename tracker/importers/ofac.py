"""OFAC's lists in any of their formats: the enhanced XML, the legacy `sdnList` XML and the
legacy CSV family, told apart by their content."""

from pathlib import Path

from tracker.errors import InvalidInput
from tracker.importers import files, ofac_csv, ofac_enhanced, ofac_xml
from tracker.importers.records import Edition


def default_list_code(path: Path) -> str:
    """SDN, or CONS for the consolidated (non-SDN) list's files."""
    return "CONS" if "cons" in path.name.lower() else "SDN"


def read(path: Path, *, list_code: str | None = None, published_on: str | None = None) -> Edition:
    """An edition of an OFAC list; `published_on` is needed by the CSV (which carries no
    date) and must agree with the date an XML file states."""
    code = list_code or default_list_code(path)
    head = files.head(path)
    if ofac_enhanced.is_enhanced(head):
        return ofac_enhanced.read(path, list_code=code, published_on=published_on)
    if head.startswith(b"<"):
        return ofac_xml.read(path, list_code=code, published_on=published_on)
    if b"\x00" in head:
        raise InvalidInput(f"{path}: a binary file, not an OFAC list")
    return ofac_csv.read(path, list_code=code, published_on=published_on)
