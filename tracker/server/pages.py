"""The web pages: search, an entity's story, status as of a day, changes between two days.

Server-rendered from the same views the CLI draws (`tracker.reports.views`), so a page and a
terminal table never disagree; no JavaScript is needed. Every page links to its data as JSON
and CSV (the /api/ endpoints).
"""

import dataclasses
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tracker.config import DEFAULT_THRESHOLD
from tracker.dates import as_of_day, until_day
from tracker.enums import EntityKind
from tracker.records import Filters
from tracker.reports.chart import timeline_svg
from tracker.reports.render import SHORT_CELL, Report, cell_text
from tracker.reports.views import changes_view, entity_view, search_view, status_view, timeline_view
from tracker.server.deps import Answers, Chosen, Day, Db, KindQuery, PageWanted, SearchText
from tracker.server.paging import paginate
from tracker.server.read import changes_report, cut_status, status_report

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.filters["cell"] = cell_text
# Cells holding an entity's key link to its page.
ENTITY_COLUMNS = frozenset({"key", "entity"})
templates.env.globals["ENTITY_COLUMNS"] = ENTITY_COLUMNS
templates.env.globals["KINDS"] = [kind.value for kind in EntityKind]
templates.env.globals["SHORT_CELL"] = SHORT_CELL


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def data_links(path: str, **query: Any) -> dict[str, str]:
    """The page's data: the API endpoint as JSON and as CSV."""
    given = {name: value for name, value in query.items() if value not in (None, "", False)}
    return {
        "JSON": f"{path}?{urlencode(given)}" if given else path,
        "CSV": f"{path}?{urlencode({**given, 'format': 'csv'})}",
    }


def next_link(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = {**request.query_params, "cursor": cursor}
    return f"{request.url.path}?{urlencode(query)}"


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request, db: Db, q: SearchText = None, kind: KindQuery = None
) -> HTMLResponse:
    view: Report | None = None
    if q:
        chosen = Filters(kind=kind.value if kind else None)
        view = search_view(q, db.search(q, threshold=DEFAULT_THRESHOLD, filters=chosen))
    links = data_links("/api/search", q=q, kind=kind.value if kind else None) if q else {}
    return page(request, "search.html", q=q or "", kind=kind.value if kind else "", view=view,
                links=links)  # fmt: skip


@router.get("/entities/{key}", response_class=HTMLResponse)
def entity_page(request: Request, db: Db, key: str, as_of: Day = None) -> HTMLResponse:
    with db.snapshot():  # the profile and the timeline of the same edition
        profile = db.entity(key, as_of=as_of)
        timeline = db.timeline(key)
    view = entity_view(profile)
    chart = timeline_svg(timeline_view(timeline).marks, title=f"Timeline of {profile.entity.name}")
    return page(
        request,
        "entity.html",
        view=view,
        entity=profile.entity,
        as_of=as_of_day(as_of),
        chart=chart,
        links=data_links(f"/api/entities/{key}", as_of=as_of),
        timeline_links=data_links(f"/api/timeline/{key}"),
    )


@router.get("/status", response_class=HTMLResponse)
def status_page(
    request: Request,
    db: Db,
    answers: Answers,
    wanted: PageWanted,
    chosen: Chosen,
    as_of: Day = None,
) -> HTMLResponse:
    report = status_report(db, answers, as_of, chosen)
    targets = paginate(
        report.targets, limit=wanted.limit, cursor=wanted.cursor, identity=lambda t: t.entity.key
    )
    view = status_view(cut_status(report, targets))
    return page(
        request,
        "report.html",
        view=view,
        form="status",
        as_of=report.as_of,
        filters=chosen.given(),
        shown=len(targets.items),
        total=targets.total,
        next_page=next_link(request, targets.next_cursor),
        links=data_links("/api/status", as_of=report.as_of, **chosen.given()),
    )


@router.get("/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    db: Db,
    answers: Answers,
    wanted: PageWanted,
    chosen: Chosen,
    since: Day = None,
    until: Day = None,
) -> HTMLResponse:
    end = until_day(until)
    start = since or end[:4] + "-01-01"  # by default: this year so far
    report = changes_report(db, answers, start, end, chosen)
    events = paginate(report.changes, limit=wanted.limit, cursor=wanted.cursor,
                      identity=lambda event: event.id)  # fmt: skip
    view = changes_view(dataclasses.replace(report, changes=tuple(events.items)))
    return page(
        request,
        "report.html",
        view=view,
        form="changes",
        since=report.since,
        until=report.until,
        filters=chosen.given(),
        shown=len(events.items),
        total=events.total,
        next_page=next_link(request, events.next_cursor),
        links=data_links("/api/changes", since=report.since, until=report.until, **chosen.given()),
    )


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    return page(request, "error.html", status_code=status, status=status, title=title,
                detail=detail)  # fmt: skip
