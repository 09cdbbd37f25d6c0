"""Views: each result as the sections a person reads (table, CSV, Markdown, HTML), in words.
JSON is not a view: it is the records themselves (`reports.json`)."""

from collections.abc import Callable, Sequence
from typing import Any

from tracker.records import (
    AuthorityRecord,
    ChangesReport,
    Comparison,
    DesignationRecord,
    EntityProfile,
    EntityRecord,
    EventRecord,
    ImportRunRecord,
    ImportSummary,
    ResponseRecord,
    RevisionRecord,
    SanctionRecord,
    SearchHit,
    SourceRef,
    StatusReport,
    Timeline,
)
from tracker.reports.chart import MAX_MARKS, Mark
from tracker.reports.listed_view import says_section
from tracker.reports.render import Report, Section, columns
from tracker.reports.text import (
    describe,
    designation_label,
    entity_label,
    listing_label,
    seen_text,
    since_text,
    source_label,
)
from tracker.sync.records import SyncRunRecord

Row = dict[str, Any]

ENTITY_COLUMNS = columns(("key", "key"), ("name", "name"), ("kind", "kind"), ("country", "country"))
DESIGNATION_COLUMNS = columns(
    ("id", "id"),
    ("entity", "entity"),
    ("authority", "authority"),
    ("list", "list"),
    ("program", "program"),
    ("announced_on", "announced"),
    ("effective_on", "effective"),
    ("ended_on", "ended"),
    ("seen", "seen in editions"),
    ("status", "status"),
    ("sources", "sources"),
)
SANCTION_COLUMNS = columns(
    ("id", "id"),
    ("entity", "target"),
    ("authority", "authority"),
    ("measure", "measure"),
    ("program", "program"),
    ("start_on", "from"),
    ("end_on", "until"),
    ("seen", "seen in editions"),
    ("status", "status"),
    ("sources", "sources"),
)
RESPONSE_COLUMNS = columns(
    ("id", "id"),
    ("responder", "by"),
    ("responder_name", "name"),
    ("about", "about"),
    ("stance", "stance"),
    ("stated_on", "on"),
    ("summary", "summary"),
    ("sources", "sources"),
)
SOURCE_COLUMNS = columns(
    ("id", "id"),
    ("title", "title"),
    ("publisher", "publisher"),
    ("url", "url"),
    ("document_number", "document"),
    ("published_on", "published"),
    ("file_name", "file"),
)
EVENT_COLUMNS = columns(
    ("occurred_on", "date"),
    ("action", "change"),
    ("entity", "entity"),
    ("name", "name"),
    ("detail", "detail"),
    ("source", "source"),
)
# One entity's own events (its profile, its timeline) need not name it on every row.
OWN_EVENT_COLUMNS = [column for column in EVENT_COLUMNS if column.key not in ("entity", "name")]


def _sources(sources: Sequence[SourceRef]) -> list[str]:
    return [source_label(source) for source in sources]


def designation_row(record: DesignationRecord) -> Row:
    return {
        "id": record.id,
        "entity": record.entity.key,
        "authority": record.authority,
        "list": record.list,
        "program": record.program,
        "announced_on": record.announced_on,
        "effective_on": record.effective_on,
        "ended_on": record.ended_on,
        "seen": seen_text(record.observed),
        "status": record.status,
        "sources": _sources(record.sources),
    }


def sanction_row(record: SanctionRecord) -> Row:
    return {
        "id": record.id,
        "entity": record.entity.key,
        "authority": record.authority,
        "measure": record.measure,
        "program": record.program,
        "start_on": record.start_on,
        "end_on": record.end_on,
        "seen": seen_text(record.observed),
        "status": record.status,
        "sources": _sources(record.sources),
    }


def response_row(record: ResponseRecord) -> Row:
    about = record.about
    subject = f"{about.kind}:{about.id if about.id is not None else about.key}"
    return {
        "id": record.id,
        "responder": record.responder.key,
        "responder_name": record.responder.name,
        "about": subject,
        "stance": record.stance,
        "stated_on": record.stated_on,
        "summary": record.summary,
        "sources": _sources(record.sources),
    }


