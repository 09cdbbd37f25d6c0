"""What every list file goes through before a parser reads it."""

import csv
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tracker.errors import InvalidInput

SNIFF_BYTES = 512


def head(path: Path) -> bytes:
    """The file's first bytes (after a BOM and blank space); a missing or empty file is an
    error naming it."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    with path.open("rb") as handle:
        start = handle.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise InvalidInput(f"{path}: the file is empty")
    return start


def sha256(paths: Iterable[Path]) -> str:
    """One digest over the files, read in blocks: what tells an edition already imported."""
    digest = hashlib.sha256()
    for member in paths:
        with member.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def checked_rows(reader: Any, path: Path) -> Iterator[list[str]]:  # a csv.reader
    """The rows of a csv reader, a malformed one (a stray carriage return, an unclosed quote
    at the end of the file) an error naming its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InvalidInput(f"{path}: line {reader.line_num}: {error}") from error
        yield row


def publish_date(path: Path, stated: str | None, given: str | None, field: str) -> str | None:
    """The edition's date: what the file states (`field`), which a date given by the user
    (`--published`) may repeat but not contradict; the given one when the file states none."""
    if stated and given and stated != given:
        raise InvalidInput(
            f"{path}: --published {given} contradicts the file's own {field} {stated}"
        )
    return stated or given
