"""Official responses: what a party said or did about a designation, sanction or entity."""

from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.enums import EventAction, Stance, SubjectType
from tracker.errors import INSIST, Conflict, InvalidValue
from tracker.models import Entity, Response, Source
from tracker.services.events import record_event
from tracker.services.lookup import designation_by_ref, entity_by_key, sanction_by_ref
from tracker.services.sources import cite
from tracker.validation import Input, RequiredDateText, Text

SUBJECT_FORMS = "designation:REF, sanction:REF, entity:KEY or a KEY"


class ResponseCreate(Input):
    stance: Stance
    stated_on: RequiredDateText
    summary: Text


@dataclass(frozen=True)
class Subject:
    """What a response is about: exactly one of a designation, a sanction or an entity."""

    designation_id: int | None = None
    sanction_id: int | None = None
    about_entity_id: int | None = None
    entity_id: int | None = None  # the entity the subject concerns (for the event)


def resolve_subject(*, session: Session, text: str) -> Subject:
    """What a response is about, as users write it: `designation:REF`, `sanction:REF`
    (an id or a reference such as `cartel-de-los-soles/us-state/FTO`), or an entity as
    `entity:KEY` or just its key."""
    kind, sep, ref = text.partition(":")
    if not sep:
        kind, ref = "entity", text
    if not ref:
        raise InvalidValue(f"invalid subject {text!r}: expected {SUBJECT_FORMS}")
    if kind == "designation":
        designation = designation_by_ref(session, ref)
        return Subject(designation_id=designation.id, entity_id=designation.entity_id)
    if kind == "sanction":
        sanction = sanction_by_ref(session, ref)
        return Subject(sanction_id=sanction.id, entity_id=sanction.entity_id)
    if kind == "entity":
        entity = entity_by_key(session, ref)
        return Subject(about_entity_id=entity.id, entity_id=entity.id)
    raise InvalidValue(f"invalid subject {text!r}: expected {SUBJECT_FORMS}")


def find_response(
    *, session: Session, responder: Entity, subject: Subject, stance: Stance, stated_on: str
) -> Response | None:
    """The response by this party, on this subject, with this stance and day, if recorded."""
    return session.exec(
        select(Response).where(
            Response.responder_id == responder.id,
            Response.designation_id == subject.designation_id,
            Response.sanction_id == subject.sanction_id,
            Response.about_entity_id == subject.about_entity_id,
            Response.stance == stance,
            Response.stated_on == stated_on,
        )
    ).first()


def respond(
    *,
    session: Session,
    responder: Entity,
    subject: Subject,
    data: ResponseCreate,
    sources: list[Source],
    allow_duplicate: bool = False,
) -> Response:
    """Record a response; the same party taking the same stance on the same subject on the
    same day again is a conflict naming the one recorded, unless `allow_duplicate`."""
    assert responder.id is not None
    if not allow_duplicate:
        same = find_response(
            session=session, responder=responder, subject=subject, stance=data.stance,
            stated_on=data.stated_on,
        )  # fmt: skip
        if same is not None:
            raise Conflict(
                f"{responder.key} already {data.stance.value} this on {data.stated_on}"
                f" (response {same.id}): see `tracker response show {same.id}`; {INSIST}"
            )
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
