"""The one reconcile step every list format shares: compare an edition with the database by
each entry's list identifier, a batch at a time, and write what changed (see `writer`).

For a list, an entry is *added* when the list never held its identifier (or held it and had
dropped it), *changed* when what the edition says of it differs from what the previous one
said (exact before / after is recorded, programs included), *removed* when a complete edition
no longer holds it (its listings end, observed gone in this edition), else *unchanged*. What
the previous edition said of each entry is kept in `list_entry` with a digest; the identifiers
this edition held are staged in a temporary table, so memory stays flat however long the list.

Guards: a file whose entry count differs from its own header is refused; an edition that would
delist more than 5% of the list is refused unless allowed; an edition older than the latest
one imported is refused unless forced; the identical file again changes nothing.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.batching import batched
from tracker.db import refresh_planner_statistics
from tracker.errors import Conflict, InvalidInput
from tracker.importers.backfill import BackfillWriter
from tracker.importers.deltas import change_listings
from tracker.importers.entries import ENTRY
from tracker.importers.records import Edition, ImportTally, ListedParty, Progress
from tracker.importers.writer import EditionWriter
from tracker.models import IDENTIFIER_VALUE_LENGTH, PROGRAM_LENGTH, ImportRun, utc_now
from tracker.records import ImportOptions
from tracker.services.core import core, insert_rows
from tracker.services.sources import SourceCreate, add_source
from tracker.storable import unstorable
from tracker.validation import check_length
from tracker.watches.raising import raise_for_import

MASS_DELISTING_SHARE = 0.05
BATCH = 2_000  # entries written together
# Tables an import fills, whose planner statistics are refreshed as they double in size.
GROWING_TABLES = ("entity", "identifier", "alias", "list_entry", "designation", "sanction",
                  "citation", "event", "search_name", "search_key")  # fmt: skip
STATISTICS_FROM = 4 * BATCH
SEEN = sa.Table(
    "tracker_import_seen",
    sa.MetaData(),
    sa.Column("identifier", sa.String(IDENTIFIER_VALUE_LENGTH), primary_key=True),
)


def _previous_runs(session: Session, edition: Edition) -> list[ImportRun]:
    return list(session.exec(select(ImportRun).where(ImportRun.list_key == edition.list_key)))


def _check_edition(
    previous: list[ImportRun], edition: Edition, summary: ImportTally, options: ImportOptions
) -> bool:
    """False when this exact file was imported already; raises when the edition is refused."""
    if any(run.sha256 == summary.sha256 for run in previous):
        return False
    latest = max((run.published_on for run in previous if run.published_on), default=None)
    if latest and edition.published_on and edition.published_on < latest and not options.force:
        raise Conflict(
            f"{summary.file_name}: edition of {edition.published_on} is older than the latest"
            f" imported ({latest}): give --force to import it anyway"
        )
    return True


def _check_party(party: ListedParty, file_name: str) -> None:
    """An entry the tables cannot hold is the file's fault: say which entry, write nothing."""
    where = f"{file_name}: entry {party.identifier[:40]}" + (
        f" (line {party.line})" if party.line else ""
    )
    try:
        for text in (party.identifier, party.name, party.comparable_text,
                     *(alias.name for alias in party.aliases)):  # fmt: skip
            # JSON files can spell NUL or half a surrogate pair; no database can store them.
            if (problem := unstorable(text)) is not None:
                raise InvalidInput(f"text {problem}")
        check_length(party.identifier, "identifier", IDENTIFIER_VALUE_LENGTH)
        check_length(party.name, "name")
        for alias in party.aliases:
            check_length(alias.name, "alias")
        for listing in party.listings:
            check_length(listing.program, "program", PROGRAM_LENGTH)
        for scheme, value in party.cross_references:
            check_length(value, f"{scheme} identifier", IDENTIFIER_VALUE_LENGTH)
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error}") from error


@contextmanager
def _seen(session: Session) -> Iterator[sa.Connection]:
    """A temporary table of the identifiers the edition held, emptied before and after."""
    connection = core(session)
    suffix = " ON COMMIT DROP" if connection.dialect.name == "postgresql" else ""
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {SEEN.name}"
        f" (identifier VARCHAR({IDENTIFIER_VALUE_LENGTH}) PRIMARY KEY){suffix}"
    )
    connection.execute(SEEN.delete())
    try:
        yield connection
    finally:
        if not connection.closed and not connection.invalidated:
            connection.execute(SEEN.delete())


def _stage(connection: sa.Connection, batch: Sequence[ListedParty], file_name: str) -> None:
    """Stage the batch's identifiers; one the edition already held is an error naming it."""
    identifiers = [party.identifier for party in batch]
    once: set[str] = set()
    twice: set[str] = set()
    for identifier in identifiers:
        (twice if identifier in once else once).add(identifier)
    if not twice:
        twice = set(
            connection.execute(
                sa.select(SEEN.c.identifier).where(SEEN.c.identifier.in_(identifiers))
            ).scalars()
        )
    if twice:
        party = next(p for p in batch if p.identifier in twice)
        where = f"{file_name}: entry {party.identifier[:40]}" + (
            f" (line {party.line})" if party.line else ""
        )
        raise InvalidInput(f"{where} appears twice")
    insert_rows(connection, SEEN, [{"identifier": i} for i in identifiers])


