"""Building many records without the cyclic garbage collector's pauses.

A status report or an import makes 100,000s of small objects that stay alive until it ends.
Each young-generation collection they trigger walks every live container again, so on
Python 3.11 the collector took about half of a 20,000-entity status report. The records are
trees of dataclasses and tuples, freed by reference counting alone: nothing is lost by
pausing the collector while they are built. The pause is shared: threads (the server's)
that build at once hold one pause, and the collector runs again when the last one ends.
"""

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

Params = ParamSpec("Params")
Result = TypeVar("Result")

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nor in other threads until the last block
    ends); the collector is left as it was found."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


def without_collector_pauses(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """`function`, run with the collector paused."""

    @wraps(function)
    def paused(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        with collector_paused():
            return function(*args, **kwargs)

    return paused
