"""Authorities: who designates and sanctions. The seeds name the usual ones; an import that
meets another (an FtM `Sanction` naming a ministry) records it, citing the edition it came
from, with an `authority-added` event like any other record."""

from typing import Annotated

from sqlmodel import Session, select

from tracker.enums import EventAction, SubjectType
from tracker.errors import Conflict
from tracker.models import Authority
from tracker.services.events import record_event
from tracker.validation import Input, Key, Text, at_most

JURISDICTION_LENGTH = 16


class AuthorityCreate(Input):
    key: Annotated[Key, at_most(64)]
    name: Text
    jurisdiction: Annotated[Text, at_most(JURISDICTION_LENGTH)]  # "US", "UN", "EU", "GB"...
    description: str | None = None


def add_authority(*, session: Session, data: AuthorityCreate) -> Authority:
    """Record an authority a user names; one that exists already is a conflict."""
    if session.exec(select(Authority.id).where(Authority.key == data.key)).first() is not None:
        raise Conflict(f"authority {data.key!r} already exists")
    return ensure_authority(
        session=session,
        key=data.key,
        name=data.name,
        jurisdiction=data.jurisdiction,
        description=data.description,
    )


def ensure_authority(
    *,
    session: Session,
    key: str,
    name: str,
    jurisdiction: str,
    description: str | None = None,
    source_id: int | None = None,
    import_run_id: int | None = None,
) -> Authority:
    """The authority with this key, recorded first if it is new."""
    authority = session.exec(select(Authority).where(Authority.key == key)).first()
    if authority is not None:
        return authority
    authority = Authority(
        key=key,
        name=name,
        jurisdiction=jurisdiction[:JURISDICTION_LENGTH],
        description=description,
        source_id=source_id,
    )
    session.add(authority)
    session.flush()
    assert authority.id is not None
    record_event(
        session=session,
        action=EventAction.AUTHORITY_ADDED,
        subject_type=SubjectType.AUTHORITY,
        subject_id=authority.id,
        entity_id=None,
        occurred_on=None,
        after={"key": key, "name": name, "jurisdiction": authority.jurisdiction},
        source_id=source_id,
        import_run_id=import_run_id,
    )
    return authority