def _edition_source(session: Session, edition: Edition, sha256: str, url: str | None) -> int:
    """The edition as a source: who published it, where, when, and the file read."""
    spec = edition.spec
    day = edition.published_on or "unknown date"
    data = SourceCreate(
        title=f"{spec.title} {edition.list_code}, edition of {day}",
        publisher=spec.publisher,
        url=url or edition.official_url,
        document_number=edition.document_number,
        published_on=edition.published_on,
        file_name=", ".join(path.name for path in edition.files),
        sha256=sha256,
    )
    source = add_source(session=session, data=data, exist_ok=True)
    assert source.id is not None
    return source.id


def _gone(connection: sa.Connection, edition: Edition) -> list[str]:
    """Entries on the list that the edition no longer holds (a delta: those it withdrew)."""
    if not edition.complete:
        return list(dict.fromkeys(edition.withdrawn))
    return list(
        connection.execute(
            sa.select(ENTRY.c.identifier).where(
                ENTRY.c.list_key == edition.list_key,
                ENTRY.c.removed_on.is_(None),
                ENTRY.c.identifier.not_in(sa.select(SEEN.c.identifier)),
            )
        ).scalars()
    )


def _listed_count(connection: sa.Connection, edition: Edition) -> int:
    return connection.execute(
        sa.select(sa.func.count())
        .select_from(ENTRY)
        .where(ENTRY.c.list_key == edition.list_key, ENTRY.c.removed_on.is_(None))
    ).scalar_one()


def import_edition(
    *,
    session: Session,
    edition: Edition,
    summary: ImportTally,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportTally:
    """Reconcile one edition with the database inside the caller's transaction."""
    summary.dry_run = options.dry_run
    summary.complete = edition.complete
    previous = _previous_runs(session, edition)
    if not _check_edition(previous, edition, summary, options):
        summary.already_imported = True
        summary.unchanged = sum(1 for _ in edition.parties)
        return summary
    source_id = _edition_source(session, edition, summary.sha256, options.url)
    run = ImportRun(
        format=edition.format,
        list_key=edition.list_key,
        list_code=edition.list_code,
        source_id=source_id,
        complete=edition.complete,
        file_name=summary.file_name,
        sha256=summary.sha256,
        published_on=edition.published_on,
        started_at=utc_now(),
    )
    session.add(run)
    session.flush()
    summary.run_id, summary.source_id = run.id, source_id
    later = sorted(
        (r for r in previous if r.published_on and edition.published_on
         and r.published_on > edition.published_on),
        key=lambda r: r.published_on or "",
    )  # fmt: skip
    writer = (
        BackfillWriter(session, edition, run, summary, later[0])
        if later
        else EditionWriter(session, edition, run, summary)
    )
    with _seen(session) as connection:
        listed_before = _listed_count(connection, edition)
        parsed, refresh_at = 0, STATISTICS_FROM
        for batch in batched(edition.parties, BATCH):
            for party in batch:
                _check_party(party, summary.file_name)
            _stage(connection, batch, summary.file_name)
            writer.apply(batch)
            parsed += len(batch)
            if parsed >= refresh_at:
                refresh_planner_statistics(connection, GROWING_TABLES)
                refresh_at *= 2
            if progress is not None:
                progress(len(batch))
        if edition.declared_count is not None and parsed != edition.declared_count:
            raise InvalidInput(
                f"{summary.file_name}: the file says it holds {edition.declared_count} entries"
                f" but {parsed} were read: refusing a partial or damaged file"
            )
        gone = [] if later else _gone(connection, edition)
        if (
            edition.complete
            and listed_before
            and len(gone) > MASS_DELISTING_SHARE * listed_before
            and not options.allow_mass_delisting
        ):
            raise Conflict(
                f"{summary.file_name}: this edition would delist {len(gone)} of the"
                f" {listed_before} entries on the list ({len(gone) / listed_before:.1%},"
                f" more than {MASS_DELISTING_SHARE:.0%}): refusing; give"
                " --allow-mass-delisting if the list really shrank"
            )
        unknown = writer.delist(gone)
        change_listings(writer, edition.listing_changes, withdrawn=unknown)
        if not later:
            writer.see(SEEN)
        writer.relate()
    if not options.dry_run:
        raise_for_import(session, run)  # what watches cover, in the import's transaction
    run.added, run.changed, run.removed = summary.added, summary.changed, summary.removed
    run.unchanged = summary.unchanged
    run.finished_at = utc_now()
    session.add(run)
    return summary
