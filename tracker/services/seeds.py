"""Loading seed files through the same services as the CLI.

Loading is idempotent: what exists is recognised by its natural key and only what is missing
is added (aliases, empty fields, citations, a revocation), so a second load adds nothing and
records no event. A malformed file (see `seed_files`) writes nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from tracker.enums import EventAction
from tracker.errors import InvalidInput, TrackerError
from tracker.models import Authority, Designation, Entity, Event, Sanction, Source
from tracker.services import designations, entities, responses, sanctions
from tracker.services.lookup import authority_by_key, entity_by_key
from tracker.services.seed_files import (
    SeedAlias,
    SeedAmendment,
    SeedAuthority,
    SeedDesignation,
    SeedEntity,
    SeedFile,
    SeedResponse,
    SeedSanction,
    SeedSource,
    expand,
    read_seed_file,
)
from tracker.services.sources import SourceCreate, add_source, cite, source_by_url


@dataclass
class SeedResult:
    """What loading added, per kind of record (all zero on a second load)."""

    files: list[str] = field(default_factory=list)
    added: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ["authorities", "sources", "entities", "designations", "sanctions", "responses"], 0
        )
    )
    events: int = 0


class _Loader:
    """Loads one validated file into the session, recognising what already exists."""

    def __init__(self, session: Session, path: Path, result: SeedResult) -> None:
        self.session = session
        self.path = path
        self.result = result
        self.sources: dict[str, Source] = {}
        self.designations: dict[str, int] = {}
        self.sanctions: dict[str, int] = {}

    def fail(self, where: str, error: TrackerError) -> InvalidInput:
        return InvalidInput(f"{self.path}: {where}: {error}")

    def load(self, seed: SeedFile) -> None:
        for authority in seed.authorities:
            self._authority(authority)
        for index, source in enumerate(seed.sources):
            self.sources[source.ref] = self._source(source, f"sources[{index}]")
        for index, entity in enumerate(seed.entities):
            self._guard(f"entities[{index}] ({entity.key})", self._entity, entity)
        for index, designation in enumerate(seed.designations):
            self._guard(
                f"designations[{index}] ({designation.entity})", self._designation, designation
            )
        for index, sanction in enumerate(seed.sanctions):
            self._guard(f"sanctions[{index}] ({sanction.entity})", self._sanction, sanction)
        for index, response in enumerate(seed.responses):
            self._guard(f"responses[{index}] ({response.by})", self._response, response)

    def _guard(self, where: str, load: Any, record: Any) -> None:
        try:
            load(record)
        except TrackerError as error:
            raise self.fail(where, error) from error

    def _authority(self, seed: SeedAuthority) -> None:
        exists = self.session.exec(select(Authority.id).where(Authority.key == seed.key)).first()
        if exists is None:
            self.session.add(Authority(**seed.model_dump()))
            self.result.added["authorities"] += 1

    def _source(self, seed: SeedSource, where: str) -> Source:
        existing = (
            source_by_url(self.session, seed.url)
            if seed.url
            else self.session.exec(
                select(Source).where(Source.title == seed.title, Source.url.is_(None))  # type: ignore[union-attr]
            ).first()
        )
        if existing is not None:
            return existing
        self.result.added["sources"] += 1
        try:
            return add_source(
                session=self.session,
                data=SourceCreate(**seed.model_dump(exclude={"ref"})),
                allow_duplicate=True,
            )
        except TrackerError as error:
            raise self.fail(where, error) from error

    def _resolve_sources(self, refs: list[str]) -> list[Source]:
        resolved = []
        for ref in refs:
            if ref in self.sources:
                resolved.append(self.sources[ref])
            elif "://" in ref:
                resolved.append(self._source(SeedSource(ref=ref, title=ref, url=ref), ref))
            else:
                raise InvalidInput(f"unknown source ref {ref!r} (define it under `sources:`)")
        return resolved

    def _entity(self, seed: SeedEntity) -> None:
        existing = self.session.exec(select(Entity).where(Entity.key == seed.key)).first()
        aliases = [SeedAlias(name=a) if isinstance(a, str) else a for a in seed.aliases]
        if existing is None:
            data = entities.EntityCreate(
                name=seed.name,
                kind=seed.kind,
                key=seed.key,
                country=seed.country,
                description=seed.description,
                identifiers=tuple(seed.identifiers),
            )
            existing = entities.add_entity(session=self.session, data=data, allow_duplicate=True)
            self.result.added["entities"] += 1
        else:
            missing = {
                name: value
                for name, value in {
                    "country": seed.country,
                    "description": seed.description,
                }.items()
                if value is not None and getattr(existing, name) is None
            }
            if missing:
                entities.edit_entity(
                    session=self.session, entity=existing, data=entities.EntityEdit(**missing)
                )
        for alias in aliases:
            entities.add_alias(
                session=self.session,
                entity=existing,
                name=alias.name,
                kind=alias.kind,
                language=alias.language,
                exist_ok=True,
            )

    def _designation(self, seed: SeedDesignation) -> None:
        entity = entity_by_key(self.session, seed.entity)
        authority = authority_by_key(self.session, seed.authority)
        sources = self._resolve_sources(seed.sources)
        existing = designations.find_designation(
            session=self.session,
            entity=entity,
            authority=authority,
            list_code=seed.list,
            program=seed.program,
            start=seed.effective or seed.announced,
        )
        if existing is None:
            data = designations.DesignationCreate(
                list_code=seed.list,
                program=seed.program,
                legal_basis=seed.basis,
                announced_on=seed.announced,
                effective_on=seed.effective,
                ended_on=seed.ended,
                status=seed.status,
                reason=seed.reason,
                notes=seed.notes,
            )
            existing = designations.designate(
                session=self.session,
                entity=entity,
                authority=authority,
                data=data,
                sources=sources,
                allow_duplicate=True,  # a seed names its facts by its own keys
            )
            self.result.added["designations"] += 1
        else:
            cite(session=self.session, sources=sources, designation_id=existing.id)
            if seed.ended and existing.ended_on is None:
                designations.revoke(
                    session=self.session,
                    designation=existing,
                    on=seed.ended,
                    reason=None,
                    sources=[],
                )
        assert existing.id is not None
        for amendment in seed.amendments:
            self._amendment(existing, amendment, sources)
        if seed.ref:
            self.designations[seed.ref] = existing.id

    def _amendment(
        self, designation: Designation, amendment: SeedAmendment, sources: list[Source]
    ) -> None:
        recorded = self.session.exec(
            select(Event.id).where(
                Event.action == EventAction.AMENDED,
                Event.subject_id == designation.id,
                Event.occurred_on == amendment.on,
                Event.note == amendment.note,
            )
        ).first()
        if recorded is None:
            designations.record_amendment(
                session=self.session,
                designation=designation,
                on=amendment.on,
                note=amendment.note,
                source=sources[0] if sources else None,
            )

    def _sanction(self, seed: SeedSanction) -> None:
        entity = entity_by_key(self.session, seed.entity)
        authority = authority_by_key(self.session, seed.authority)
        sources = self._resolve_sources(seed.sources)
        existing = self.session.exec(
            select(Sanction).where(
                Sanction.entity_id == entity.id,
                Sanction.authority_id == authority.id,
                Sanction.measure == seed.measure,
                Sanction.program == seed.program,
                Sanction.start_on == seed.start,
            )
        ).first()
        if existing is None:
            data = sanctions.SanctionCreate(
                measure=seed.measure,
                program=seed.program,
                legal_basis=seed.basis,
                start_on=seed.start,
                end_on=seed.until,
                notes=seed.notes,
            )
            existing = sanctions.impose(
                session=self.session,
                entity=entity,
                authority=authority,
                data=data,
                sources=sources,
                allow_duplicate=True,  # a seed names its facts by its own keys
            )
            self.result.added["sanctions"] += 1
        else:
            cite(session=self.session, sources=sources, sanction_id=existing.id)
        if seed.ref and existing.id is not None:
            self.sanctions[seed.ref] = existing.id

    def _response(self, seed: SeedResponse) -> None:
        responder = entity_by_key(self.session, seed.by)
        kind, _, ref = seed.about.partition(":")
        about = seed.about
        if kind == "designation" and ref in self.designations:
            about = f"designation:{self.designations[ref]}"
        elif kind == "sanction" and ref in self.sanctions:
            about = f"sanction:{self.sanctions[ref]}"
        subject = responses.resolve_subject(session=self.session, text=about)
        sources = self._resolve_sources(seed.sources)
        existing = responses.find_response(
            session=self.session, responder=responder, subject=subject, stance=seed.stance,
            stated_on=seed.on,
        )  # fmt: skip
        if existing is None:
            data = responses.ResponseCreate(
                stance=seed.stance, stated_on=seed.on, summary=seed.summary
            )
            responses.respond(
                session=self.session,
                responder=responder,
                subject=subject,
                data=data,
                sources=sources,
                allow_duplicate=True,  # a seed names its facts by its own keys
            )
            self.result.added["responses"] += 1
        else:
            cite(session=self.session, sources=sources, response_id=existing.id)


def load_seeds(session: Session, paths: list[Path]) -> SeedResult:
    """Validate every file, then load them in order into the caller's transaction."""
    files = expand(paths)
    parsed = [(path, read_seed_file(path)) for path in files]
    result = SeedResult(files=[str(path) for path in files])
    events_before = _event_count(session)
    for path, seed in parsed:
        _Loader(session, path, result).load(seed)
    session.flush()
    result.events = _event_count(session) - events_before
    return result


def _event_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Event)).one()
