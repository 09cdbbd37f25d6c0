"""Cursor pagination for every list the server returns.

A cursor names the last item a client saw (its identity, and its position as a fallback), so
the next page starts right after it even when rows were added before it in the meantime. It is
opaque to clients: base64 of a little JSON, checked when read back.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tracker.errors import InvalidValue

Item = TypeVar("Item")
Identity = str | int


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    next_cursor: str | None  # None: this is the last page
    total: int  # items in the whole list


def encode_cursor(identity: Identity, position: int) -> str:
    text = json.dumps({"after": identity, "at": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Identity, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        identity, position = data["after"], data["at"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise InvalidValue("cursor: not a cursor this server gave out") from None
    if not isinstance(identity, str | int) or not isinstance(position, int) or position < 0:
        raise InvalidValue("cursor: not a cursor this server gave out")
    return identity, position


def paginate(
    items: Sequence[Item], *, limit: int, cursor: str | None, identity: Callable[[Item], Identity]
) -> Page[Item]:
    """The page of `limit` items after the cursor's item (from the start without one)."""
    start = 0
    if cursor is not None:
        after, position = decode_cursor(cursor)
        found = _index_of(items, after, position, identity)
        start = found + 1 if found is not None else min(position + 1, len(items))
    chosen = list(items[start : start + limit])
    end = start + len(chosen)
    more = end < len(items)
    next_cursor = encode_cursor(identity(chosen[-1]), end - 1) if more and chosen else None
    return Page(chosen, next_cursor, len(items))


def _index_of(
    items: Sequence[Item], after: Identity, position: int, identity: Callable[[Item], Identity]
) -> int | None:
    """Where the item named by the cursor is now: looked for near its old position first."""
    if position < len(items) and identity(items[position]) == after:
        return position
    return next((i for i, item in enumerate(items) if identity(item) == after), None)
