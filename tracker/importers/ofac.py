"""OFAC's lists in any of their formats: detect the format from the content, read an edition."""

from pathlib import Path

from tracker.errors import InvalidInput
from tracker.importers import files, ofac_csv, ofac_xml
from tracker.importers.records import Edition, ListSpec

SPEC = ListSpec(authority="us-ofac", scheme="ofac-uid", key_prefix="ofac")


def default_list_code(path: Path) -> str:
    """SDN, or CONS for the consolidated (non-SDN) list's files."""
    return "CONS" if "cons" in path.name.lower() else "SDN"


def family(path: Path) -> list[Path]:
    """The file and, for the legacy CSV, the companion files read with it."""
    companions = ofac_csv.COMPANIONS.get(path.name.lower(), ())
    return [path, *(p for name in companions if (p := path.with_name(name)).exists())]


def sha256(path: Path) -> str:
    """One digest over the file and its companions: a changed alias file is a new edition."""
    return files.sha256(family(path))


def read_edition(path: Path, list_code: str, published_on: str | None) -> Edition:
    """XML (`sdnList`) or legacy CSV, told apart by the first bytes of the file."""
    head = files.head(path)
    if head.startswith(b"<"):
        edition = ofac_xml.read(path, list_code)
        if published_on and edition.published_on and published_on != edition.published_on:
            raise InvalidInput(
                f"{path}: --published {published_on} contradicts the file's own"
                f" Publish_Date {edition.published_on}"
            )
        return edition
    if b"\x00" in head:
        raise InvalidInput(f"{path}: a binary file, not an OFAC list")
    return ofac_csv.read(path, list_code, published_on)