def event_row(event: EventRecord) -> Row:
    return {
        "occurred_on": event.occurred_on,
        "recorded_day": event.recorded_at.date().isoformat(),
        "action": event.action,
        "entity": event.entity.key if event.entity else None,
        "name": event.entity.name if event.entity else None,
        "detail": describe(event),
        "source": source_label(event.source) if event.source else None,
    }


def _listing(kind: str, title: str, section_columns: Any, rows: list[Row], empty: str) -> Report:
    return Report(
        kind=kind,
        title=title,
        sections=[Section(kind, title, section_columns, rows)],
        empty_message=empty,
    )


def entities_view(records: Sequence[EntityRecord]) -> Report:
    rows = [vars(record) for record in records]
    return _listing("entities", "Entities", ENTITY_COLUMNS, rows, "no entities matched")


def designations_view(records: Sequence[DesignationRecord]) -> Report:
    return _listing(
        "designations",
        "Designations",
        DESIGNATION_COLUMNS,
        [designation_row(r) for r in records],
        "no designations matched",
    )


def sanctions_view(records: Sequence[SanctionRecord]) -> Report:
    return _listing(
        "sanctions",
        "Sanctions",
        SANCTION_COLUMNS,
        [sanction_row(r) for r in records],
        "no sanctions matched",
    )


def responses_view(records: Sequence[ResponseRecord]) -> Report:
    return _listing(
        "responses",
        "Official responses",
        RESPONSE_COLUMNS,
        [response_row(r) for r in records],
        "no responses matched",
    )


def sources_view(records: Sequence[SourceRef]) -> Report:
    return _listing(
        "sources", "Sources", SOURCE_COLUMNS, [vars(r) for r in records], "no sources yet"
    )


def authorities_view(records: Sequence[AuthorityRecord]) -> Report:
    section_columns = columns(("key", "key"), ("name", "name"), ("jurisdiction", "jurisdiction"))
    return _listing(
        "authorities",
        "Authorities",
        section_columns,
        [vars(r) for r in records],
        "no authorities yet",
    )


def import_runs_view(records: Sequence[ImportRunRecord]) -> Report:
    section_columns = columns(
        ("id", "run"),
        ("format", "format"),
        ("list_key", "list"),
        ("file_name", "file"),
        ("published_on", "published"),
        ("added", "added"),
        ("changed", "changed"),
        ("removed", "removed"),
        ("unchanged", "unchanged"),
        ("started_at", "at"),
    )
    rows = [{**vars(r), "started_at": r.started_at.isoformat(timespec="seconds")} for r in records]
    return _listing("runs", "Import runs", section_columns, rows, "no imports yet")


def sync_runs_view(records: Sequence[SyncRunRecord]) -> Report:
    section_columns = columns(
        ("id", "run"),
        ("name", "list"),
        ("outcome", "outcome"),
        ("reason", "reason"),
        ("http_status", "http"),
        ("bytes", "bytes"),
        ("published_on", "published"),
        ("added", "added"),
        ("changed", "changed"),
        ("removed", "removed"),
        ("import_run_id", "import run"),
        ("started_at", "at"),
    )
    rows = [
        {
            **vars(r),
            "outcome": r.outcome.value,
            "started_at": r.started_at.isoformat(timespec="seconds"),
        }
        for r in records
    ]
    section = Section("runs", "Sync runs", section_columns, rows)
    return Report("sync-runs", "Sync runs", [section], empty_message="no sync runs yet")


def import_summaries_view(summaries: Sequence[ImportSummary]) -> Report:
    """What an import command did, one row per file."""
    section_columns = columns(
        ("file_name", "file"),
        ("list_code", "list"),
        ("published_on", "published"),
        ("added", "added"),
        ("changed", "changed"),
        ("removed", "removed"),
        ("unchanged", "unchanged"),
        ("run_id", "run"),
    )
    section = Section("imports", "Imports", section_columns, [vars(s) for s in summaries])
    return Report(kind="import", title="Import", sections=[section])


def revisions_view(records: Sequence[RevisionRecord]) -> Report:
    section_columns = columns(
        ("revision", "revision"),
        ("down_revision", "after"),
        ("message", "message"),
        ("head", "head"),
    )
    return _listing(
        "revisions", "Migrations", section_columns, [vars(r) for r in records], "no migrations"
    )


