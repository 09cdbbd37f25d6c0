"""The public Python API: everything the command line does, as calls with typed results.

    import tracker

    with tracker.connect("cases.db") as db:           # a file path or a database URL
        db.upgrade()
        db.add_entity("Cartel de los Soles", kind="organization", country="VE")
        db.designate("cartel-de-los-soles", authority="us-state", list="FTO",
                     announced="2025-11-16", effective="2025-11-24")
        report = db.status(as_of="2025-12-01")

`Tracker` owns the engine and the transactions: every call is one transaction, all or
nothing. Results are frozen dataclasses of `tracker.records`; errors are `TrackerError`s
(`tracker.errors`). This module is the supported surface; the rest of the package is
internal and may change.

The importers, the exporters, the seeds and dump / restore load in the methods that use
them: a search or a report does not pay for them at start-up.
"""

import datetime as dt
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from tracker import migrations
from tracker.config import DEFAULT_LIMIT, DEFAULT_THRESHOLD, database_url
from tracker.dates import as_of_day, until_day
from tracker.db import create_engine, is_busy, is_out_of_time, transaction
from tracker.enums import AliasKind, DesignationStatus, EntityKind, SanctionMeasure, Stance
from tracker.errors import (
    Conflict,
    DatabaseBusy,
    DatabaseError,
    DatabaseNotReady,
    InvalidInput,
    InvalidValue,
    OutOfTime,
    TrackerError,
)
from tracker.matching.facts import SHORTEST_NUMBER, identifier_keys, split_reference
from tracker.models import (
    IDENTIFIER_VALUE_LENGTH,
    LIST_CODE_LENGTH,
    Event,
    ImportRun,
    Response,
    Source,
)
from tracker.records import (
    AuthorityRecord,
    ChangesReport,
    Comparison,
    Coverage,
    DesignationRecord,
    DumpSummary,
    EntityProfile,
    EntityRecord,
    ExportSummary,
    Filters,
    ImportOptions,
    ImportRunRecord,
    ImportSummary,
    ResponseRecord,
    RevisionRecord,
    SanctionRecord,
    ScreenQuery,
    ScreenResult,
    SearchHit,
    SeedSummary,
    SourceRef,
    StatusReport,
    Timeline,
)
from tracker.reports import facts
from tracker.reports.changes import changes_report, timeline_report
from tracker.reports.compare import compare_report
from tracker.reports.search import SearchScope, find_by_identifier
from tracker.reports.search import search as search_names
from tracker.reports.status import coverage as list_coverage
from tracker.reports.status import status_report
from tracker.services import authorities as authority_service
from tracker.services import designations as designation_service
from tracker.services import entities as entity_service
from tracker.services import links as link_service
from tracker.services import responses as response_service
from tracker.services import sanctions as sanction_service
from tracker.services.lookup import (
    authority_by_key,
    by_id,
    designation_by_ref,
    entity_by_key,
    sanction_by_ref,
)
from tracker.services.search_index import reindex_all
from tracker.services.sources import SourceCreate, add_source, resolve_sources
from tracker.storable import unstorable
from tracker.validation import date_option, validated

if TYPE_CHECKING:
    from tracker.screening.records import (
        DecisionRecord,
        ScreeningInput,
        ScreeningRecord,
        ScreeningReport,
        ScreeningRunRecord,
    )
    from tracker.sync.fetch import Limits
    from tracker.sync.records import SyncAttempt, SyncRunRecord
    from tracker.sync.sources import ListSource
    from tracker.watches.records import AlertRecord, DeliveryRound, WatchRecord

PathLike = str | os.PathLike[str]
# Called as an import goes: (entries written in this batch, entries the file says it holds).
Progress = Callable[[int, int | None], None]


def connect(url: PathLike | None = None) -> "Tracker":
    """A connection to the database at `url` (a URL or a SQLite file path; default: the
    TRACKER_DATABASE_URL environment variable, else tracker.db)."""
    return Tracker(url)


