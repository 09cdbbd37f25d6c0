"""Rescreening after an import: every stored row against the database as it is now, and an
alert for each hit that is news (new, or changed since its decision)."""

from dataclasses import replace
from typing import Any

from sqlmodel import Session

from tracker.enums import AlertKind, HitState
from tracker.models import Screening
from tracker.screening import run
from tracker.screening.records import HitRecord, ScreeningRunRecord
from tracker.watches.alerts import raise_alert


def rescreen(
    session: Session, screening: Screening, *, import_run_id: int | None = None, full: bool = False
) -> ScreeningRunRecord:
    """A new run of the screening's rows, and its alerts (a change is raised once: a hit
    still changed by the same change at the next rescreen is not raised again)."""
    record, news = run.rescreen(session, screening, import_run_id=import_run_id, full=full)
    for hit, entity_id in news:
        changed = hit.state == HitState.CHANGED
        raise_alert(
            session,
            kind=AlertKind.SCREENING_CHANGED if changed else AlertKind.SCREENING_HIT,
            summary=_summary(screening.name, hit),
            detail=_detail(screening.name, hit),
            entity_id=entity_id,
            screening_run_id=record.id,
            import_run_id=import_run_id,
        )
    return replace(record, alerts=len(news))


def _summary(name: str, hit: HitRecord) -> str:
    party = f"{hit.entity.name} ({hit.entity.key})"
    if hit.state == HitState.CHANGED:
        verdict = hit.decision.verdict if hit.decision else "decided"
        return f"{name}: row {hit.row} ({hit.input}): {party}, decided {verdict}, changed since"
    return f"{name}: row {hit.row} ({hit.input}) hits {party}, score {hit.score:.2f}"


def _detail(name: str, hit: HitRecord) -> dict[str, Any]:
    decision = hit.decision
    return {
        "screening": name,
        "run": hit.run,
        "row": hit.row,
        "input": hit.input,
        "entity": hit.entity.key,
        "score": hit.score,
        "matched": hit.matched,
        "why": hit.why,
        "state": hit.state,
        "changes": list(hit.changes),
        "decision": None
        if decision is None
        else {"verdict": decision.verdict, "decided_by": decision.decided_by,
              "decided_at": decision.decided_at.isoformat(), "note": decision.note},
    }  # fmt: skip
