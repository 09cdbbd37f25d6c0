"""The read-only JSON endpoints under /api/: the same documents as `--format json`, a page at
a time, or with `format=csv` the table the CLI's `--format csv` writes (every row)."""

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from tracker.config import DEFAULT_LIMIT, DEFAULT_THRESHOLD
from tracker.dates import as_of_day, until_day
from tracker.enums import DesignationStatus, SanctionMeasure, Stance, SyncOutcome
from tracker.records import (
    AuthorityRecord,
    ChangesReport,
    Comparison,
    Coverage,
    DesignationRecord,
    EntityProfile,
    EntityRecord,
    EventRecord,
    Filters,
    ImportRunRecord,
    ResponseRecord,
    SanctionRecord,
    SearchHit,
    SourceRef,
    StatusReport,
    Timeline,
)
from tracker.reports.render import Report, section_csv
from tracker.reports.views import (
    authorities_view,
    changes_view,
    compare_view,
    designations_view,
    entities_view,
    entity_view,
    import_runs_view,
    responses_view,
    sanctions_view,
    search_view,
    sources_view,
    status_view,
    timeline_view,
)
from tracker.server.deps import Absent, Answers, Chosen, Day, Db, PageRequest, PageWanted, Text
from tracker.server.documents import (
    document_model,
    json_document,
    list_document,
    one_document,
    record_document,
    record_fields,
)
from tracker.server.paging import Identity, Page, paginate
from tracker.sync.records import SyncRunRecord

router = APIRouter(prefix="/api", tags=["records and reports"])


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[
    Format, Query(alias="format", description="json (a page), or csv: the whole table.")
]
# What `format=csv` answers instead of the JSON document.
CSV_TABLE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON or CSV"}
}
OutcomeQuery = Annotated[SyncOutcome | None, Absent, Query()]
Key = Annotated[str, Path(min_length=1, max_length=200, description="An entity's key.")]


def csv_response(view: Report, name: str) -> Response:
    return Response(
        section_csv(view.main),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{name}.csv"'},
    )


def paged_list(
    kind: str,
    records: Sequence[Any],
    wanted: PageRequest,
    identity: Callable[[Any], Identity],
    **meta: Any,
) -> Any:
    page = paginate(records, limit=wanted.limit, cursor=wanted.cursor, identity=identity)
    return json_document(
        kind, {kind: page.items}, next_cursor=page.next_cursor, total=page.total, **meta
    )


def by_id(record: Any) -> Identity:
    return record.id  # type: ignore[no-any-return]


# -- records ----------------------------------------------------------------------------


@router.get(
    "/entities",
    summary="Entities by key",
    response_model=list_document("EntitiesPage", "entities", EntityRecord),
    responses=CSV_TABLE,
)
def entities(
    db: Db,
    answers: Answers,
    wanted: PageWanted,
    kind: Text = None,
    country: Text = None,
    name: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Part of any name.")
    ] = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    def listed() -> list[EntityRecord]:
        return db.entities(kind=kind, country=country, name=name)

    # The whole list is kept while a client pages through it; a name is a one-off question.
    records = listed() if name else answers.get(("entities", kind, country), listed)
    if fmt == Format.CSV:
        return csv_response(entities_view(records), "entities")
    return paged_list("entities", records, wanted, lambda record: record.key)


@router.get(
    "/entities/{key}",
    summary="Everything known about an entity",
    response_model=record_document("EntityDocument", "entity", EntityProfile),
    responses=CSV_TABLE,
)
def entity(db: Db, key: Key, as_of: Day = None, fmt: FormatQuery = Format.JSON) -> Any:
    profile = db.entity(key, as_of=as_of)
    if fmt == Format.CSV:
        return csv_response(entity_view(profile), key)
    return json_document("entity", profile)


