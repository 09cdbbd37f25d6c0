"""The tables. Every fact cites sources; every change is an event; nothing is deleted.

Dates of official acts are stored as partial-date ISO text (see `tracker.dates`), so the
same comparisons work in SQL on SQLite and PostgreSQL. Enums are stored as their text value
with a CHECK constraint (no native PostgreSQL enum types: adding a value stays a one-line
migration on both engines).
"""

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.enums import (
    AliasKind,
    DesignationStatus,
    EntityKind,
    EventAction,
    SanctionMeasure,
    SanctionStatus,
    Stance,
    SubjectType,
)

# Set in place before any table is declared: replacing the MetaData object would lose tables,
# and unnamed constraints cannot be dropped by SQLite batch migrations.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DATE_LENGTH = 10  # "YYYY-MM-DD", the longest partial date
LANGUAGE_LENGTH = 8
IDENTIFIER_SCHEME_LENGTH = 64
IDENTIFIER_VALUE_LENGTH = 256
PROGRAM_LENGTH = 64
LIST_CODE_LENGTH = 32
SEARCH_KEY_LENGTH = 200
KEY_LENGTH = 128


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A text column holding one of the enum's values, guarded by a named CHECK constraint."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def date_shape(column: str) -> str:
    """CHECK text: the column is NULL or has the length of YYYY, YYYY-MM or YYYY-MM-DD."""
    return f"{column} IS NULL OR length({column}) IN (4, 7, 10)"


def not_certainly_before(later: str, earlier: str) -> str:
    """CHECK text for `tracker.dates.certainly_before`: `later` may not precede `earlier`."""
    return (
        f"{later} IS NULL OR {earlier} IS NULL OR {earlier} <= {later}"
        f" OR substr({earlier}, 1, length({later})) = {later}"
    )


def exactly_one(*columns: str) -> str:
    """CHECK text: exactly one of the columns is set (portable: no boolean arithmetic)."""
    cases = []
    for chosen in columns:
        cases.append(
            "(" + " AND ".join(f"{c} IS {'NOT ' if c == chosen else ''}NULL" for c in columns) + ")"
        )
    return " OR ".join(cases)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Authority(SQLModel, table=True):
    """Who acts: a government body or international organisation that keeps a list."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    name: str
    jurisdiction: str = Field(max_length=16)
    description: str | None = None


class Entity(SQLModel, table=True):
    """An organisation, person, government, state, vessel... named by a stable `key`."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=KEY_LENGTH, unique=True)
    name: str = Field(index=True)
    kind: EntityKind = Field(sa_type=enum_column(EntityKind, "entity_kind"), index=True)
    country: str | None = Field(default=None, max_length=2, index=True)
    description: str | None = None
    # What an official list says besides names: addresses, births, nationalities, documents,
    # vessel particulars, remarks; kept as the list gave them (see tracker.importers).
    details: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)


