"""Splitting long streams into lists of a bounded size (itertools.batched is Python 3.12+),
among them values for one IN (...)."""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

Item = TypeVar("Item")

IN_CHUNK = 10_000  # values per IN (...): SQLite refuses statements with over 32,766 parameters


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists of at most `size` items."""
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def in_chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    """Values in lists short enough for one IN (...) on every engine; a set's in order."""
    return batched(sorted(values) if isinstance(values, set) else values, IN_CHUNK)
