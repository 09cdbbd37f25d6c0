"""Authorities: who designates and sanctions. The seeds name the usual ones; an import that
meets another (an FtM `Sanction` naming a ministry) records it, citing the edition it came
from, with an `authority-added` event like any other record."""

from sqlmodel import Session, select

from tracker.enums import EventAction, SubjectType
from tracker.models import Authority
from tracker.services.events import record_event


def ensure_authority(
    *,
    session: Session,
    key: str,
    name: str,
    jurisdiction: str,
    source_id: int | None = None,
    import_run_id: int | None = None,
) -> Authority:
    """The authority with this key, recorded first if it is new."""
    authority = session.exec(select(Authority).where(Authority.key == key)).first()
    if authority is not None:
        return authority
    authority = Authority(key=key, name=name, jurisdiction=jurisdiction[:16], source_id=source_id)
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
