"""The one reconcile step every list format shares: compare an edition with the database by
identifier, in bulk, and write what changed with its events (see `writer`).

For a list (authority + list code), an entry is *added* when its identifier is new, *changed*
when any of its listed fields differ from what the previous edition said (exact before/after
is recorded, including programs added or removed), *removed* (delisted: its designations end on
the new publish date) when it is gone, else *unchanged*. The previous edition's view of each
entry is kept in `entity.details[<authority>/<list>]`; in memory, only a digest of it.

Guards: a file whose entry count differs from its own header is refused; an edition that would
delist more than 5% of the list is refused unless allowed; an edition older than the latest one
imported is refused unless forced; the identical file again changes nothing.
"""

import json

from sqlmodel import Session, col, select

from tracker.batching import batched
from tracker.enums import EventAction, SubjectType
from tracker.errors import Conflict, InvalidInput
from tracker.importers.records import (
    Edition,
    ImportOptions,
    ImportSummary,
    KnownEntry,
    ListedParty,
    ListSpec,
    Progress,
    list_slot,
)
from tracker.importers.writer import EditionWriter, digest
from tracker.models import (
    IDENTIFIER_VALUE_LENGTH,
    PROGRAM_LENGTH,
    Authority,
    Designation,
    Entity,
    Event,
    Identifier,
    ImportRun,
    Sanction,
    utc_now,
)
from tracker.validation import check_length, unstorable

MASS_DELISTING_SHARE = 0.05
BATCH = 2_000  # entries written together


def _known(session: Session, spec: ListSpec, list_code: str) -> dict[str, KnownEntry]:
    """Every entry of this list the database knows, by identifier, with its listings in force
    (designations of this list; sanctions an import of this list imposed), in a few queries."""
    known: dict[str, KnownEntry] = {}
    slot = list_slot(spec, list_code)
    for value, entity_id, details in session.exec(
        select(Identifier.value, Identifier.entity_id, Entity.details)
        .join(Entity, Entity.id == Identifier.entity_id)
        .where(Identifier.scheme == spec.scheme)
    ):
        listed = (details or {}).get(slot)
        known[value] = KnownEntry(
            entity_id,
            None if listed is None else digest(listed),
            {},
            bare=listed is not None and not listed.get("programs"),
        )
    by_entity = {entry.entity_id: entry for entry in known.values()}
    designations = (
        select(
            Designation.id,
            Designation.entity_id,
            Authority.key,
            Designation.program,
            Designation.effective_on,
        )
        .join(Authority, Authority.id == Designation.authority_id)
        .where(Designation.list_code == list_code, col(Designation.ended_on).is_(None))
    )
    if not spec.names_authorities:
        designations = designations.where(Authority.key == spec.authority)
    for designation_id, entity_id, authority, program, start in session.exec(designations):
        if entity_id in by_entity:
            key = (authority, program or "", "", _start_key(spec, start))
            by_entity[entity_id].designations[key] = designation_id
    imposed_here = (
        select(Event.subject_id)
        .join(ImportRun, ImportRun.id == Event.import_run_id)
        .where(
            Event.subject_type == SubjectType.SANCTION,
            Event.action == EventAction.IMPOSED,
            ImportRun.list_code == list_code,
        )
    )
    for sanction_id, entity_id, authority, program, measure, start in session.exec(
        select(
            Sanction.id,
            Sanction.entity_id,
            Authority.key,
            Sanction.program,
            Sanction.measure,
            Sanction.start_on,
        )
        .join(Authority, Authority.id == Sanction.authority_id)
        .where(col(Sanction.end_on).is_(None), col(Sanction.id).in_(imposed_here))
    ):
        if entity_id in by_entity:
            key = (authority, program or "", measure.value, _start_key(spec, start))
            by_entity[entity_id].designations[key] = sanction_id
    return known


def _start_key(spec: ListSpec, start: str | None) -> str:
    return (start or "") if spec.keyed_by_start else ""


