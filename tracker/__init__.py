"""tracker: a database of designations, sanctions and official responses, and what changed.

The supported surface is `tracker.api` (re-exported here): `tracker.connect(url)` gives a
`Tracker`; its results are the records of `tracker.records`, its errors those of
`tracker.errors`. Everything else is internal. Names are imported on first use, so
`import tracker` (and `tracker --version`) stays fast.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "connect": "tracker.api",
    "Tracker": "tracker.api",
    "Filters": "tracker.records",
    "ScreenQuery": "tracker.records",
    "ScreeningInput": "tracker.screening.records",
    "TrackerError": "tracker.errors",
    "InvalidInput": "tracker.errors",
    "InvalidValue": "tracker.errors",
    "NotFound": "tracker.errors",
    "Conflict": "tracker.errors",
    "DatabaseNotReady": "tracker.errors",
    "DatabaseBusy": "tracker.errors",
    "DatabaseError": "tracker.errors",
    "OutOfTime": "tracker.errors",
    "time_budget": "tracker.db",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")