def record_view(kind: str, title: str, row: Row) -> Report:
    """One record a command wrote, shown as fields."""
    section = Section(kind, title, columns(*((k, k) for k in row)), [row], single=True)
    return Report(kind=kind, title=title, sections=[section])


def entity_view(profile: EntityProfile) -> Report:
    entity = profile.entity
    links = [
        {
            "relation": link.relation,
            "key": link.other.key,
            "name": link.other.name,
            "direction": ""
            if link.relation == "same-target"
            else ("to" if link.outgoing else "from"),
            "linked_on": link.linked_on,
            "note": link.note,
        }
        for link in profile.links
    ]
    lists = [
        {
            "list": entry.list,
            "identifier": entry.identifier,
            "name": entry.name,
            "seen": seen_text(entry.observed),
            "first_source": source_label(entry.first_source) if entry.first_source else None,
            "last_source": source_label(entry.last_source) if entry.last_source else None,
        }
        for entry in profile.lists
    ]
    return Report(
        kind="entity",
        title=f"{entity.name} ({entity.key})",
        sections=[
            Section(
                "entity",
                "Entity",
                columns(*((k, k) for k in vars(entity))),
                [vars(entity)],
                single=True,
            ),
            Section(
                "aliases",
                "Aliases",
                columns(
                    ("name", "name"),
                    ("kind", "kind"),
                    ("language", "language"),
                    ("script", "script"),
                ),
                [vars(alias) for alias in profile.aliases],
            ),
            Section(
                "identifiers",
                "Identifiers",
                columns(("scheme", "scheme"), ("value", "value")),
                [vars(identifier) for identifier in profile.identifiers],
            ),
            Section(
                "links",
                "Links",
                columns(
                    ("relation", "relation"),
                    ("direction", "direction"),
                    ("key", "key"),
                    ("name", "name"),
                    ("linked_on", "linked on"),
                    ("note", "note"),
                ),
                links,
            ),
            Section(
                "designations",
                "Designations",
                DESIGNATION_COLUMNS,
                [designation_row(r) for r in profile.designations],
            ),
            Section(
                "sanctions",
                "Sanctions",
                SANCTION_COLUMNS,
                [sanction_row(r) for r in profile.sanctions],
            ),
            Section(
                "responses",
                "Responses",
                RESPONSE_COLUMNS,
                [response_row(r) for r in profile.responses],
            ),
            Section(
                "lists",
                "On imported lists",
                columns(
                    ("list", "list"),
                    ("identifier", "identifier"),
                    ("name", "listed as"),
                    ("seen", "seen"),
                    ("first_source", "first seen in"),
                    ("last_source", "last seen in"),
                ),
                lists,
            ),
            *(says_section(entry) for entry in profile.lists),
            Section(
                "events",
                "Recent events",
                OWN_EVENT_COLUMNS,
                [event_row(event) for event in profile.events],
            ),
        ],
    )


def _in_force_columns(listing: str) -> list[Any]:
    return columns(
        ("entity", "entity"),
        ("authority", "authority"),
        ("listing", listing),
        ("program", "program"),
        ("since", "since"),
        ("status", "status"),
        ("id", "id"),
        ("sources", "sources"),
    )


IN_FORCE_DESIGNATION_COLUMNS = _in_force_columns("list")
IN_FORCE_SANCTION_COLUMNS = _in_force_columns("measure")


def in_force_row(record: DesignationRecord | SanctionRecord) -> Row:
    """A designation or sanction in force, as the status report lists it: `since` is the
    stated date, or says that it is the first sighting ("first seen 2022-06-17")."""
    listing = record.list if isinstance(record, DesignationRecord) else record.measure
    return {
        "entity": record.entity.key,
        "authority": record.authority,
        "listing": listing,
        "program": record.program,
        "since": record.since
        if record.since and record.since_stated
        else since_text(record.since, record.since_stated),
        "status": record.status,
        "id": record.id,
        "sources": _sources(record.sources),
    }


def _coverage_note(row: Any, day: str) -> str | None:
    if row.observed_from and day < row.observed_from:
        return f"observed from {row.observed_from}; status before that is unknown"
    if row.observed_until and day > row.observed_until:
        return f"observed until {row.observed_until}; later changes are not known"
    return None