@router.get(
    "/designations",
    summary="Designations, with their status as of a day",
    response_model=list_document("DesignationsPage", "designations", DesignationRecord),
    responses=CSV_TABLE,
)
def designations(
    db: Db,
    wanted: PageWanted,
    chosen: Chosen,
    entity: Text = None,
    status: DesignationStatus | None = None,
    as_of: Day = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    records = db.designations(entity=entity, filters=chosen, status=status, as_of=as_of)
    if fmt == Format.CSV:
        return csv_response(designations_view(records), "designations")
    return paged_list("designations", records, wanted, by_id)


@router.get(
    "/designations/{ref:path}",
    summary="One designation, by id or KEY/AUTHORITY/LIST[/PROGRAM]",
    response_model=one_document("DesignationDocument", "designation", DesignationRecord),
)
def designation(db: Db, ref: Annotated[str, Path(min_length=1, max_length=400)]) -> Any:
    return json_document("designation", {"designation": db.designation(ref)})


@router.get(
    "/sanctions",
    summary="Sanctions, with their status as of a day",
    response_model=list_document("SanctionsPage", "sanctions", SanctionRecord),
    responses=CSV_TABLE,
)
def sanctions(
    db: Db,
    wanted: PageWanted,
    chosen: Chosen,
    entity: Text = None,
    measure: SanctionMeasure | None = None,
    as_of: Day = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    records = db.sanctions(entity=entity, filters=chosen, measure=measure, as_of=as_of)
    if fmt == Format.CSV:
        return csv_response(sanctions_view(records), "sanctions")
    return paged_list("sanctions", records, wanted, by_id)


@router.get(
    "/sanctions/{ref:path}",
    summary="One sanction, by id or KEY/AUTHORITY/MEASURE[/PROGRAM]",
    response_model=one_document("SanctionDocument", "sanction", SanctionRecord),
)
def sanction(db: Db, ref: Annotated[str, Path(min_length=1, max_length=400)]) -> Any:
    return json_document("sanction", {"sanction": db.sanction(ref)})


@router.get(
    "/responses",
    summary="Official responses, oldest first",
    response_model=list_document("ResponsesPage", "responses", ResponseRecord),
    responses=CSV_TABLE,
)
def responses(
    db: Db,
    wanted: PageWanted,
    by: Annotated[str | None, Query(min_length=1, max_length=200, description="A key.")] = None,
    about: Annotated[
        str | None,
        Query(min_length=1, max_length=400, description="entity:KEY, designation:REF..."),
    ] = None,
    stance: Stance | None = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    records = db.responses(by=by, about=about, stance=stance)
    if fmt == Format.CSV:
        return csv_response(responses_view(records), "responses")
    return paged_list("responses", records, wanted, by_id)


@router.get(
    "/responses/{response_id}",
    summary="One response",
    response_model=one_document("ResponseDocument", "response", ResponseRecord),
)
def response(db: Db, response_id: Annotated[int, Path(ge=1, le=2**62)]) -> Any:
    return json_document("response", {"response": db.response(response_id)})


@router.get(
    "/sources",
    summary="Every source cited",
    response_model=list_document("SourcesPage", "sources", SourceRef),
    responses=CSV_TABLE,
)
def sources(db: Db, wanted: PageWanted, fmt: FormatQuery = Format.JSON) -> Any:
    records = db.sources()
    if fmt == Format.CSV:
        return csv_response(sources_view(records), "sources")
    return paged_list("sources", records, wanted, by_id)


@router.get(
    "/sources/{source_id}",
    summary="One source",
    response_model=one_document("SourceDocument", "source", SourceRef),
)
def source(db: Db, source_id: Annotated[int, Path(ge=1, le=2**62)]) -> Any:
    return json_document("source", {"source": db.source(source_id)})


@router.get(
    "/authorities",
    summary="The authorities that designate and sanction",
    response_model=list_document("AuthoritiesPage", "authorities", AuthorityRecord),
    responses=CSV_TABLE,
)
def authorities(db: Db, wanted: PageWanted, fmt: FormatQuery = Format.JSON) -> Any:
    records = db.authorities()
    if fmt == Format.CSV:
        return csv_response(authorities_view(records), "authorities")
    return paged_list("authorities", records, wanted, lambda record: record.key)


@router.get(
    "/import-runs",
    summary="Every import of a list edition, newest first",
    response_model=list_document("ImportRunsPage", "import-runs", ImportRunRecord, key="runs"),
    responses=CSV_TABLE,
)
def import_runs(db: Db, wanted: PageWanted, fmt: FormatQuery = Format.JSON) -> Any:
    records = db.import_runs()
    if fmt == Format.CSV:
        return csv_response(import_runs_view(records), "import-runs")
    page = paginate(records, limit=wanted.limit, cursor=wanted.cursor, identity=by_id)
    return json_document(
        "import-runs", {"runs": page.items}, next_cursor=page.next_cursor, total=page.total
    )


@router.get(
    "/sync-runs",
    summary="Every sync of a followed list, newest first",
    response_model=list_document("SyncRunsPage", "sync-runs", SyncRunRecord, key="runs"),
)
def sync_runs(db: Db, wanted: PageWanted, name: Text = None, outcome: OutcomeQuery = None) -> Any:
    records = db.sync_runs(name=name, outcome=outcome.value if outcome else None)
    page = paginate(records, limit=wanted.limit, cursor=wanted.cursor, identity=by_id)
    return json_document("sync-runs", {"runs": page.items}, **_paging(page))


# -- reports ----------------------------------------------------------------------------

StatusPage = document_model(
    "StatusPage",
    "status",
    record_fields(StatusReport),
    paged=True,
)


@router.get(
    "/status",
    summary="Who is designated or sanctioned as of a day (a page of targets)",
    description="The designations and sanctions are those of the page's targets; `totals` "
    "and `coverage` are the whole report's.",
    response_model=StatusPage,
    responses=CSV_TABLE,
)
def status(
    db: Db,
    answers: Answers,
    wanted: PageWanted,
    chosen: Chosen,
    as_of: Day = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    report = status_report(db, answers, as_of, chosen)
    if fmt == Format.CSV:
        return csv_response(status_view(report), f"status-{report.as_of}")
    page = paginate(
        report.targets,
        limit=wanted.limit,
        cursor=wanted.cursor,
        identity=lambda target: target.entity.key,
    )
    return json_document("status", cut_status(report, page), **_paging(page))


def status_report(db: Db, answers: Answers, as_of: str | None, chosen: Filters) -> StatusReport:
    """The status report, built once per day, filters and version of the data."""
    day = as_of or as_of_day(None)  # today by default: tomorrow is another question
    return answers.get(("status", day, chosen), lambda: db.status(as_of=day, filters=chosen))


def changes_report(
    db: Db, answers: Answers, since: str | None, until: str | None, chosen: Filters, **options: Any
) -> ChangesReport:
    """The changes report, built once per window, filters and version of the data."""
    end = until or until_day(None)  # today by default: tomorrow is another question
    question = ("changes", since, end, chosen, tuple(sorted(options.items())))
    return answers.get(
        question, lambda: db.changes(since=since, until=end, filters=chosen, **options)
    )


def cut_status(report: StatusReport, page: Page[Any]) -> StatusReport:
    """The report cut to the page's targets and the listings they refer to."""
    designation_ids = {i for target in page.items for i in target.designations}
    sanction_ids = {i for target in page.items for i in target.sanctions}
    return dataclasses.replace(
        report,
        targets=tuple(page.items),
        designations=tuple(d for d in report.designations if d.id in designation_ids),
        sanctions=tuple(s for s in report.sanctions if s.id in sanction_ids),
    )


def _paging(page: Page[Any]) -> dict[str, Any]:
    return {"next_cursor": page.next_cursor, "total": page.total}


@router.get(
    "/coverage",
    summary="What the imported editions of each list cover",
    response_model=list_document("CoverageDocument", "coverage", Coverage, as_of=(str, ...)),
)
def coverage(db: Db, wanted: PageWanted, chosen: Chosen, as_of: Day = None) -> Any:
    records = db.coverage(as_of=as_of, filters=chosen)
    day = as_of_day(as_of)
    return paged_list(
        "coverage", records, wanted, lambda row: f"{row.authority}/{row.list}", as_of=day
    )


ChangesPage = document_model("ChangesPage", "changes", record_fields(ChangesReport), paged=True)


@router.get(
    "/changes",
    summary="What changed between two days, or what was recorded since a moment",
    response_model=ChangesPage,
    responses=CSV_TABLE,
)
def changes(
    db: Db,
    answers: Answers,
    wanted: PageWanted,
    chosen: Chosen,
    since: Day = None,
    until: Day = None,
    recorded_since: dt.datetime | None = None,
    hide_cosmetic: bool = False,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    report = changes_report(db, answers, since, until, chosen,
                            recorded_since=recorded_since, hide_cosmetic=hide_cosmetic)  # fmt: skip
    if fmt == Format.CSV:
        return csv_response(changes_view(report), "changes")
    page: Page[EventRecord] = paginate(
        report.changes, limit=wanted.limit, cursor=wanted.cursor, identity=by_id
    )
    cut = dataclasses.replace(report, changes=tuple(page.items))
    return json_document("changes", cut, **_paging(page))


TimelinePage = document_model("TimelinePage", "timeline", record_fields(Timeline), paged=True)


@router.get(
    "/timeline/{key}",
    summary="Everything that happened to one entity, oldest first",
    response_model=TimelinePage,
    responses=CSV_TABLE,
)
def timeline(db: Db, wanted: PageWanted, key: Key, fmt: FormatQuery = Format.JSON) -> Any:
    report = db.timeline(key)
    if fmt == Format.CSV:
        return csv_response(timeline_view(report), f"timeline-{key}")
    page = paginate(report.events, limit=wanted.limit, cursor=wanted.cursor, identity=by_id)
    cut = dataclasses.replace(report, events=tuple(page.items))
    return json_document("timeline", cut, **_paging(page))


@router.get(
    "/compare/{key}",
    summary="One target's standing under every authority",
    response_model=record_document("CompareDocument", "compare", Comparison),
    responses=CSV_TABLE,
)
def compare(db: Db, key: Key, as_of: Day = None, fmt: FormatQuery = Format.JSON) -> Any:
    report = db.compare(key, as_of=as_of)
    if fmt == Format.CSV:
        return csv_response(compare_view(report), f"compare-{key}")
    return json_document("compare", report)


SearchDocument = document_model(
    "SearchDocument",
    "search",
    {
        "query": (str, ...),
        "threshold": (float, ...),
        "as_of": (str, ...),
        "active_only": (bool, ...),
        "filters": (dict[str, str], ...),
        "hits": (list[SearchHit], ...),
    },
)


@router.get(
    "/search",
    summary="Listed parties by any spelling of a name, or by identifier",
    response_model=SearchDocument,
    responses=CSV_TABLE,
)
def search(
    db: Db,
    q: Annotated[str | None, Query(min_length=1, max_length=500, description="A name.")] = None,
    identifier: Annotated[
        str | None,
        Query(
            alias="id",
            min_length=3,
            max_length=200,
            description="Instead: SCHEME:VALUE, or a number the lists give a party.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most hits.")] = DEFAULT_LIMIT,
    threshold: Annotated[float, Query(ge=0, le=1)] = DEFAULT_THRESHOLD,
    authority: Text = None,
    list_code: Annotated[str | None, Query(alias="list", min_length=1, max_length=200)] = None,
    kind: Text = None,
    active_only: bool = False,
    as_of: Day = None,
    fmt: FormatQuery = Format.JSON,
) -> Any:
    chosen = Filters(authority=authority, list=list_code, kind=kind)
    hits = db.search(
        q,
        identifier=identifier,
        limit=limit,
        threshold=threshold,
        filters=chosen,
        active_only=active_only,
        as_of=as_of,
    )
    day = as_of_day(as_of)
    query = q if q is not None else identifier or ""
    if fmt == Format.CSV:
        return csv_response(search_view(query, hits), "search")
    meta = {"query": query, "threshold": threshold, "as_of": day, "active_only": active_only,
            "filters": chosen.given()}  # fmt: skip
    return json_document("search", {"hits": hits}, **meta)
