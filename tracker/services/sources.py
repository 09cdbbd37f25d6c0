"""Sources and citations: every fact points at the documents it rests on.

A document a person cites is recorded once by its URL; an edition of a list, once by the
sha256 of the file that was imported (every edition shares the list's official URL).
"""

from collections.abc import Sequence
from urllib.parse import urlparse

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.batching import in_chunks
from tracker.enums import EventAction, SubjectType
from tracker.errors import INSIST, Conflict, InvalidInput, InvalidValue
from tracker.models import Citation, Source
from tracker.services.core import core, insert_rows
from tracker.services.events import present, record_event
from tracker.services.lookup import by_id
from tracker.validation import Input, PartialDateText, Text, Url

FACT_COLUMNS = ("designation_id", "sanction_id", "response_id")


class SourceCreate(Input):
    title: Text
    publisher: str | None = None
    url: Url | None = None
    document_number: str | None = None
    published_on: PartialDateText = None
    file_name: str | None = None
    sha256: str | None = None


def _check_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InvalidInput(f"invalid source URL {url!r}: expected http(s)://...")
    return url


def source_by_url(session: Session, url: str) -> Source | None:
    """The document a person cited at this URL (not an edition of a list served there)."""
    return session.exec(
        select(Source).where(Source.url == url, col(Source.sha256).is_(None))
    ).first()


def add_source(
    *,
    session: Session,
    data: SourceCreate,
    exist_ok: bool = False,
    allow_duplicate: bool = False,
) -> Source:
    """Record a source; a URL (or, for a file, a sha256) already known is a conflict unless
    `exist_ok` returns the source that has it. Without either, the same title and document
    number again is a conflict unless `allow_duplicate`."""
    existing = None
    if data.sha256 is not None:
        existing = session.exec(select(Source).where(Source.sha256 == data.sha256)).first()
    elif data.url is not None:
        existing = source_by_url(session, _check_url(data.url))
    elif not allow_duplicate:
        existing = session.exec(
            select(Source).where(
                Source.title == data.title,
                Source.document_number == data.document_number,
                col(Source.url).is_(None),
            )
        ).first()
    if existing is not None:
        if exist_ok:
            return existing
        what = f"URL {data.url!r}" if data.url else f"title {data.title!r}"
        raise Conflict(
            f"a source with {what} is already recorded (source {existing.id}):"
            f" cite it as --source {existing.id}" + ("" if data.url else f", or {INSIST}")
        )
    source = Source(**data.model_dump())
    session.add(source)
    session.flush()
    assert source.id is not None
    record_event(
        session=session,
        action=EventAction.SOURCE_ADDED,
        subject_type=SubjectType.SOURCE,
        subject_id=source.id,
        entity_id=None,
        occurred_on=None,  # recording a document is not a change in the world
        after=present(data.model_dump()),
    )
    return source


def resolve_sources(*, session: Session, refs: list[str]) -> list[Source]:
    """Sources from what users type after `--source`: an existing id, or a URL (new or known)."""
    sources: list[Source] = []
    for ref in refs:
        ref = ref.strip()
        if ref.isdecimal():
            source = by_id(session, Source, int(ref))
        elif "://" in ref:
            source = add_source(
                session=session, data=SourceCreate(title=ref, url=ref), exist_ok=True
            )
        else:
            raise InvalidValue(f"invalid source {ref!r}: give a URL or the id of a known source")
        if source not in sources:
            sources.append(source)
    return sources


def cite_facts(
    *, session: Session, column: str, ids: Sequence[int], source_ids: Sequence[int]
) -> None:
    """Each fact (`column` names which kind: designation_id...) cites each source it does
    not cite yet, in a few statements however many facts there are."""
    assert column in FACT_COLUMNS
    wanted = sorted(set(ids))
    sources = list(dict.fromkeys(source_ids))
    if not wanted or not sources:
        return
    connection = core(session)
    citation = Citation.__table__  # type: ignore[attr-defined]
    held: set[tuple[int, int]] = set()
    for chunk in in_chunks(wanted):
        held |= set(
            connection.execute(
                sa.select(citation.c[column], citation.c.source_id).where(
                    citation.c[column].in_(chunk), citation.c.source_id.in_(sources)
                )
            )
        )
    empty = dict.fromkeys(FACT_COLUMNS)
    rows = [
        {**empty, "source_id": source_id, column: fact_id}
        for fact_id in wanted
        for source_id in sources
        if (fact_id, source_id) not in held
    ]
    if rows:
        insert_rows(connection, citation, rows)


def cite(
    *,
    session: Session,
    sources: list[Source],
    designation_id: int | None = None,
    sanction_id: int | None = None,
    response_id: int | None = None,
) -> None:
    """Link one fact to each source it does not cite yet."""
    source_ids = [source.id for source in sources if source.id is not None]
    for column, fact_id in (("designation_id", designation_id), ("sanction_id", sanction_id),
                            ("response_id", response_id)):  # fmt: skip
        if fact_id is not None:
            cite_facts(session=session, column=column, ids=[fact_id], source_ids=source_ids)