class Alias(SQLModel, table=True):
    """Another name of an entity (a.k.a., formerly known as, another spelling)."""

    __table_args__ = (sa.UniqueConstraint("entity_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    name: str
    kind: AliasKind = Field(default=AliasKind.AKA, sa_type=enum_column(AliasKind, "alias_kind"))
    language: str | None = Field(default=None, max_length=LANGUAGE_LENGTH)


class SearchName(SQLModel, table=True):
    """One name of an entity (its own or an alias) normalised for search, kept in step by
    `services.search_index` whenever names are written (see `tracker.names`)."""

    __tablename__ = "search_name"

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    alias_id: int | None = Field(default=None, foreign_key="alias.id", index=True)
    name: str  # as written
    normalized: str


class SearchKey(SQLModel, table=True):
    """A word or a sound of a normalised name: what a search looks names up by."""

    __tablename__ = "search_key"
    __table_args__ = (sa.Index("ix_search_key_key_name", "key", "search_name_id"),)

    id: int | None = Field(default=None, primary_key=True)
    search_name_id: int = Field(foreign_key="search_name.id", index=True)
    key: str = Field(max_length=SEARCH_KEY_LENGTH)


class EntityLink(SQLModel, table=True):
    """Two entities the user says are one real-world target (lists that share no
    identifier); kept as a pair, never merged, so `entity unlink` undoes it exactly. The
    lower id comes first: a pair is stored once."""

    __tablename__ = "entity_link"
    __table_args__ = (
        sa.UniqueConstraint("entity_id", "linked_entity_id"),
        sa.CheckConstraint("entity_id < linked_entity_id", name="ordered_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    linked_entity_id: int = Field(foreign_key="entity.id", index=True)
    linked_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    note: str | None = None


class Identifier(SQLModel, table=True):
    """An identifier in some scheme (`ofac-uid`, `un-ref`...): what makes imports idempotent."""

    __table_args__ = (sa.UniqueConstraint("scheme", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    scheme: str = Field(max_length=IDENTIFIER_SCHEME_LENGTH)
    value: str = Field(max_length=IDENTIFIER_VALUE_LENGTH)


class Source(SQLModel, table=True):
    """A document a fact rests on: a Federal Register notice, a press release, a list file."""

    __table_args__ = (sa.CheckConstraint(date_shape("published_on"), name="published_on_shape"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str
    publisher: str | None = None
    url: str | None = Field(default=None, unique=True)
    document_number: str | None = None
    published_on: str | None = Field(default=None, max_length=DATE_LENGTH)


class Designation(SQLModel, table=True):
    """One listing of an entity on a list by an authority; a re-designation is a new row."""

    __table_args__ = (
        sa.CheckConstraint(date_shape("announced_on"), name="announced_on_shape"),
        sa.CheckConstraint(date_shape("effective_on"), name="effective_on_shape"),
        sa.CheckConstraint(date_shape("ended_on"), name="ended_on_shape"),
        sa.CheckConstraint(
            not_certainly_before("effective_on", "announced_on"), name="effective_after_announced"
        ),
        sa.CheckConstraint(
            not_certainly_before("ended_on", "effective_on"), name="ended_after_effective"
        ),
        sa.CheckConstraint(
            not_certainly_before("ended_on", "announced_on"), name="ended_after_announced"
        ),
        sa.Index("ix_designation_authority_list", "authority_id", "list_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    authority_id: int = Field(foreign_key="authority.id")
    list_code: str = Field(max_length=LIST_CODE_LENGTH)
    program: str | None = Field(default=None, max_length=PROGRAM_LENGTH, index=True)
    legal_basis: str | None = None
    announced_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    effective_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    ended_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    status: DesignationStatus = Field(
        sa_type=enum_column(DesignationStatus, "designation_status"), index=True
    )
    status_text: str | None = None  # the source's own words for the status
    reason: str | None = None
    notes: str | None = None


class Sanction(SQLModel, table=True):
    """A measure (asset freeze, travel ban...) an authority imposes on a target entity."""

    __table_args__ = (
        sa.CheckConstraint(date_shape("start_on"), name="start_on_shape"),
        sa.CheckConstraint(date_shape("end_on"), name="end_on_shape"),
        sa.CheckConstraint(not_certainly_before("end_on", "start_on"), name="end_after_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    measure: SanctionMeasure = Field(sa_type=enum_column(SanctionMeasure, "sanction_measure"))
    program: str | None = Field(default=None, max_length=PROGRAM_LENGTH)
    legal_basis: str | None = None
    start_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    end_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    status: SanctionStatus = Field(
        sa_type=enum_column(SanctionStatus, "sanction_status"), index=True
    )
    notes: str | None = None


class Response(SQLModel, table=True):
    """What a party said or did about a designation, a sanction or an entity."""

    __table_args__ = (
        sa.CheckConstraint(date_shape("stated_on"), name="stated_on_shape"),
        sa.CheckConstraint(
            exactly_one("designation_id", "sanction_id", "about_entity_id"), name="one_subject"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    responder_id: int = Field(foreign_key="entity.id", index=True)
    designation_id: int | None = Field(default=None, foreign_key="designation.id", index=True)
    sanction_id: int | None = Field(default=None, foreign_key="sanction.id", index=True)
    about_entity_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    stance: Stance = Field(sa_type=enum_column(Stance, "stance"))
    stated_on: str = Field(max_length=DATE_LENGTH, index=True)
    summary: str


class Citation(SQLModel, table=True):
    """Links a designation, sanction or response to one of the sources it rests on."""

    __table_args__ = (
        sa.CheckConstraint(
            exactly_one("designation_id", "sanction_id", "response_id"), name="one_fact"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    designation_id: int | None = Field(default=None, foreign_key="designation.id", index=True)
    sanction_id: int | None = Field(default=None, foreign_key="sanction.id", index=True)
    response_id: int | None = Field(default=None, foreign_key="response.id", index=True)


class ImportRun(SQLModel, table=True):
    """One import of one list file: what it was, and what it changed."""

    __tablename__ = "import_run"

    __table_args__ = (sa.CheckConstraint(date_shape("published_on"), name="published_on_shape"),)

    id: int | None = Field(default=None, primary_key=True)
    format: str = Field(max_length=32)
    list_code: str = Field(max_length=LIST_CODE_LENGTH)
    file_name: str
    sha256: str = Field(max_length=64, index=True)
    published_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    started_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    finished_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0


class Event(SQLModel, table=True):
    """The append-only change log: what happened, when in the world, when we learned it."""

    __table_args__ = (
        sa.CheckConstraint(date_shape("occurred_on"), name="occurred_on_shape"),
        sa.Index("ix_event_subject", "subject_type", "subject_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    action: EventAction = Field(sa_type=enum_column(EventAction, "event_action"), index=True)
    subject_type: SubjectType = Field(sa_type=enum_column(SubjectType, "subject_type"))
    subject_id: int
    entity_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    occurred_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    recorded_at: dt.datetime = Field(
        default_factory=utc_now, sa_type=sa.DateTime(timezone=True), index=True
    )
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    source_id: int | None = Field(default=None, foreign_key="source.id")
    import_run_id: int | None = Field(default=None, foreign_key="import_run.id", index=True)
    note: str | None = None
