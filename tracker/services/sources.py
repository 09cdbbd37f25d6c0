"""Sources and citations: every fact points at the documents it rests on."""

from urllib.parse import urlparse

from sqlmodel import Session, select

from tracker.enums import EventAction, SubjectType
from tracker.errors import Conflict, InvalidInput
from tracker.models import Citation, Source
from tracker.services.events import record_event
from tracker.services.lookup import by_id
from tracker.validation import Input, PartialDateText, Text, Url


class SourceCreate(Input):
    title: Text
    publisher: str | None = None
    url: Url | None = None
    document_number: str | None = None
    published_on: PartialDateText = None


def _check_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InvalidInput(f"invalid source URL {url!r}: expected http(s)://...")
    return url


def source_by_url(session: Session, url: str) -> Source | None:
    return session.exec(select(Source).where(Source.url == url)).first()


def add_source(session: Session, *, data: SourceCreate, exist_ok: bool = False) -> Source:
    """Record a source; a URL already known is a conflict unless `exist_ok` returns it."""
    if data.url is not None:
        _check_url(data.url)
        existing = source_by_url(session, data.url)
        if existing is not None:
            if exist_ok:
                return existing
            raise Conflict(f"source with URL {data.url!r} already exists (id {existing.id})")
    source = Source(**data.model_dump())
    session.add(source)
    session.flush()
    assert source.id is not None
    record_event(
        session,
        action=EventAction.SOURCE_ADDED,
        subject_type=SubjectType.SOURCE,
        subject_id=source.id,
        entity_id=None,
        occurred_on=None,  # recording a document is not a change in the world
        after=data.model_dump(exclude_none=True),
    )
    return source


def resolve_sources(session: Session, refs: list[str]) -> list[Source]:
    """Sources from what users type after `--source`: an existing id, or a URL (new or known)."""
    sources: list[Source] = []
    for ref in refs:
        ref = ref.strip()
        if ref.isdigit():
            source = by_id(session, Source, int(ref))
        elif "://" in ref:
            source = add_source(session, data=SourceCreate(title=ref, url=ref), exist_ok=True)
        else:
            raise InvalidInput(f"invalid source {ref!r}: give a URL or the id of a known source")
        if source not in sources:
            sources.append(source)
    return sources


def cite(
    session: Session,
    sources: list[Source],
    *,
    designation_id: int | None = None,
    sanction_id: int | None = None,
    response_id: int | None = None,
) -> int:
    """Link the fact to each source it does not cite yet; returns how many links were added."""
    existing = set(
        session.exec(
            select(Citation.source_id).where(
                Citation.designation_id == designation_id,
                Citation.sanction_id == sanction_id,
                Citation.response_id == response_id,
            )
        )
    )
    added = 0
    for source in sources:
        if source.id in existing:
            continue
        assert source.id is not None
        session.add(
            Citation(
                source_id=source.id,
                designation_id=designation_id,
                sanction_id=sanction_id,
                response_id=response_id,
            )
        )
        existing.add(source.id)
        added += 1
    return added