def status_view(report: StatusReport) -> Report:
    designations = {record.id: record for record in report.designations}
    sanctions = {record.id: record for record in report.sanctions}

    def listed(record: DesignationRecord) -> str:
        label = designation_label(record.authority, record.list, record.program)
        if record.status == "active":
            return f"{label} {since_text(record.since, record.since_stated)}"
        return f"{label} ({record.status})"

    targets = [
        {
            "entity": target.entity.key,
            "name": target.entity.name,
            "kind": target.entity.kind,
            "country": target.entity.country,
            "linked": list(target.linked),
            "designations": [listed(designations[i]) for i in target.designations],
            "sanctions": [
                f"{sanctions[i].authority} {sanctions[i].measure} "
                f"{since_text(sanctions[i].since, sanctions[i].since_stated)}"
                for i in target.sanctions
            ],
            "latest_response": (
                f"{entity_label(r.responder)} {r.stance} {r.stated_on}"
                if (r := target.latest_response)
                else None
            ),
        }
        for target in report.targets
    ]
    coverage = [
        {
            "authority": row.authority,
            "list": row.list,
            "observed_from": row.observed_from,
            "observed_until": row.observed_until,
            "note": _coverage_note(row, report.as_of),
        }
        for row in report.coverage
    ]
    return Report(
        kind="status",
        title=f"Designations and sanctions in force as of {report.as_of}",
        sections=[
            Section(
                "coverage",
                "What the imported editions cover",
                columns(
                    ("authority", "authority"),
                    ("list", "list"),
                    ("observed_from", "observed from"),
                    ("observed_until", "observed until"),
                    ("note", "note"),
                ),
                coverage,
                context=True,
            ),
            Section(
                "targets",  # `tracker demo` shows this section by key
                "Entities",
                columns(
                    ("entity", "entity"),
                    ("name", "name"),
                    ("kind", "kind"),
                    ("country", "country"),
                    ("linked", "same target as"),
                    ("designations", "designations"),
                    ("sanctions", "sanctions"),
                    ("latest_response", "latest response"),
                ),
                targets,
            ),
            Section(
                "designations",
                "Designations",
                IN_FORCE_DESIGNATION_COLUMNS,
                [in_force_row(r) for r in report.designations],
            ),
            Section(
                "sanctions",
                "Sanctions",
                IN_FORCE_SANCTION_COLUMNS,
                [in_force_row(r) for r in report.sanctions],
            ),
            Section(
                "totals",
                "Totals by authority and list",
                columns(
                    ("authority", "authority"),
                    ("list", "list"),
                    ("active", "active"),
                    ("pending", "pending"),
                ),
                [vars(total) for total in report.totals],
            ),
        ],
        empty_message=f"nothing in force as of {report.as_of} matched",
        marks=_status_marks(report),
    )


def _status_marks(report: StatusReport) -> list[Mark]:
    responses = [t.latest_response for t in report.targets if t.latest_response]
    if len(report.designations) + len(report.sanctions) + len(responses) > MAX_MARKS:
        return []
    return [
        *(
            Mark(
                r.since or "",
                r.authority,
                r.authority,
                "designation",
                f"{r.entity.key}: {r.authority} {r.list} ({r.status})",
            )
            for r in report.designations
            if r.since
        ),
        *(
            Mark(
                r.since or "",
                r.authority,
                r.authority,
                "sanction",
                f"{r.entity.key}: {r.authority} {r.measure}",
            )
            for r in report.sanctions
            if r.since
        ),
        *(
            Mark(
                r.stated_on,
                r.responder.key,
                r.stance,
                "response",
                f"{r.responder.name} {r.stance} {r.stated_on}",
            )
            for r in responses
        ),
    ]


def _event_marks(events: Sequence[EventRecord]) -> list[Mark]:
    dated = [event for event in events if event.occurred_on]
    if len(dated) > MAX_MARKS:
        return []
    marks = []
    for event in dated:
        detail = f"{event.entity.key if event.entity else ''} {describe(event)}".strip()
        after = event.after or {}
        if event.action == "responded":
            responder = str(after.get("responder"))
            marks.append(
                Mark(
                    event.occurred_on or "", responder, str(after.get("stance")), "response", detail
                )
            )
        elif event.listing is not None:
            authority = event.listing.authority
            marks.append(
                Mark(event.occurred_on or "", authority, authority, event.listing.kind, detail)
            )
        else:
            marks.append(Mark(event.occurred_on or "", "records", "records", "other", detail))
    return marks


