"""Streaming XML for list files: no DTD (so no entity bombs, no external entities), elements
matched by local name (namespaces change between years), a clear error for a broken file."""

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from tracker.errors import InvalidInput


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def events(path: Path) -> Iterator[tuple[str, Element]]:
    """("start" | "end", element) pairs; a DTD or malformed XML is one `InvalidInput`."""
    try:
        yield from iterparse(str(path), events=("start", "end"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise InvalidInput(f"{path}: refused: the XML declares a DTD or entities") from error
    except ParseError as error:
        raise InvalidInput(f"{path}: not well-formed XML ({error})") from error


def clean(text: str | None) -> str:
    """Text with its runs of whitespace made one space: re-indented files say the same."""
    return " ".join((text or "").split())