class Tracker:
    """One database, and everything tracker does with it."""

    def __init__(self, url: PathLike | None = None) -> None:
        self.url = database_url(os.fspath(url) if url is not None else None)
        self._engines: dict[bool, Engine] = {}
        # The read transaction of a `snapshot()` block, per thread or task.
        self._snapshot: ContextVar[Session | None] = ContextVar(f"snapshot-{id(self)}",
                                                                default=None)  # fmt: skip

    def __repr__(self) -> str:
        return f"Tracker({self.url!r})"

    def __enter__(self) -> "Tracker":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections (the object can be used again after)."""
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    # -- transactions -------------------------------------------------------------------

    def _engine(self, *, create: bool = False) -> Engine:
        if create not in self._engines:
            self._engines[create] = create_engine(self.url, must_exist=not create)
        return self._engines[create]

    @contextmanager
    def snapshot(self) -> Iterator["Tracker"]:
        """Answer several questions from one snapshot of the database: inside the block,
        every call that reads sees the same committed state (a page showing an entity and
        its timeline while an import commits shows one edition, never a mix), and calls
        that write are refused. Per thread: other threads are not in the block."""
        if self._snapshot.get() is not None:
            yield self
            return
        with self._session(read_only=True) as session:
            token = self._snapshot.set(session)
            try:
                yield self
            finally:
                self._snapshot.reset(token)

    @contextmanager
    def _session(self, *, read_only: bool) -> Iterator[Session]:
        held = self._snapshot.get()
        if held is not None:
            if not read_only:
                raise InvalidValue("a snapshot only reads: write outside `with db.snapshot()`")
            yield held
            return
        engine = self._engine()
        with _database_errors(), transaction(engine, read_only=read_only) as session:
            migrations.check_at_head(engine, session.connection())
            yield session

    def _read(self) -> Any:
        """A read-only transaction on a migrated database (one snapshot)."""
        return self._session(read_only=True)

    def _write(self) -> Any:
        """One transaction on a migrated database: every write of the call, or none."""
        return self._session(read_only=False)

    # -- operate ------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> str | None:
        """Migrate the database up (creating it if needed); the revision it is at now."""
        engine = self._engine(create=True)
        with _database_errors():
            migrations.upgrade(engine, revision)
            return migrations.current_revision(engine)

    def downgrade(self, revision: str = "-1") -> str | None:
        """Migrate the database down (`base` removes every table); the revision now."""
        engine = self._engine()
        with _database_errors():
            migrations.downgrade(engine, revision)
            return migrations.current_revision(engine)

    def exists(self) -> bool:
        """Whether there is a database to open (a SQLite file that does not exist is none)."""
        try:
            self._engine()
        except DatabaseNotReady:
            return False
        return True

    @staticmethod
    def head() -> str:
        """The schema revision this tracker needs."""
        return migrations.head_revision()

    def revision(self) -> str | None:
        """The database's schema revision (None: no tracker schema yet)."""
        with _database_errors():
            return migrations.current_revision(self._engine())

    def ensure_ready(self) -> None:
        """Raise `DatabaseNotReady` unless the database exists at the schema this tracker
        needs (what every call checks first; a server checks it once at start)."""
        engine = self._engine()
        with _database_errors():
            migrations.ensure_at_head(engine)

    def data_version(self) -> tuple[int, int]:
        """A value that changes whenever the data does, cheap to ask (two index lookups): every
        change records an event, every import an import run. A server keys cached answers
        by it."""
        with self._read() as session:
            newest = session.connection().execute(
                select(select(func.max(Event.id)).scalar_subquery(),
                       select(func.max(ImportRun.id)).scalar_subquery())
            ).one()  # fmt: skip
            return (newest[0] or 0, newest[1] or 0)

    def check(self) -> list[str]:
        """Differences between the database's schema and the models (empty: they agree)."""
        engine = self._engine()
        with _database_errors():
            migrations.ensure_at_head(engine)
            return migrations.schema_differences(engine)

    @staticmethod
    def migrations() -> list[RevisionRecord]:
        return [
            RevisionRecord(info.revision, info.down_revision, info.message, info.is_head)
            for info in migrations.history()
        ]

    def seed(self, paths: Sequence[PathLike] | None = None) -> SeedSummary:
        """Load seed files (default: the shipped seeds), migrating first; loading the same
        seeds twice adds nothing."""
        from tracker.services.seed_files import default_seed_paths
        from tracker.services.seeds import load_seeds

        self.upgrade()
        with self._write() as session:
            result = load_seeds(
                session, [Path(p) for p in paths] if paths else default_seed_paths()
            )
        return SeedSummary(tuple(result.files), dict(result.added), result.events)

    def reindex(self) -> int:
        """Rebuild the name-search index; the number of entities indexed."""
        with self._write() as session:
            return reindex_all(session)

    def dump(self, path: PathLike) -> DumpSummary:
        """Every table as versioned JSON lines (`-`: standard output), one snapshot."""
        from tracker import backup

        with self._read() as session:
            summary = backup.dump(session.connection(), Path(path))
        return DumpSummary(str(path), summary.revision, summary.rows, dict(summary.counts))

    def is_empty(self) -> bool:
        """True when no table holds a row (a new database, or one not created yet)."""
        from tracker import backup

        if not self.exists() or self.revision() is None:
            return True
        with _database_errors(), transaction(self._engine()) as session:
            return backup.is_empty(session.connection())

    def restore(self, path: PathLike, *, replace: bool = False) -> DumpSummary:
        """Load a dump into this database (created and migrated first). A database holding
        data is refused (a `Conflict`) unless `replace`: then its rows are deleted in the
        load's transaction, so a failed load leaves them as they were. A dump an older
        tracker wrote is loaded at its own revision, then migrated and reindexed."""
        from tracker import backup

        source = Path(path)
        if source != backup.STDIO and not source.is_file():
            raise InvalidValue(f"no such file: {source}")
        revision = migrations.head_revision()
        if source != backup.STDIO:
            revision = backup.dump_revision(source)
        if replace and self.exists() and self.revision() != revision:
            raise Conflict(
                f"the dump is at revision {revision}, the database at {self.revision()}:"
                " restore it into a new database"
            )
        engine = self._engine(create=True)
        with _database_errors():
            migrations.upgrade(engine, revision)
            with transaction(engine) as session:
                summary = backup.restore(session.connection(), source, replace=replace)
            if revision != migrations.head_revision():
                migrations.upgrade(engine)
                with transaction(engine) as session:
                    reindex_all(session)
        return DumpSummary(str(path), summary.revision, summary.rows, dict(summary.counts))

    def export_ftm(self, path: PathLike) -> ExportSummary:
        """Every entity, identifier, designation, sanction and response as FollowTheMoney
        JSON lines (`-`: standard output)."""
        from tracker import backup
        from tracker.exporters import ftm as ftm_export

        with self._read() as session, backup.open_text(Path(path), "w") as out:
            summary = ftm_export.export(session, out)
        return ExportSummary(str(path), summary.total, dict(summary.counts))

    # -- record -------------------------------------------------------------------------

    def add_entity(
        self,
        name: str,
        *,
        kind: EntityKind | str,
        key: str | None = None,
        country: str | None = None,
        description: str | None = None,
        aliases: Sequence[str] = (),
        identifiers: Sequence[str] = (),
        allow_duplicate: bool = False,
    ) -> EntityRecord:
        """Record an entity; the key defaults to a slug of the name. `identifiers` are
        "SCHEME:VALUE" (e.g. "ofac-uid:36"). One of the same kind and name is a `Conflict`
        naming it unless `allow_duplicate`."""
        data = validated(
            entity_service.EntityCreate,
            name=name,
            kind=_enum(EntityKind, kind, "kind"),
            key=key,
            country=country,
            description=description,
            aliases=tuple(aliases),
            identifiers=tuple(identifiers),
        )
        with self._write() as session:
            entity = entity_service.add_entity(
                session=session, data=data, allow_duplicate=allow_duplicate
            )
            return facts.entity_record(entity)

    def edit_entity(
        self,
        key: str,
        *,
        name: str | None = None,
        kind: EntityKind | str | None = None,
        country: str | None = None,
        description: str | None = None,
    ) -> tuple[EntityRecord, dict[str, Any]]:
        """Change fields of an entity; the entity now and the fields that changed."""
        given = {
            field: value
            for field, value in {
                "name": name,
                "kind": kind and _enum(EntityKind, kind, "kind"),
                "country": country,
                "description": description,
            }.items()
            if value is not None
        }
        if not given:
            raise InvalidValue("give at least one of name, kind, country, description")
        data = validated(entity_service.EntityEdit, **given)
        with self._write() as session:
            entity = entity_by_key(session, key)
            changed = entity_service.edit_entity(session=session, entity=entity, data=data)
            return facts.entity_record(entity), changed

    def add_alias(
        self,
        key: str,
        name: str,
        *,
        kind: AliasKind | str = AliasKind.AKA,
        language: str | None = None,
        on: str | None = None,
    ) -> None:
        """Give an entity another name (`on`: when it was given, if known)."""
        occurred_on = date_option(on, "on")
        with self._write() as session:
            entity_service.add_alias(
                session=session,
                entity=entity_by_key(session, key),
                name=name,
                kind=_enum(AliasKind, kind, "kind"),
                language=language,
                occurred_on=occurred_on,
            )

    def remove_alias(self, key: str, name: str) -> None:
        """Take a name recorded by hand off an entity (an `alias-removed` event keeps it);
        a name an imported edition gave is a `Conflict`."""
        with self._write() as session:
            entity_service.remove_alias(
                session=session, entity=entity_by_key(session, key), name=name
            )

    def identify(self, key: str, identifier: str) -> tuple[str, str]:
        """Attach an identifier ("SCHEME:VALUE"), unique per scheme; (scheme, value)."""
        scheme, value = entity_service.split_identifier(identifier)
        with self._write() as session:
            entity_service.add_identifier(
                session=session, entity=entity_by_key(session, key), scheme=scheme, value=value
            )
        return scheme, value

    def link(self, first: str, second: str, *, note: str | None = None) -> None:
        """Say that two entities are one real-world target (nothing is merged)."""
        with self._write() as session:
            link_service.link(
                session=session,
                first=entity_by_key(session, first),
                second=entity_by_key(session, second),
                note=note,
            )

    def unlink(self, first: str, second: str, *, note: str | None = None) -> None:
        """Take back a link made with `link`; both keep its history."""
        with self._write() as session:
            link_service.unlink(
                session=session,
                first=entity_by_key(session, first),
                second=entity_by_key(session, second),
                note=note,
            )

    def add_authority(
        self, key: str, *, name: str, jurisdiction: str, description: str | None = None
    ) -> AuthorityRecord:
        """Record who designates or sanctions (the seeds hold the usual ones), e.g.
        `add_authority("ca-gac", name="Global Affairs Canada", jurisdiction="CA")`."""
        data = validated(
            authority_service.AuthorityCreate,
            key=key,
            name=name,
            jurisdiction=jurisdiction,
            description=description,
        )
        with self._write() as session:
            authority = authority_service.add_authority(session=session, data=data)
            return AuthorityRecord(
                authority.key, authority.name, authority.jurisdiction, authority.description
            )

    def add_source(
        self,
        *,
        title: str,
        url: str | None = None,
        publisher: str | None = None,
        document_number: str | None = None,
        published: str | None = None,
        allow_duplicate: bool = False,
    ) -> SourceRef:
        """Record a document; its id can then be cited by any `sources` argument. A URL
        already recorded is a `Conflict`; so is the same title and document number without
        a URL, unless `allow_duplicate`."""
        data = validated(
            SourceCreate,
            title=title,
            url=url,
            publisher=publisher,
            document_number=document_number,
            published_on=published,
        )
        with self._write() as session:
            source = add_source(session=session, data=data, allow_duplicate=allow_duplicate)
            assert source.id is not None
            return facts.source_list(session, ids=[source.id])[0]

    def designate(
        self,
        key: str,
        *,
        authority: str,
        list: str,
        program: str | None = None,
        basis: str | None = None,
        announced: str | None = None,
        effective: str | None = None,
        reason: str | None = None,
        sources: Sequence[str | int] = (),
        allow_duplicate: bool = False,
    ) -> DesignationRecord:
        """Record that an authority designated an entity on a list. Announced without an
        effective date, it is pending until it takes effect (`amend_designation`).
        `sources` are URLs (recorded once) or ids of sources already recorded. The same
        listing not yet ended is a `Conflict` naming it unless `allow_duplicate`."""
        data = validated(
            designation_service.DesignationCreate,
            list_code=list,
            program=program,
            legal_basis=basis,
            announced_on=announced,
            effective_on=effective,
            reason=reason,
        )
        with self._write() as session:
            designation = designation_service.designate(
                session=session,
                entity=entity_by_key(session, key),
                authority=authority_by_key(session, authority),
                data=data,
                sources=resolve_sources(session=session, refs=[str(s) for s in sources]),
                allow_duplicate=allow_duplicate,
            )
            assert designation.id is not None
            return self._designation(session, designation.id)

    def amend_designation(
        self,
        designation: int | str,
        *,
        list: str | None = None,
        program: str | None = None,
        basis: str | None = None,
        announced: str | None = None,
        effective: str | None = None,
        reason: str | None = None,
        notes: str | None = None,
        on: str | None = None,
        sources: Sequence[str | int] = (),
    ) -> tuple[DesignationRecord, dict[str, Any]]:
        """Change fields of a designation (its id, or `KEY/AUTHORITY/LIST[/PROGRAM]`),
        recording each field's before and after; the designation now and the fields that
        changed."""
        given = {
            field: value
            for field, value in {
                "list_code": list,
                "program": program,
                "legal_basis": basis,
                "announced_on": announced,
                "effective_on": effective,
                "reason": reason,
                "notes": notes,
            }.items()
            if value is not None
        }
        data = validated(designation_service.DesignationAmend, **given)
        amended_on = date_option(on, "on")
        with self._write() as session:
            row = designation_by_ref(session, str(designation))
            changed = designation_service.amend(
                session=session,
                designation=row,
                data=data,
                on=amended_on,
                sources=resolve_sources(session=session, refs=[str(s) for s in sources]),
            )
            assert row.id is not None
            return self._designation(session, row.id), changed

    def revoke_designation(
        self,
        designation: int | str,
        *,
        on: str,
        reason: str | None = None,
        sources: Sequence[str | int] = (),
    ) -> DesignationRecord:
        """End a designation (its id or `KEY/AUTHORITY/LIST[/PROGRAM]`) on the date its
        source states."""
        ended_on = date_option(on, "on")
        assert ended_on is not None
        with self._write() as session:
            row = designation_by_ref(session, str(designation))
            designation_service.revoke(
                session=session,
                designation=row,
                on=ended_on,
                reason=reason,
                sources=resolve_sources(session=session, refs=[str(s) for s in sources]),
            )
            assert row.id is not None
            return self._designation(session, row.id)

    def impose_sanction(
        self,
        key: str,
        *,
        authority: str,
        measure: SanctionMeasure | str,
        start: str,
        end: str | None = None,
        program: str | None = None,
        basis: str | None = None,
        notes: str | None = None,
        sources: Sequence[str | int] = (),
        allow_duplicate: bool = False,
    ) -> SanctionRecord:
        """Record a measure (asset freeze, travel ban...) imposed on an entity. The same
        measure not yet lifted is a `Conflict` naming it unless `allow_duplicate`."""
        data = validated(
            sanction_service.SanctionCreate,
            measure=_enum(SanctionMeasure, measure, "measure"),
            program=program,
            legal_basis=basis,
            start_on=start,
            end_on=end,
            notes=notes,
        )
        with self._write() as session:
            sanction = sanction_service.impose(
                session=session,
                entity=entity_by_key(session, key),
                authority=authority_by_key(session, authority),
                data=data,
                sources=resolve_sources(session=session, refs=[str(s) for s in sources]),
                allow_duplicate=allow_duplicate,
            )
            assert sanction.id is not None
            return self._sanction(session, sanction.id)

    def lift_sanction(
        self, sanction: int | str, *, on: str, sources: Sequence[str | int] = ()
    ) -> SanctionRecord:
        """Lift a sanction (its id or `KEY/AUTHORITY/MEASURE[/PROGRAM]`) on a date."""
        lifted_on = date_option(on, "on")
        assert lifted_on is not None
        with self._write() as session:
            row = sanction_by_ref(session, str(sanction))
            sanction_service.lift(
                session=session,
                sanction=row,
                on=lifted_on,
                sources=resolve_sources(session=session, refs=[str(s) for s in sources]),
            )
            assert row.id is not None
            return self._sanction(session, row.id)

    def respond(
        self,
        *,
        by: str,
        about: str,
        stance: Stance | str,
        on: str,
        summary: str,
        sources: Sequence[str | int] = (),
        allow_duplicate: bool = False,
    ) -> ResponseRecord:
        """Record what a party said or did about `about`: "designation:ID", "sanction:ID"
        or "entity:KEY". The same stance on the same subject and day is a `Conflict`
        unless `allow_duplicate`."""
        data = validated(
            response_service.ResponseCreate,
            stance=_enum(Stance, stance, "stance"),
            stated_on=on,
            summary=summary,
        )
        with self._write() as session:
            response = response_service.respond(
                session=session,
                responder=entity_by_key(session, by),
                subject=response_service.resolve_subject(session=session, text=about),
                data=data,
                sources=resolve_sources(session=session, refs=[str(s) for s in sources]),
                allow_duplicate=allow_duplicate,
            )
            assert response.id is not None
            return facts.response_list(session, ids=[response.id])[0]

    # -- import -------------------------------------------------------------------------

    def import_list(
        self,
        path: PathLike,
        *,
        format: str | None = None,
        list: str | None = None,
        published: str | None = None,
        dry_run: bool = False,
        force: bool = False,
        allow_mass_delisting: bool = False,
        url: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Import one edition of an official list (the format detected from its content
        when not given), recording what changed since the previous edition. One
        transaction: a broken file leaves the database as it was. `progress` is called with
        the number of entries of each batch written."""
        from tracker.importers.reconcile import import_edition

        edition, tally = _edition(path, format, list, date_option(published, "published"))
        options = ImportOptions(
            dry_run=dry_run, force=force, allow_mass_delisting=allow_mass_delisting, url=url
        )
        total = edition.declared_count

        def advance(count: int) -> None:
            if progress is not None:
                progress(count, total)

        with self._session(read_only=dry_run) as session:
            import_edition(
                session=session, edition=edition, summary=tally, options=options, progress=advance
            )
        return tally.freeze()

    def import_runs(self) -> list[ImportRunRecord]:
        """Every import, newest first."""
        with self._read() as session:
            return facts.import_run_list(session)

    def sync(
        self,
        sources: "Sequence[ListSource]",
        *,
        archive: PathLike | None = None,
        limits: "Limits | None" = None,
        allow_mass_delisting: bool = False,
    ) -> "list[SyncRunRecord]":
        """Follow lists (`tracker.sync.sources`): download each (a conditional GET), import a
        new edition as `import_list` would and archive the exact file, one sync run per list
        (a failure is a run too, and changes nothing). `archive` defaults to
        TRACKER_ARCHIVE_DIR, else `<db>.archive/` beside a SQLite file. A second sync on the
        same archive at the same time is refused (`SyncBusy`)."""
        from tracker.sync import runner
        from tracker.sync.fetch import Limits

        folder = runner.archive_folder(self.url, archive)
        return runner.sync_round(
            self,
            sources,
            archive=folder,
            limits=limits or Limits(),
            allow_mass_delisting=allow_mass_delisting,
        )

    def import_synced(
        self,
        path: PathLike,
        attempt: "SyncAttempt",
        *,
        list: str | None = None,
        allow_mass_delisting: bool = False,
        stage: "Callable[[ImportSummary], str]",
    ) -> "SyncRunRecord":
        """Import a downloaded edition and record its sync run in the same transaction: the
        import `import_list` does (same guards and provenance, cited by the URL), then
        `stage(summary)`, which puts the file where the archive keeps it and names it, then
        the run. Raises, having written nothing, when the import or `stage` does."""
        from tracker.enums import SyncOutcome
        from tracker.importers.reconcile import import_edition
        from tracker.models import SyncRun, utc_now
        from tracker.sync.records import SyncRunRecord

        edition, tally = _edition(path, attempt.format, list, None)
        options = ImportOptions(allow_mass_delisting=allow_mass_delisting, url=attempt.url)
        with self._write() as session:
            import_edition(session=session, edition=edition, summary=tally, options=options)
            summary = tally.freeze()
            if edition.complete and not summary.added + summary.changed + summary.unchanged:
                # What `tracker import` takes from a person who chose the file, a download
                # may not: a whole list with no entries is an error page or the wrong file.
                raise InvalidInput(
                    f"{summary.file_name}: no entries read: refusing an empty list"
                    " (an error page, or not a file of this format?)"
                )
            archive_path = stage(summary)
            run = SyncRun(
                **vars(attempt),
                finished_at=utc_now(),
                outcome=SyncOutcome.UNCHANGED if summary.already_imported else SyncOutcome.OK,
                reason="this file was imported before" if summary.already_imported else None,
                published_on=summary.published_on,
                archive_path=archive_path,
                import_run_id=summary.run_id,
                added=summary.added,
                changed=summary.changed,
                removed=summary.removed,
            )
            session.add(run)
            session.flush()
            return SyncRunRecord(**run.model_dump())

    def record_sync_run(
        self,
        attempt: "SyncAttempt",
        outcome: str,
        *,
        reason: str | None = None,
        previous: "SyncRunRecord | None" = None,
    ) -> "SyncRunRecord":
        """Record a sync run that imported nothing: failed (with its reason), or unchanged
        (then the edition it still stands on, `previous`, is named again: its file, digest
        and date, and the validators the server did not repeat)."""
        from tracker.enums import SyncOutcome
        from tracker.models import SyncRun, utc_now
        from tracker.sync.records import SyncRunRecord

        chosen = _enum(SyncOutcome, outcome, "outcome")
        kept: dict[str, Any] = {}
        if chosen == SyncOutcome.UNCHANGED and previous is not None:
            kept = {
                "sha256": attempt.sha256 or previous.sha256,
                "etag": attempt.etag or previous.etag,
                "last_modified": attempt.last_modified or previous.last_modified,
                "published_on": previous.published_on,
                "archive_path": previous.archive_path,
            }
        with self._write() as session:
            run = SyncRun(
                **{**vars(attempt), **kept},
                finished_at=utc_now(),
                outcome=chosen,
                reason=reason,
            )
            session.add(run)
            session.flush()
            return SyncRunRecord(**run.model_dump())

    def sync_runs(
        self, *, name: str | None = None, outcome: str | None = None, limit: int | None = None
    ) -> "list[SyncRunRecord]":
        """Sync runs, newest first: of one list, of one outcome."""
        from sqlmodel import col

        from tracker.enums import SyncOutcome
        from tracker.models import SyncRun
        from tracker.sync.records import SyncRunRecord

        query = select(SyncRun).order_by(col(SyncRun.id).desc())
        if name is not None:
            query = query.where(col(SyncRun.name) == name)
        if outcome is not None:
            query = query.where(col(SyncRun.outcome) == _enum(SyncOutcome, outcome, "outcome"))
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [SyncRunRecord(**run.model_dump()) for run in session.scalars(query)]

    def last_sync(self, name: str) -> "SyncRunRecord | None":
        """The latest sync run of a list that did not fail: the edition it stands on."""
        from sqlmodel import col

        from tracker.enums import SyncOutcome
        from tracker.models import SyncRun
        from tracker.sync.records import SyncRunRecord

        query = (
            select(SyncRun)
            .where(col(SyncRun.name) == name, col(SyncRun.outcome) != SyncOutcome.FAILED)
            .order_by(col(SyncRun.id).desc())
            .limit(1)
        )
        with self._read() as session:
            run = session.scalars(query).first()
            return SyncRunRecord(**run.model_dump()) if run else None

    def sync_archived(self, archive_path: str) -> bool:
        """Whether a sync run that committed names this archive file."""
        from sqlmodel import col

        from tracker.models import SyncRun

        query = select(col(SyncRun.id)).where(col(SyncRun.archive_path) == archive_path).limit(1)
        with self._read() as session:
            return session.scalars(query).first() is not None

    # -- watches and alerts -------------------------------------------------------------

    def watch(
        self,
        kind: str,
        target: str,
        *,
        threshold: float | None = None,
        note: str | None = None,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        by: str | None = None,
    ) -> "WatchRecord":
        """Follow an entity (its key; entities linked to it as the same target too), a
        program (its code), a list (AUTHORITY/LIST) or a name (matched at `threshold`, the
        screening default if None): each import then raises an alert for what it changes that
        the watch covers, POSTed to `webhook_url` (signed with `webhook_secret`) if given.
        `by` defaults to the user name."""
        from tracker.watches import manage

        with self._write() as session:
            made = manage.add_watch(session, kind=kind, target=target, threshold=threshold,
                                    note=note, webhook_url=webhook_url,
                                    webhook_secret=webhook_secret, by=by)  # fmt: skip
            return manage.watch_record(made, target if made.entity_id else None)

    def watches(self, *, include_removed: bool = False) -> "list[WatchRecord]":
        """The active watches (and removed ones too), in the order they were added."""
        from tracker.watches import manage

        with self._read() as session:
            return manage.watch_list(session, include_removed=include_removed)

    def unwatch(self, watch_id: int) -> "WatchRecord":
        """Stop a watch; it is kept, marked removed, so its alerts still name it."""
        from tracker.watches import manage

        with self._write() as session:
            watch = manage.remove_watch(session, watch_id)
            return manage.watch_record(watch, watch.target if watch.entity_id else None)

    def alerts(
        self,
        *,
        since: "str | dt.date | dt.datetime | None" = None,
        unread: bool = False,
        watch: int | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> "list[AlertRecord]":
        """Alerts newest first: raised since a day or time, unread only, of one watch, of one
        kind (`AlertKind`), at most `limit`."""
        from tracker.watches import inbox

        with self._read() as session:
            return inbox.alert_list(session, since=since, unread=unread, watch=watch, kind=kind,
                                    limit=limit)  # fmt: skip

    def ack_alerts(self, ids: "Sequence[int] | None" = None) -> int:
        """Mark alerts read (None: every unread one); how many were unread. An unknown id
        marks nothing (`NotFound`)."""
        from tracker.watches import inbox

        with self._write() as session:
            return inbox.ack(session, ids)

    def deliver_webhooks(
        self, *, now: dt.datetime | None = None, timeout: float = 10.0
    ) -> "DeliveryRound":
        """Send the webhook deliveries that are due, oldest first and in order per watch; a
        failed one is retried later with growing back-off, never dropped."""
        from tracker.watches import webhook

        return webhook.deliver(self._read, self._write, now=now, timeout=timeout)

    # -- ask ----------------------------------------------------------------------------

    def entity(self, key: str, *, as_of: str | None = None) -> EntityProfile:
        """Everything known about an entity (statuses as of a day, default today)."""
        day = _day(as_of, "as_of")
        with self._read() as session:
            return facts.entity_profile(session, entity_by_key(session, key), day)

    def entities(
        self,
        *,
        kind: str | None = None,
        country: str | None = None,
        name: str | None = None,
        limit: int | None = None,
    ) -> list[EntityRecord]:
        """Entities by key; `name` matches any part of a name or an alias, any case."""
        with self._read() as session:
            return facts.entity_records(session, kind=kind, country=country, name=name, limit=limit)

    def designation(self, designation: int | str) -> DesignationRecord:
        """One designation by its id or `KEY/AUTHORITY/LIST[/PROGRAM]`."""
        with self._read() as session:
            row = designation_by_ref(session, str(designation))
            assert row.id is not None
            return self._designation(session, row.id)

    def sanction(self, sanction: int | str) -> SanctionRecord:
        """One sanction by its id or `KEY/AUTHORITY/MEASURE[/PROGRAM]`."""
        with self._read() as session:
            row = sanction_by_ref(session, str(sanction))
            assert row.id is not None
            return self._sanction(session, row.id)

    def response(self, response_id: int) -> ResponseRecord:
        """One response by its id."""
        with self._read() as session:
            by_id(session, Response, response_id)
            return facts.response_list(session, ids=[response_id])[0]

    def source(self, source_id: int) -> SourceRef:
        """One source by its id."""
        with self._read() as session:
            by_id(session, Source, source_id)
            return facts.source_list(session, ids=[source_id])[0]

    def designations(
        self,
        *,
        entity: str | None = None,
        filters: Filters = Filters(),
        status: DesignationStatus | str | None = None,
        as_of: str | None = None,
    ) -> list[DesignationRecord]:
        """Designations (with their status as of a day, default today)."""
        day = _day(as_of, "as_of")
        recorded = _enum(DesignationStatus, status, "status") if status else None
        with self._read() as session:
            return facts.designation_list(
                session,
                day=day,
                entity=entity_by_key(session, entity) if entity else None,
                filters=filters,
                status=recorded,
            )

    def sanctions(
        self,
        *,
        entity: str | None = None,
        filters: Filters = Filters(),
        measure: SanctionMeasure | str | None = None,
        status: str | None = None,
        as_of: str | None = None,
    ) -> list[SanctionRecord]:
        day = _day(as_of, "as_of")
        chosen = _enum(SanctionMeasure, measure, "measure") if measure else None
        with self._read() as session:
            return facts.sanction_list(
                session,
                day=day,
                entity=entity_by_key(session, entity) if entity else None,
                filters=filters,
                measure=chosen,
                status=status,
            )

    def responses(
        self, *, by: str | None = None, about: str | None = None, stance: str | None = None
    ) -> list[ResponseRecord]:
        """Responses, oldest first: by an entity, and/or about a subject written as for
        `respond` (`designation:REF`, `sanction:REF`); an entity (`entity:KEY` or its key)
        means every response concerning it: its own, or about its designations and
        sanctions."""
        chosen = _enum(Stance, stance, "stance") if stance else None
        with self._read() as session:
            responder = entity_by_key(session, by) if by else None
            subject = (
                response_service.resolve_subject(session=session, text=about) if about else None
            )
            concerning = [subject.about_entity_id] if subject and subject.about_entity_id else []
            return facts.response_list(
                session,
                responder=responder,
                concerning=concerning,
                stance=chosen,
                designation_id=subject.designation_id if subject else None,
                sanction_id=subject.sanction_id if subject else None,
            )

    def sources(self) -> list[SourceRef]:
        with self._read() as session:
            return facts.source_list(session)

    def authorities(self) -> list[AuthorityRecord]:
        with self._read() as session:
            return facts.authority_list(session)

    def status(self, *, as_of: str | None = None, filters: Filters = Filters()) -> StatusReport:
        """Who is designated or sanctioned as of a day (default today), with what the
        imported editions cover."""
        day = _day(as_of, "as_of")
        with self._read() as session:
            return status_report(session, day=day, filters=filters)

    def coverage(self, *, as_of: str | None = None, filters: Filters = Filters()) -> list[Coverage]:
        """What the imported editions of each list cover, and whether they cover `as_of`
        (default today): before the first edition a list's status is unknown, not empty."""
        day = _day(as_of, "as_of")
        with self._read() as session:
            return list_coverage(session, day, filters)

    def changes(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        recorded_since: dt.datetime | None = None,
        filters: Filters = Filters(),
        hide_cosmetic: bool = False,
    ) -> ChangesReport:
        """What changed between two days (real-world dates; `until` default today), or
        what was recorded since a moment."""
        if not since and recorded_since is None:
            raise InvalidValue("give since (a date) or recorded_since (a moment)")
        start = _day(since, "since") if since else None
        end = _day(until, "until", last=True)
        if start and end < start:
            raise InvalidValue(f"until {end} is before since {start}")
        if recorded_since is not None and recorded_since.tzinfo is None:
            recorded_since = recorded_since.replace(tzinfo=dt.UTC)
        with self._read() as session:
            return changes_report(
                session,
                since=start,
                until=end,
                recorded_since=recorded_since,
                filters=filters,
                hide_cosmetic=hide_cosmetic,
            )

    def timeline(self, key: str) -> Timeline:
        """Everything that happened to one entity, oldest first, with sources."""
        with self._read() as session:
            return timeline_report(session, entity=entity_by_key(session, key))

    def compare(self, key: str, *, as_of: str | None = None) -> Comparison:
        """One target's standing under every authority, side by side."""
        day = _day(as_of, "as_of")
        with self._read() as session:
            return compare_report(session, entity=entity_by_key(session, key), day=day)

    def search(
        self,
        name: str | None = None,
        *,
        identifier: str | None = None,
        limit: int = DEFAULT_LIMIT,
        threshold: float = DEFAULT_THRESHOLD,
        filters: Filters = Filters(),
        active_only: bool = False,
        as_of: str | None = None,
    ) -> list[SearchHit]:
        """Listed parties by any spelling of a name or alias, best first; or those holding
        `identifier` (score 1): a list reference ("ofac-uid:22790"), or a number the lists
        give a party, as a list writes it or bare ("Passport 0000021986", "IMO 9187629")."""
        if (name is None) == (identifier is None):
            raise InvalidValue("give a name or an identifier (one of them)")
        if name is not None and not name.strip():
            raise InvalidValue("the name to search for is empty")
        _check_search(limit, threshold)
        if identifier is not None:
            _check_identifier(identifier)
        scope = SearchScope(filters, active_only, _day(as_of, "as_of"))
        with self._read() as session:
            if identifier is not None:
                return find_by_identifier(session, identifier, scope, limit)
            assert name is not None
            return search_names(session, name, limit=limit, threshold=threshold, scope=scope)

    def screen(
        self,
        names: Iterable[str | ScreenQuery],
        *,
        limit: int = 3,
        threshold: float = DEFAULT_THRESHOLD,
        filters: Filters = Filters(),
        active_only: bool = False,
        as_of: str | None = None,
    ) -> Generator[ScreenResult, None, None]:
        """Screen names (or `ScreenQuery`s with the caller's ids, and what else they know of
        each party) against the lists, lazily: one result per name, as each is screened, all
        in one snapshot of the database (the arguments are checked at once; the database is
        read from the first result on). A `ScreenQuery`'s identifier the lists give a party
        is a match whatever the names; its date of birth, country, gender or kind, where it
        contradicts what the lists state, lowers the score (`tracker.matching.facts`).
        `filters`: only parties listed by an authority, on a list, of a kind."""
        _check_search(limit, threshold)
        scope = SearchScope(filters, active_only, _day(as_of, "as_of"))
        return self._screen(names, limit, threshold, scope)

    def _screen(
        self,
        names: Iterable[str | ScreenQuery],
        limit: int,
        threshold: float,
        scope: SearchScope,
    ) -> Generator[ScreenResult, None, None]:
        from tracker.reports.screen import screen_party
        from tracker.screening.inputs import checked_facts

        with self._read() as session:
            for item in names:
                query = item if isinstance(item, ScreenQuery) else ScreenQuery(item)
                if not query.name.strip():
                    raise InvalidValue(f"an empty name to screen (id {query.id})")
                try:
                    facts = checked_facts(query)
                except TrackerError as error:
                    raise InvalidValue(f"{query.name!r} (id {query.id}): {error}") from None
                hits = screen_party(
                    session, query.name, facts, limit=limit, threshold=threshold, scope=scope
                )
                yield ScreenResult(query, tuple(hits))

    # -- remembered screening -----------------------------------------------------------

    def screen_and_record(
        self,
        name: str,
        rows: "Iterable[ScreenQuery | ScreeningInput]",
        *,
        threshold: float | None = None,
        limit: int | None = None,
        follow: bool | None = None,
        file_name: str | None = None,
        sha256: str | None = None,
    ) -> "ScreeningRunRecord":
        """Screen rows (each with the caller's id) as a run of the screening `name`, created
        with this threshold and limit if new (a later run may not change them); every hit
        is stored with its state against the decisions (`HitState`). `follow`: rescreened by
        `sync` after each new edition."""
        from tracker.screening import run

        _check_search(1 if limit is None else limit,
                      DEFAULT_THRESHOLD if threshold is None else threshold)  # fmt: skip
        with self._write() as session:
            return run.screen_and_record(session, name, rows, threshold=threshold, limit=limit,
                                         follow=follow, file_name=file_name,
                                         sha256=sha256)  # fmt: skip

    def decide(
        self,
        screening: str,
        row: str,
        entity: str,
        verdict: str,
        *,
        note: str | None = None,
        by: str | None = None,
    ) -> "DecisionRecord":
        """Record a verdict (`false-positive` or `match`) on a hit of a screening (its name,
        or the id of one of its runs): the row's id, the entity's key. `by` defaults to the
        user name."""
        from tracker.screening import decisions, run

        with self._write() as session:
            chosen = run.find_screening(session, screening)
            return decisions.decide(session, chosen, row, entity, verdict, note=note, by=by)

    def rescreen(
        self, screening: str, *, import_run_id: int | None = None, full: bool = False
    ) -> "ScreeningRunRecord":
        """Screen a screening's stored rows again as a new run, raising an alert for each
        hit new or changed since its decision. Only rows something changed for since the
        last run are scored afresh, unless `full`."""
        from tracker.screening import follow, run

        with self._write() as session:
            chosen = run.find_screening(session, screening)
            return follow.rescreen(session, chosen, import_run_id=import_run_id, full=full)

    def screenings(self) -> "list[ScreeningRecord]":
        """Every remembered screening, by name."""
        from tracker.screening import report

        with self._read() as session:
            return report.screening_list(session)

    def screening_report(self, screening: str) -> "ScreeningReport":
        """A screening's open hits (new, open, changed since decision) and its decisions,
        each with its history."""
        from tracker.screening import report, run

        with self._read() as session:
            return report.screening_report(session, run.find_screening(session, screening))

    # -- helpers ------------------------------------------------------------------------

    @staticmethod
    def _designation(session: Session, designation_id: int) -> DesignationRecord:
        return facts.designation_list(session, day=as_of_day(None), ids=[designation_id])[0]

    @staticmethod
    def _sanction(session: Session, sanction_id: int) -> SanctionRecord:
        return facts.sanction_list(session, day=as_of_day(None), ids=[sanction_id])[0]


def _edition(
    path: PathLike, format: str | None, list_code: str | None, published_on: str | None
) -> tuple[Any, Any]:
    """An edition of a list read from `path`, and the tally its import will fill: what
    `import_list` and `import_synced` both import."""
    from tracker.importers import files
    from tracker.importers.formats import read_edition
    from tracker.importers.records import ImportTally

    if list_code is not None:
        _check_list_code(list_code)
    edition = read_edition(Path(path), format=format, list_code=list_code,
                           published_on=published_on)  # fmt: skip
    tally = ImportTally(
        file_name=Path(path).name,
        format=edition.format,
        list_code=edition.list_code,
        published_on=edition.published_on,
        sha256=files.sha256(edition.files),
    )
    return edition, tally


def _day(text: str | None, name: str, *, last: bool = False) -> str:
    """The full day a question is asked about (today by default): a partial date's first
    day, or its last one for the end of a window."""
    try:
        return until_day(text) if last else as_of_day(text)
    except TrackerError as error:
        raise InvalidValue(f"{name}: {error}") from error


def _check_search(limit: int, threshold: float) -> None:
    if limit < 1:
        raise InvalidValue(f"limit: {limit} is not a positive number of hits")
    if not 0 <= threshold <= 1:
        raise InvalidValue(f"threshold: {threshold} is not a score between 0 and 1")


def _check_identifier(text: str) -> None:
    """An identifier to search by: something a list could hold, that a database can store."""
    if (problem := unstorable(text)) is not None:
        raise InvalidValue(f"identifier {text[:30]!r} {problem}")
    if len(text) > IDENTIFIER_VALUE_LENGTH:
        raise InvalidValue(f"identifier: longer than {IDENTIFIER_VALUE_LENGTH} characters")
    if split_reference(text) is None and not identifier_keys(text)[1]:
        raise InvalidValue(
            f"identifier {text!r}: give SCHEME:VALUE (e.g. ofac-uid:36) or a number of"
            f" {SHORTEST_NUMBER} or more letters and digits"
        )


def _check_list_code(code: str) -> None:
    if not code.strip():
        raise InvalidValue("list: the list code is empty")
    if len(code) > LIST_CODE_LENGTH:
        raise InvalidValue(f"list: too long ({len(code)} characters; at most {LIST_CODE_LENGTH})")


def _enum(enum: Any, value: Any, name: str) -> Any:
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise InvalidValue(f"{name}: unknown value {value!r}: expected one of {known}") from None


@contextmanager
def _database_errors() -> Iterator[None]:
    """Database errors as `TrackerError`s of one line: a rule the services should have
    caught first, an unreachable server, a busy lock."""
    try:
        yield
    except IntegrityError as error:
        reason = str(error.orig).splitlines()[0]
        raise DatabaseError(f"the database refused the change ({reason})") from error
    except DBAPIError as error:
        if is_busy(error):
            raise DatabaseBusy("database is busy, try again") from error
        if is_out_of_time(error):
            raise OutOfTime("the question took longer than the time it was given") from error
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseError(f"database error: {reason}") from error