def changes_view(report: ChangesReport) -> Report:
    if report.recorded_since is not None:
        title = f"Changes recorded since {report.recorded_since.isoformat(timespec='seconds')}"
    else:
        title = f"Changes from {report.since} to {report.until}"
    return Report(
        kind="changes",
        title=title,
        sections=[
            Section(
                "changes",
                "Changes",
                EVENT_COLUMNS,
                [event_row(event) for event in report.changes],
                group_by="recorded_day" if report.recorded_since else "occurred_on",
            )
        ],
        empty_message="no changes matched",
        marks=_event_marks(report.changes),
    )


def timeline_view(timeline: Timeline) -> Report:
    return Report(
        kind="timeline",
        title=f"Timeline of {timeline.entity.name} ({timeline.entity.key})",
        sections=[
            Section(
                "events",
                "Timeline",
                OWN_EVENT_COLUMNS,
                [event_row(event) for event in timeline.events],
            )
        ],
        empty_message=f"nothing recorded about {timeline.entity.key}",
        marks=_event_marks(timeline.events),
    )


def compare_view(comparison: Comparison) -> Report:
    rows = [
        {
            **vars(standing),
            "lists": list(standing.lists),
            "programs": list(standing.programs),
            "entities": list(standing.entities),
            "note": f"no stated listing date (first seen {standing.first_seen_on}): lag unknown"
            if standing.listed_on is None and standing.first_seen_on
            else None,
        }
        for standing in comparison.authorities
    ]
    section_columns = columns(
        ("authority", "authority"),
        ("lists", "lists"),
        ("programs", "programs"),
        ("listed_on", "listed on"),
        ("listing_lag_days", "lag (days)"),
        ("first_seen_on", "first seen"),
        ("status", "status"),
        ("ended_on", "ended on"),
        ("ending_lag_days", "ending lag (days)"),
        ("removed_on", "gone from edition"),
        ("note", "note"),
        ("entities", "entities"),
    )
    details = columns(
        ("entity", "entity"),
        ("authority", "authority"),
        ("list", "list"),
        ("program", "program"),
        ("effective_on", "since"),
        ("ended_on", "ended"),
        ("seen", "seen in editions"),
        ("status", "status"),
    )
    keys = ", ".join(comparison.target)
    return Report(
        kind="compare",
        title=f"{comparison.entity.name}: status under each authority as of {comparison.as_of}",
        sections=[
            Section("authorities", f"Authorities ({keys})", section_columns, rows),
            Section(
                "designations",
                "Designations",
                details,
                [designation_row(r) for r in comparison.designations],
            ),
        ],
        empty_message=f"no authority has listed {comparison.entity.key}",
    )


HIT_COLUMNS = columns(
    ("rank", "#"),
    ("score", "score"),
    ("key", "key"),
    ("name", "name"),
    ("matched", "matched"),
    ("why", "why"),
    ("in_force", "in force"),
)


def hit_row(rank: int, hit: SearchHit) -> Row:
    return {
        "rank": rank,
        "score": hit.score,
        "key": hit.entity.key,
        "name": hit.entity.name,
        "kind": hit.entity.kind,
        "matched": hit.matched,
        "matched_as": hit.matched_as,
        "why": hit.why,
        "in_force": [listing_label(listing) for listing in hit.in_force],
    }


def search_view(query: str, hits: Sequence[SearchHit]) -> Report:
    return Report(
        kind="search",
        title=f"Search: {query}",
        sections=[
            Section(
                "hits",
                f"Matches for {query!r}",
                HIT_COLUMNS,
                [hit_row(rank, hit) for rank, hit in enumerate(hits, start=1)],
            )
        ],
        empty_message=f"no listed party matches {query!r} above the threshold",
    )


VIEWS: dict[str, Callable[[Any], Report]] = {
    "entities": entities_view,
    "entity": entity_view,
    "designations": designations_view,
    "sanctions": sanctions_view,
    "responses": responses_view,
    "sources": sources_view,
    "authorities": authorities_view,
    "import-runs": import_runs_view,
    "migrations": revisions_view,
    "status": status_view,
    "changes": changes_view,
    "timeline": timeline_view,
    "compare": compare_view,
}