def _check_edition(
    session: Session, edition: Edition, summary: ImportSummary, options: ImportOptions
) -> bool:
    """False when this exact file was imported already; raises when the edition is refused."""
    previous = session.exec(select(ImportRun).where(ImportRun.list_code == edition.list_code)).all()
    if any(run.sha256 == summary.sha256 for run in previous):
        return False
    latest = max((run.published_on for run in previous if run.published_on), default=None)
    if latest and edition.published_on and edition.published_on < latest and not options.force:
        raise Conflict(
            f"{summary.file_name}: edition of {edition.published_on} is older than the latest"
            f" imported ({latest}): give --force to import it anyway"
        )
    return True


def _check_party(party: ListedParty, file_name: str, seen: set[str]) -> None:
    """An entry the tables cannot hold is the file's fault: say which entry, write nothing."""
    where = f"{file_name}: entry {party.identifier[:40]}" + (
        f" (line {party.line})" if party.line else ""
    )
    if party.identifier in seen:
        raise InvalidInput(f"{where} appears twice")
    try:
        _check_storable(party)
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


def _check_storable(party: ListedParty) -> None:
    """Text every engine can hold, in every field (JSON files can spell NUL or half a
    surrogate pair; the database cannot store them)."""
    texts = [party.identifier, party.name, *(alias.name for alias in party.aliases)]
    texts.append(json.dumps(party.comparable, ensure_ascii=False))
    for text in texts:
        if (problem := unstorable(text)) is not None:
            raise InvalidInput(f"text {problem}")


def import_edition(
    session: Session,
    *,
    edition: Edition,
    spec: ListSpec,
    summary: ImportSummary,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportSummary:
    """Reconcile one edition with the database inside the caller's transaction."""
    summary.dry_run = options.dry_run
    if not _check_edition(session, edition, summary, options):
        summary.already_imported = True
        summary.unchanged = sum(1 for _ in edition.parties)
        return summary
    run = ImportRun(
        format=edition.format,
        list_code=edition.list_code,
        file_name=summary.file_name,
        sha256=summary.sha256,
        published_on=edition.published_on,
        started_at=utc_now(),
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    summary.run_id = run.id
    writer = EditionWriter(session, spec, edition, run.id, summary)
    known = _known(session, spec, edition.list_code)
    listed_before = sum(1 for entry in known.values() if entry.on_list)
    seen: set[str] = set()
    for batch in batched(edition.parties, BATCH):
        for party in batch:
            _check_party(party, summary.file_name, seen)
            seen.add(party.identifier)
        writer.apply(batch, known)
        if progress is not None:
            progress(len(batch))
    parsed = len(seen)
    if edition.declared_count is not None and parsed != edition.declared_count:
        raise InvalidInput(
            f"{summary.file_name}: the file says it holds {edition.declared_count} entries but"
            f" {parsed} were read: refusing a partial or damaged file"
        )
    if not edition.complete:
        # A delta says what leaves the list: no entry is gone merely by being left out.
        withdrawn = dict.fromkeys(edition.withdrawn)
        gone = [known[ident] for ident in withdrawn if ident in known and known[ident].on_list]
    else:
        gone = [entry for ident, entry in known.items() if ident not in seen and entry.on_list]
    if (
        edition.complete
        and listed_before
        and len(gone) > MASS_DELISTING_SHARE * listed_before
        and not options.allow_mass_delisting
    ):
        raise Conflict(
            f"{summary.file_name}: this edition would delist {len(gone)} of the"
            f" {listed_before} entries on the list ({len(gone) / listed_before:.1%},"
            f" more than {MASS_DELISTING_SHARE:.0%}): refusing; give --allow-mass-delisting"
            " if the list really shrank"
        )
    writer.delist(gone)
    run.added, run.changed, run.removed = summary.added, summary.changed, summary.removed
    run.unchanged = summary.unchanged
    run.finished_at = utc_now()
    session.add(run)
    return summary
