"""Screenings as tables (and CSV, Markdown, HTML): the records flattened into rows."""

from collections.abc import Sequence
from typing import Any

from tracker.reports.render import Report, Section, columns
from tracker.screening.records import (
    DecisionRecord,
    HitRecord,
    ScreeningRecord,
    ScreeningReport,
    ScreeningRunRecord,
)

HIT_COLUMNS = columns(
    ("row", "row"),
    ("input", "input"),
    ("state", "state"),
    ("score", "score"),
    ("key", "key"),
    ("name", "name"),
    ("matched", "matched"),
    ("why", "why"),
    ("in_force", "in force"),
    ("changes", "changed since decision"),
    ("run", "run"),
)
DECISION_COLUMNS = columns(
    ("row", "row"),
    ("key", "key"),
    ("name", "name"),
    ("verdict", "verdict"),
    ("decided_by", "by"),
    ("decided_at", "at"),
    ("note", "note"),
    ("standing", "standing"),
)
SCREENING_COLUMNS = columns(
    ("name", "screening"),
    ("threshold", "threshold"),
    ("hits_per_row", "hits per row"),
    ("follow", "follows"),
    ("rows", "rows"),
    ("runs", "runs"),
    ("open_hits", "open hits"),
    ("last_run", "last run"),
    ("last_run_at", "at"),
)


def hit_row(hit: HitRecord) -> dict[str, Any]:
    return {
        "row": hit.row, "input": hit.input, "state": hit.state, "score": round(hit.score, 3),
        "key": hit.entity.key, "name": hit.entity.name, "matched": hit.matched,
        "why": hit.why, "in_force": list(hit.listings), "changes": list(hit.changes),
        "run": hit.run, "rank": hit.rank,
    }  # fmt: skip


def decision_row(decision: DecisionRecord) -> dict[str, Any]:
    return {
        "row": decision.row, "key": decision.entity.key, "name": decision.entity.name,
        "verdict": decision.verdict, "decided_by": decision.decided_by,
        "decided_at": decision.decided_at.isoformat(timespec="seconds"), "note": decision.note,
        "standing": "stands" if decision.current else "earlier",
    }  # fmt: skip


def report_view(report: ScreeningReport) -> Report:
    name = report.screening.name
    return Report(
        kind="screening-report",
        title=f"Screening {name}",
        sections=[
            Section(
                "open", f"Open hits of {name}", HIT_COLUMNS, [hit_row(hit) for hit in report.open]
            ),
            Section(
                "decisions",
                f"Decisions on {name}",
                DECISION_COLUMNS,
                [decision_row(d) for d in report.decisions],
            ),
        ],
        empty_message=f"no open hits and no decisions in screening {name!r}",
    )


def run_view(run: ScreeningRunRecord, hits: Sequence[HitRecord]) -> Report:
    """The hits of a run worth showing (a rescreen: those it raised)."""
    return Report(
        kind="screening-run",
        title=f"Run {run.id} of {run.screening}",
        sections=[
            Section(
                "hits",
                f"Raised by run {run.id} of {run.screening}",
                HIT_COLUMNS,
                [hit_row(hit) for hit in hits],
            )
        ],
        empty_message=f"run {run.id} of {run.screening}: nothing new or changed",
    )


def list_view(screenings: Sequence[ScreeningRecord]) -> Report:
    rows = [
        {**vars(s), "last_run_at": s.last_run_at.isoformat(timespec="seconds")
         if s.last_run_at else None}
        for s in screenings
    ]  # fmt: skip
    return Report(
        kind="screenings",
        title="Screenings",
        sections=[Section("screenings", "Screenings", SCREENING_COLUMNS, rows)],
        empty_message="no remembered screenings yet (tracker screen FILE --record NAME)",
    )


def run_summary(run: ScreeningRunRecord) -> str:
    """'run 3 of customers: 1,000 rows, 37 hits (5 new, 30 open, 2 match); 4 decided false
    positive not shown'."""
    counts: dict[str, int] = {}
    for hit in run.hits:
        counts[hit.state] = counts.get(hit.state, 0) + 1
    shown = ", ".join(f"{n:,} {state}" for state, n in counts.items() if state != "false-positive")
    text = f"run {run.id} of {run.screening}: {run.rows:,} rows, {len(run.hits):,} hits"
    if shown:
        text += f" ({shown})"
    if run.suppressed:
        text += f"; {run.suppressed:,} decided false-positive not shown"
    return text
