"""Watches, their alerts and remembered screenings over HTTP: read them, acknowledge alerts,
decide screening hits. Reads are open like every /api/ read; acknowledging and deciding are
writes, so they need the operator's bearer token (`tracker.server.deps.require_token`)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import Field

from tracker.enums import AlertKind, Verdict
from tracker.errors import InvalidValue
from tracker.screening.records import DecisionRecord, ScreeningRecord, ScreeningReport
from tracker.screening.views import report_view
from tracker.server.deps import Absent, Db, PageWanted, Text, Writer
from tracker.server.documents import (
    document_model,
    json_document,
    list_document,
    one_document,
    record_document,
)
from tracker.server.pages import data_links, next_link, page
from tracker.server.paging import paginate
from tracker.server.read import CSV_TABLE, Format, FormatQuery, by_id, csv_response, paged_list
from tracker.server.write import WRITE_ERRORS, Long, Short, Strict
from tracker.watches.records import AlertRecord, WatchRecord
from tracker.watches.views import alerts_view, watches_view

router = APIRouter(prefix="/api", tags=["watches, alerts and screenings"])
pages = APIRouter(include_in_schema=False)

KindQuery = Annotated[AlertKind | None, Absent, Query()]
WatchQuery = Annotated[int | None, Absent, Query(ge=1, le=2**62)]
Screening = Annotated[str, Path(min_length=1, max_length=100, description="Its name.")]


class Acknowledged(Strict):
    ids: Annotated[list[Annotated[int, Field(ge=1, le=2**62)]], Field(max_length=1000)] = Field(
        default_factory=list
    )
    all: bool = Field(False, description="Every unread alert (instead of `ids`).")


class NewDecision(Strict):
    row: Short
    entity: Short
    verdict: Verdict
    note: Long | None = None
    by: Short | None = None


def _alerts(db: Db, since: str | None, unread: bool, watch: int | None,
            kind: AlertKind | None) -> list[AlertRecord]:  # fmt: skip
    return db.alerts(since=since, unread=unread, watch=watch, kind=kind.value if kind else None)


@router.get(
    "/watches",
    summary="Watches, oldest first",
    response_model=list_document("WatchesPage", "watches", WatchRecord),
    responses=CSV_TABLE,
)
def watches(
    db: Db, wanted: PageWanted, include_removed: bool = False, fmt: FormatQuery = Format.JSON
) -> Any:
    records = db.watches(include_removed=include_removed)
    if fmt == Format.CSV:
        return csv_response(watches_view(records), "watches")
    return paged_list("watches", records, wanted, by_id)


@router.get(
    "/alerts",
    summary="Alerts, newest first",
    response_model=list_document("AlertsPage", "alerts", AlertRecord),
    responses=CSV_TABLE,
)
def alerts(
    db: Db,
    wanted: PageWanted,
    since: Text = None,
    unread: bool = False,
    watch: WatchQuery = None,
    kind: KindQuery = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    records = _alerts(db, since, unread, watch, kind)
    if fmt == Format.CSV:
        return csv_response(alerts_view(records), "alerts")
    return paged_list("alerts", records, wanted, by_id)


@router.post(
    "/alerts/ack",
    summary="Mark alerts read",
    dependencies=[Writer],
    response_model=document_model(
        "AlertsAcknowledged", "alerts-acknowledged", {"acknowledged": (int, ...)}
    ),
    responses=WRITE_ERRORS,
)
def ack(db: Db, body: Acknowledged) -> Any:
    if body.all == bool(body.ids):
        raise InvalidValue("give the alerts' `ids`, or `all`: true, not both")
    count = db.ack_alerts(None if body.all else body.ids)
    return json_document("alerts-acknowledged", {"acknowledged": count})


@router.get(
    "/screenings",
    summary="Remembered screenings, by name",
    response_model=list_document("ScreeningsPage", "screenings", ScreeningRecord),
)
def screenings(db: Db, wanted: PageWanted) -> Any:
    return paged_list("screenings", db.screenings(), wanted, lambda record: record.name)


@router.get(
    "/screenings/{name}",
    summary="A screening's open hits and its decisions with their history",
    response_model=record_document("ScreeningReportDocument", "screening-report", ScreeningReport),
    responses=CSV_TABLE,
)
def screening(db: Db, name: Screening, fmt: FormatQuery = Format.JSON) -> Any:
    report = db.screening_report(name)
    if fmt == Format.CSV:
        return csv_response(report_view(report), f"screening-{name}")
    return json_document("screening-report", report)


@router.post(
    "/screenings/{name}/decisions",
    status_code=201,
    summary="Decide a screening hit: a false positive, or a match",
    dependencies=[Writer],
    response_model=one_document("DecisionRecorded", "decision", DecisionRecord),
    responses=WRITE_ERRORS,
)
def decide(db: Db, name: Screening, body: NewDecision) -> Any:
    record = db.decide(name, body.row, body.entity, body.verdict.value, note=body.note,
                       by=body.by)  # fmt: skip
    return json_document("decision", {"decision": record}, status_code=201)


@pages.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    db: Db,
    wanted: PageWanted,
    since: Text = None,
    unread: bool = False,
    watch: WatchQuery = None,
    kind: KindQuery = None,
) -> HTMLResponse:
    records = _alerts(db, since, unread, watch, kind)
    found = paginate(records, limit=wanted.limit, cursor=wanted.cursor, identity=by_id)
    query = {"since": since, "unread": unread, "watch": watch, "kind": kind.value if kind else None}
    return page(
        request,
        "alerts.html",
        view=alerts_view(found.items),
        since=since or "",
        unread=unread,
        kind=kind.value if kind else "",
        kinds=[choice.value for choice in AlertKind],
        shown=len(found.items),
        total=found.total,
        next_page=next_link(request, found.next_cursor),
        links=data_links("/api/alerts", **query),
    )
