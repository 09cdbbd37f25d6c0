"""What remembered screening returns: frozen dataclasses, the JSON of `--format json`."""

import datetime as dt
from dataclasses import dataclass

from tracker.enums import HitState
from tracker.records import EntityRecord, EntityRef

# The states a reviewer still has to look at, and those a run raises (alerts, output).
OPEN_STATES = frozenset({HitState.NEW, HitState.OPEN, HitState.CHANGED})
RAISED_STATES = frozenset({HitState.NEW, HitState.CHANGED})


@dataclass(frozen=True)
class ScreeningInput:
    """One party to screen under the caller's id for it (a customer number)."""

    id: str
    name: str
    birth_date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    country: str | None = None  # ISO 3166 alpha-2, or a country's name
    gender: str | None = None  # male or female (m, f...)
    kind: str | None = None  # person, organization, vessel... (`EntityKind`)
    identifiers: tuple[str, ...] = ()  # "A1234567", or "SCHEME:VALUE"


@dataclass(frozen=True)
class ScreeningRecord:
    """A remembered screening and where it stands."""

    name: str
    threshold: float
    hits_per_row: int
    follow: bool
    created_at: dt.datetime
    rows: int
    runs: int
    last_run: int | None
    last_run_at: dt.datetime | None
    open_hits: int


@dataclass(frozen=True)
class DecisionRecord:
    """A reviewer's verdict on a (row, listed party) pair. `current`: the one that stands
    (the pair's latest); the others are its history."""

    id: int
    screening: str
    row: str
    entity: EntityRef
    verdict: str
    note: str | None
    decided_by: str
    decided_at: dt.datetime
    last_event_id: int | None  # the newest change to the party the reviewer had seen
    current: bool = True


@dataclass(frozen=True)
class HitRecord:
    """A listed party a run found for a row, and where it stands against the decisions."""

    run: int
    row: str  # the caller's id
    input: str  # the row's name
    rank: int
    entity: EntityRecord
    score: float
    matched: str
    why: str
    state: str  # a HitState value
    listings: tuple[str, ...]  # designations in force when screened
    last_event_id: int | None
    changes: tuple[str, ...] = ()  # changed-since-decision: what changed, one line each
    decision: DecisionRecord | None = None  # the one that stands, if any

    @property
    def raised(self) -> bool:
        return self.state in RAISED_STATES

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class ScreeningRunRecord:
    """One run of a screening, with every hit it stored (false positives too: see
    `suppressed`)."""

    id: int
    screening: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    file_name: str | None  # None: a rescreen
    sha256: str | None
    import_run_id: int | None  # the import that triggered a rescreen
    rows: int
    screened: int  # rows scored afresh (a rescreen carries the others' hits over)
    hits: tuple[HitRecord, ...]
    alerts: int = 0

    @property
    def raised(self) -> int:
        return sum(hit.raised for hit in self.hits)

    @property
    def suppressed(self) -> int:
        return sum(hit.state == HitState.FALSE_POSITIVE for hit in self.hits)


@dataclass(frozen=True)
class ScreeningReport:
    """A screening's open hits (as of its rows' latest runs, against the decisions since)
    and every decision, the standing ones first, each pair's history after it."""

    screening: ScreeningRecord
    open: tuple[HitRecord, ...]
    decisions: tuple[DecisionRecord, ...]
