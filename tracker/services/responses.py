"""Official responses: what a party said or did about a designation, sanction or entity."""

from dataclasses import dataclass

from sqlmodel import Session

from tracker.enums import EventAction, Stance, SubjectType
from tracker.errors import InvalidValue
from tracker.models import Designation, Entity, Response, Sanction, Source
from tracker.services.events import record_event
from tracker.services.lookup import by_id, entity_by_key, parse_id
from tracker.services.sources import cite
from tracker.validation import Input, PartialDateText, Text


class ResponseCreate(Input):
    stance: Stance
    stated_on: PartialDateText
    summary: Text


@dataclass(frozen=True)
class Subject:
    """What a response is about: exactly one of a designation, a sanction or an entity."""

    designation_id: int | None = None
    sanction_id: int | None = None
    about_entity_id: int | None = None
    entity_id: int | None = None  # the entity the subject concerns (for the event)


def resolve_subject(*, session: Session, text: str) -> Subject:
    """'designation:12', 'sanction:3' or 'entity:cartel-de-los-soles' -> a checked Subject."""
    kind, sep, ref = text.partition(":")
    if not sep or not ref:
        raise InvalidValue(
            f"invalid subject {text!r}: expected designation:ID, sanction:ID or entity:KEY"
        )
    if kind == "designation":
        designation = by_id(session, Designation, parse_id(ref, "designation"))
        return Subject(designation_id=designation.id, entity_id=designation.entity_id)
    if kind == "sanction":
        sanction = by_id(session, Sanction, parse_id(ref, "sanction"))
        return Subject(sanction_id=sanction.id, entity_id=sanction.entity_id)
    if kind == "entity":
        entity = entity_by_key(session, ref)
        return Subject(about_entity_id=entity.id, entity_id=entity.id)
    raise InvalidValue(
        f"invalid subject {text!r}: expected designation:ID, sanction:ID or entity:KEY"
    )


def respond(
    *,
    session: Session,
    responder: Entity,
    subject: Subject,
    data: ResponseCreate,
    sources: list[Source],
) -> Response:
    assert responder.id is not None
    assert data.stated_on is not None
    response = Response(
        responder_id=responder.id,
        designation_id=subject.designation_id,
        sanction_id=subject.sanction_id,
        about_entity_id=subject.about_entity_id,
        stance=data.stance,
        stated_on=data.stated_on,
        summary=data.summary,
    )
    session.add(response)
    session.flush()
    assert response.id is not None
    cite(session=session, sources=sources, response_id=response.id)
    after = {
        "responder": responder.key,
        "stance": data.stance.value,
        "stated_on": data.stated_on,
        "summary": data.summary,
    }
    for field in ("designation_id", "sanction_id"):
        if getattr(subject, field) is not None:
            after[field] = getattr(subject, field)
    record_event(
        session=session,
        action=EventAction.RESPONDED,
        subject_type=SubjectType.RESPONSE,
        subject_id=response.id,
        entity_id=subject.entity_id,
        occurred_on=data.stated_on,
        after=after,
        source_id=sources[0].id if sources else None,
    )
    return response
