"""The one filter type (`tracker.records.Filters`: authority, list, program, country, kind)
and the SQL conditions it means for each kind of record, so status, changes, the listings and
search all filter alike."""

from sqlalchemy import ColumnElement, exists, false, or_
from sqlmodel import Session, col, select

from tracker.countries import country_code
from tracker.enums import EntityKind, SubjectType
from tracker.errors import InvalidValue
from tracker.models import (
    Designation,
    Entity,
    EntityCountry,
    Event,
    ImportRun,
    Response,
    Sanction,
)
from tracker.records import Filters
from tracker.services.lookup import authority_by_key


def entity_kind(text: str) -> EntityKind:
    try:
        return EntityKind(text)
    except ValueError:
        known = ", ".join(kind.value for kind in EntityKind)
        raise InvalidValue(f"unknown kind {text!r}: expected one of {known}") from None


class FilterSql:
    """The conditions of one set of filters, checked against the database (an unknown
    authority is an error naming the closest keys, an unknown country one naming the form)."""

    def __init__(self, session: Session, filters: Filters) -> None:
        self.filters = filters
        self.authority_id = (
            authority_by_key(session, filters.authority).id if filters.authority else None
        )
        self.country = country_code(filters.country) if filters.country else None
        self.kind = entity_kind(filters.kind) if filters.kind else None

    def entities(self) -> list[ColumnElement[bool]]:
        """On the entity (joined as `Entity`)."""
        conditions: list[ColumnElement[bool]] = []
        if self.country:
            conditions.append(self.in_country(self.country))
        if self.kind:
            conditions.append(col(Entity.kind) == self.kind)
        return conditions

    @staticmethod
    def in_country(code: str) -> ColumnElement[bool]:
        """The entity's own country is `code`, or a list ties it to `code` (a nationality, a
        citizenship, an address...): an EXISTS on (country, entity_id), an index lookup."""
        tied = exists().where(
            col(EntityCountry.country) == code, col(EntityCountry.entity_id) == Entity.id
        )
        return or_(col(Entity.country) == code, tied)

    def _designation_own(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.authority_id is not None:
            conditions.append(col(Designation.authority_id) == self.authority_id)
        if self.filters.list:
            conditions.append(col(Designation.list_code) == self.filters.list)
        if self.filters.program:
            conditions.append(col(Designation.program) == self.filters.program)
        return conditions

    def _sanction_own(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.authority_id is not None:
            conditions.append(col(Sanction.authority_id) == self.authority_id)
        if self.filters.program:
            conditions.append(col(Sanction.program) == self.filters.program)
        return conditions

    def designations(self) -> list[ColumnElement[bool]]:
        """On designations (their entity joined as `Entity`)."""
        return [*self.entities(), *self._designation_own()]

    def sanctions(self) -> list[ColumnElement[bool]] | None:
        """On sanctions; None when nothing matches: sanctions are on no list, so a list
        filter asks about designations only."""
        if self.filters.list:
            return None
        return [*self.entities(), *self._sanction_own()]

    def events(self) -> list[ColumnElement[bool]]:
        """On events (their entity joined as `Entity`): about matching designations or
        sanctions, responses to them, or (an authority or list filter) the entries of the
        matching imported lists, whose amendments are events of their entity."""
        conditions = self.entities()
        if not (self.authority_id or self.filters.list or self.filters.program):
            return conditions
        designations = select(Designation.id).where(*self._designation_own())
        subject_is = [
            (col(Event.subject_type) == SubjectType.DESIGNATION)
            & col(Event.subject_id).in_(designations),
            (col(Event.subject_type) == SubjectType.RESPONSE)
            & col(Event.subject_id).in_(
                select(Response.id).where(col(Response.designation_id).in_(designations))
            ),
        ]
        if not self.filters.list:
            sanctions = select(Sanction.id).where(*self._sanction_own())
            subject_is += [
                (col(Event.subject_type) == SubjectType.SANCTION)
                & col(Event.subject_id).in_(sanctions),
                (col(Event.subject_type) == SubjectType.RESPONSE)
                & col(Event.subject_id).in_(
                    select(Response.id).where(col(Response.sanction_id).in_(sanctions))
                ),
            ]
        if not self.filters.program:
            subject_is.append(self._entry_events())
        return [*conditions, or_(false(), *subject_is)]

    def _entry_events(self) -> ColumnElement[bool]:
        """Entity events an import of a matching list wrote (an entry amended or delisted)."""
        keys = col(ImportRun.list_key)
        if self.filters.list and self.filters.authority:
            match = keys == f"{self.filters.authority}/{self.filters.list}"
        elif self.filters.list:
            match = keys.endswith(f"/{self.filters.list}", autoescape=True)
        else:
            match = keys.startswith(f"{self.filters.authority}/", autoescape=True)
        return (col(Event.subject_type) == SubjectType.ENTITY) & col(Event.import_run_id).in_(
            select(ImportRun.id).where(match)
        )
