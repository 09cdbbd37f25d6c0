"""The tables. Every fact cites sources; every change is an event; nothing is deleted.

Dates of official acts are stored as partial-date ISO text (see `tracker.dates`), so the
same comparisons work in SQL on SQLite and PostgreSQL. A listing keeps the dates its source
*states* (announced, effective, ended) apart from what imports *observed*: the first and the
latest edition of a list that showed it (`first_seen_on`, `last_seen_on`) and the edition that
no longer did (`removed_on`, `removed_by_run_id`). An edition's date is never a stated date.

Enums are stored as their text value with a CHECK constraint (no native PostgreSQL enum
types: adding a value stays a one-line migration on both engines).
"""

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.enums import (
    AlertKind,
    AliasKind,
    CountryRole,
    DesignationStatus,
    EntityKind,
    EventAction,
    FactKind,
    HitState,
    SanctionMeasure,
    SanctionStatus,
    Stance,
    SubjectType,
    SyncOutcome,
    Verdict,
    WatchKind,
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
GENDER_LENGTH = 6
PROGRAM_LENGTH = 64
LIST_CODE_LENGTH = 32
SEARCH_KEY_LENGTH = 200
KEY_LENGTH = 128
SCRIPT_LENGTH = 32
RELATION_LENGTH = 64
RECORD_ID_LENGTH = 256
LIST_KEY_LENGTH = 100


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


def observed_checks() -> tuple[sa.CheckConstraint, ...]:
    """The observed dates of a listing or list entry: shaped as dates, and in the order the
    editions that showed it came (first seen, last seen, then gone)."""
    return (
        sa.CheckConstraint(date_shape("first_seen_on"), name="first_seen_on_shape"),
        sa.CheckConstraint(date_shape("last_seen_on"), name="last_seen_on_shape"),
        sa.CheckConstraint(date_shape("removed_on"), name="removed_on_shape"),
        sa.CheckConstraint(
            not_certainly_before("last_seen_on", "first_seen_on"), name="seen_in_order"
        ),
        sa.CheckConstraint(
            not_certainly_before("removed_on", "last_seen_on"), name="removed_after_seen"
        ),
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
    source_id: int | None = Field(default=None, foreign_key="source.id")  # who named it


class Entity(SQLModel, table=True):
    """An organisation, person, government, state, vessel... named by a stable `key`."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=KEY_LENGTH, unique=True)
    name: str = Field(index=True)
    kind: EntityKind = Field(sa_type=enum_column(EntityKind, "entity_kind"), index=True)
    country: str | None = Field(default=None, max_length=2, index=True)
    description: str | None = None
    source_id: int | None = Field(default=None, foreign_key="source.id")  # first recorded from


class Alias(SQLModel, table=True):
    """Another name of an entity (a.k.a., formerly known as, another spelling)."""

    __table_args__ = (sa.UniqueConstraint("entity_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    name: str
    kind: AliasKind = Field(default=AliasKind.AKA, sa_type=enum_column(AliasKind, "alias_kind"))
    language: str | None = Field(default=None, max_length=LANGUAGE_LENGTH)
    script: str | None = Field(default=None, max_length=SCRIPT_LENGTH)  # as the list names it
    source_id: int | None = Field(default=None, foreign_key="source.id")


class EntityCountry(SQLModel, table=True):
    """A country a list ties an entity to, and how: nationality, citizenship, address...
    (`tracker.countries` reads the list's spelling). The country filter matches these beside
    `entity.country`. A row an import wrote belongs to the list entry that says it, follows
    what the entry's latest edition says, and cites the edition that first said it."""

    __tablename__ = "entity_country"
    __table_args__ = (
        sa.UniqueConstraint("list_entry_id", "role", "country"),
        sa.Index("ix_entity_country_country_entity_id", "country", "entity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    country: str = Field(max_length=2)
    role: CountryRole = Field(sa_type=enum_column(CountryRole, "country_role"))
    list_entry_id: int | None = Field(default=None, foreign_key="list_entry.id")
    source_id: int | None = Field(default=None, foreign_key="source.id")


class MatchFact(SQLModel, table=True):
    """A fact a list entry states of its party that a screening weighs beside the name: a
    number (passport, tax, registration, IMO...), a date of birth, a gender (`FactKind`), as
    stated and as compared (`tracker.matching.facts`). Written by imports with the entry's
    countries and kept in step with what its latest edition says; numbers are looked up by
    their compared form, so a matching identifier finds its party whatever the names."""

    __tablename__ = "match_fact"
    __table_args__ = (sa.Index("ix_match_fact_kind_normalized", "kind", "normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    list_entry_id: int = Field(foreign_key="list_entry.id", index=True)
    kind: FactKind = Field(sa_type=enum_column(FactKind, "fact_kind"))
    value: str = Field(max_length=IDENTIFIER_VALUE_LENGTH)
    normalized: str = Field(max_length=IDENTIFIER_VALUE_LENGTH)


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


SAME_TARGET = "same-target"


class EntityLink(SQLModel, table=True):
    """Two related entities, kept as a pair and never merged, so an unlink undoes it exactly.

    `same-target`: the user says they are one real-world target (lists that share no
    identifier); the lower id comes first, so such a pair is stored once. Any other relation
    is one a list states between its entries ("Owned or Controlled By"), read from the first
    entity to the second.
    """

    __tablename__ = "entity_link"
    __table_args__ = (
        sa.UniqueConstraint("entity_id", "linked_entity_id", "relation"),
        sa.CheckConstraint(
            f"entity_id < linked_entity_id OR (relation <> '{SAME_TARGET}'"
            " AND entity_id <> linked_entity_id)",
            name="ordered_pair",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    linked_entity_id: int = Field(foreign_key="entity.id", index=True)
    relation: str = Field(default=SAME_TARGET, max_length=RELATION_LENGTH)
    linked_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    note: str | None = None
    source_id: int | None = Field(default=None, foreign_key="source.id")


class Identifier(SQLModel, table=True):
    """An identifier in some scheme (`ofac-uid`, `un-ref`...): what makes imports idempotent."""

    __table_args__ = (sa.UniqueConstraint("scheme", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    scheme: str = Field(max_length=IDENTIFIER_SCHEME_LENGTH)
    value: str = Field(max_length=IDENTIFIER_VALUE_LENGTH)
    source_id: int | None = Field(default=None, foreign_key="source.id")


class Source(SQLModel, table=True):
    """A document a fact rests on: a Federal Register notice, a press release, a list file.

    A document is recorded once: by its URL, or, for an edition of a list (many editions
    share the list's official URL), by the sha256 of the file that was imported.
    """

    __table_args__ = (
        sa.CheckConstraint(date_shape("published_on"), name="published_on_shape"),
        sa.Index(
            "uq_source_url",
            "url",
            unique=True,
            sqlite_where=sa.text("sha256 IS NULL"),
            postgresql_where=sa.text("sha256 IS NULL"),
        ),
        sa.Index("uq_source_sha256", "sha256", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str
    publisher: str | None = None
    url: str | None = None
    document_number: str | None = None
    published_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    file_name: str | None = None  # an imported file, with the sha256 of what was read
    sha256: str | None = Field(default=None, max_length=64)


class Designation(SQLModel, table=True):
    """One listing of an entity on a list by an authority; a re-designation is a new row.

    One made by an import points at its list entry and carries the list's own id of the
    listing (`record_id`), with the dates the editions showed it beside the stated ones.
    """

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
        *observed_checks(),
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
    # What imports observed, kept apart from the dates the source states (see `Observed`).
    first_seen_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    last_seen_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    removed_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    removed_by_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    list_entry_id: int | None = Field(default=None, foreign_key="list_entry.id", index=True)
    record_id: str | None = Field(default=None, max_length=RECORD_ID_LENGTH, index=True)


class Sanction(SQLModel, table=True):
    """A measure (asset freeze, travel ban...) an authority imposes on a target entity."""

    __table_args__ = (
        sa.CheckConstraint(date_shape("start_on"), name="start_on_shape"),
        sa.CheckConstraint(date_shape("end_on"), name="end_on_shape"),
        sa.CheckConstraint(not_certainly_before("end_on", "start_on"), name="end_after_start"),
        *observed_checks(),
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
    first_seen_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    last_seen_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    removed_on: str | None = Field(default=None, max_length=DATE_LENGTH, index=True)
    removed_by_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    list_entry_id: int | None = Field(default=None, foreign_key="list_entry.id", index=True)
    record_id: str | None = Field(default=None, max_length=RECORD_ID_LENGTH, index=True)


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


class ListEntry(SQLModel, table=True):
    """An entity's entry on an imported list: the list's own identifier for it, what the
    latest edition that showed it said (and a digest of that, to tell a changed entry from
    an unchanged one without reading it), and which editions showed it."""

    __tablename__ = "list_entry"
    __table_args__ = (
        sa.UniqueConstraint("list_key", "identifier"),
        *observed_checks(),
    )

    id: int | None = Field(default=None, primary_key=True)
    list_key: str = Field(max_length=LIST_KEY_LENGTH)  # "us-ofac/SDN"
    identifier: str = Field(max_length=IDENTIFIER_VALUE_LENGTH)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    content: dict[str, Any] = Field(sa_type=sa.JSON)
    digest: str = Field(max_length=32)
    first_seen_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    last_seen_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    removed_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    removed_by_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    source_id: int | None = Field(default=None, foreign_key="source.id")  # first seen in


class ImportRun(SQLModel, table=True):
    """One import of one list file: what it was, and what it changed."""

    __tablename__ = "import_run"

    __table_args__ = (sa.CheckConstraint(date_shape("published_on"), name="published_on_shape"),)

    id: int | None = Field(default=None, primary_key=True)
    format: str = Field(max_length=32)
    list_key: str = Field(max_length=LIST_KEY_LENGTH, index=True)
    list_code: str = Field(max_length=LIST_CODE_LENGTH)
    source_id: int | None = Field(default=None, foreign_key="source.id")
    # A delta or a filtered export speaks of part of the list only (nothing left out ends).
    complete: bool = True
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


class SyncRun(SQLModel, table=True):
    """One attempt to follow one list: what was asked for, what came back, what it changed.
    An ok run's archive file and its import were committed together (`tracker.sync`)."""

    __tablename__ = "sync_run"
    __table_args__ = (sa.CheckConstraint(date_shape("published_on"), name="published_on_shape"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=LIST_KEY_LENGTH, index=True)
    url: str
    format: str = Field(max_length=32)
    started_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    finished_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    outcome: SyncOutcome = Field(sa_type=enum_column(SyncOutcome, "sync_outcome"))
    reason: str | None = None
    http_status: int | None = None
    bytes: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    # What the server said of the body, sent back next time for a conditional GET.
    etag: str | None = None
    last_modified: str | None = None
    published_on: str | None = Field(default=None, max_length=DATE_LENGTH)
    archive_path: str | None = None
    import_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    added: int = 0
    changed: int = 0
    removed: int = 0


# -- screening that remembers (tracker.screening) ---------------------------------------


class Screening(SQLModel, table=True):
    """A named set of parties screened again and again (a customer book): its rows, runs,
    hits and the decisions on them, so a decided hit stays decided."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=LIST_KEY_LENGTH, unique=True)
    # Fixed when the screening is created: a hit decided once must mean the same later.
    threshold: float
    hits_per_row: int = 3
    follow: bool = False  # rescreened by `tracker sync` after each new edition
    created_at: dt.datetime = Field(default_factory=utc_now, sa_type=sa.DateTime(timezone=True))


class ScreeningRow(SQLModel, table=True):
    """One party of a screening, under the caller's id for it, as last screened."""

    __tablename__ = "screening_row"
    __table_args__ = (
        sa.UniqueConstraint("screening_id", "row_key"),
        sa.CheckConstraint(date_shape("birth_date"), name="birth_date_shape"),
    )

    id: int | None = Field(default=None, primary_key=True)
    screening_id: int = Field(foreign_key="screening.id", index=True)
    row_key: str = Field(max_length=RECORD_ID_LENGTH)  # the caller's id (--id-column)
    name: str
    birth_date: str | None = Field(default=None, max_length=DATE_LENGTH)
    country: str | None = Field(default=None, max_length=2)
    gender: str | None = Field(default=None, max_length=GENDER_LENGTH)  # male, female
    kind: EntityKind | None = Field(default=None, sa_type=enum_column(EntityKind, "entity_kind"))
    identifiers: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # The latest run that screened it: its hits there are the row's hits now.
    last_run_id: int | None = Field(default=None, foreign_key="screening_run.id")


class ScreeningRun(SQLModel, table=True):
    """One screening of a screening's rows: from a file, or a rescreen after an import."""

    __tablename__ = "screening_run"

    id: int | None = Field(default=None, primary_key=True)
    screening_id: int = Field(foreign_key="screening.id", index=True)
    started_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    finished_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    file_name: str | None = None  # None for a rescreen
    sha256: str | None = Field(default=None, max_length=64)
    import_run_id: int | None = Field(default=None, foreign_key="import_run.id")  # rescreen after
    # The newest event when it screened: a later rescreen need only look at what came after.
    last_event_id: int | None = None
    rows: int = 0
    hits: int = 0
    raised: int = 0  # hits new or changed since a decision


class ScreeningHit(SQLModel, table=True):
    """A listed party one run found for one row, with the party's state at that time."""

    __tablename__ = "screening_hit"
    __table_args__ = (sa.Index("ix_screening_hit_row_entity", "row_id", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="screening_run.id", index=True)
    row_id: int = Field(foreign_key="screening_row.id")
    entity_id: int = Field(foreign_key="entity.id", index=True)
    score: float
    matched: str
    why: str
    state: HitState = Field(sa_type=enum_column(HitState, "hit_state"))
    # The party as it stood: the latest event about it, and what a reviewer saw.
    last_event_id: int | None = None
    entity_state: dict[str, Any] = Field(sa_type=sa.JSON)


class ScreeningDecision(SQLModel, table=True):
    """A reviewer's verdict on a (row, listed party) pair; the latest one stands, the
    earlier ones are its history."""

    __tablename__ = "screening_decision"
    __table_args__ = (sa.Index("ix_screening_decision_row_entity", "row_id", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    row_id: int = Field(foreign_key="screening_row.id")
    entity_id: int = Field(foreign_key="entity.id")
    verdict: Verdict = Field(sa_type=enum_column(Verdict, "verdict"))
    note: str | None = None
    decided_by: str
    decided_at: dt.datetime = Field(default_factory=utc_now, sa_type=sa.DateTime(timezone=True))
    hit_id: int | None = Field(default=None, foreign_key="screening_hit.id")
    # The latest event about the party when decided: a later one reopens the decision.
    last_event_id: int | None = None


# -- watches and alerts (tracker.watches) -----------------------------------------------


class Watch(SQLModel, table=True):
    """Something a user follows; imports raise alerts for what they change that it covers.
    A removed watch is kept (its alerts still name it), with `removed_at` set."""

    id: int | None = Field(default=None, primary_key=True)
    kind: WatchKind = Field(sa_type=enum_column(WatchKind, "watch_kind"))
    target: str  # an entity key, a program code, AUTHORITY/LIST, or a name
    entity_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    threshold: float | None = None  # a name watch's
    note: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None  # signs each delivery (HMAC-SHA256)
    created_by: str
    created_at: dt.datetime = Field(default_factory=utc_now, sa_type=sa.DateTime(timezone=True))
    removed_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class Alert(SQLModel, table=True):
    """Something that changed and that a watch, or a remembered screening, covers."""

    __table_args__ = (sa.UniqueConstraint("watch_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: AlertKind = Field(sa_type=enum_column(AlertKind, "alert_kind"))
    watch_id: int | None = Field(default=None, foreign_key="watch.id", index=True)
    screening_run_id: int | None = Field(default=None, foreign_key="screening_run.id")
    entity_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="event.id")
    import_run_id: int | None = Field(default=None, foreign_key="import_run.id")
    summary: str
    detail: dict[str, Any] = Field(sa_type=sa.JSON)
    raised_at: dt.datetime = Field(
        default_factory=utc_now, sa_type=sa.DateTime(timezone=True), index=True
    )
    read_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class WebhookDelivery(SQLModel, table=True):
    """The outbox: one alert to POST to one watch's webhook, until the receiver takes it.
    Delivered at least once, in order per watch (a later alert waits for the earlier)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.Index("ix_webhook_delivery_pending", "delivered_at", "watch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    watch_id: int = Field(foreign_key="watch.id")
    url: str
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(sa_type=sa.DateTime(timezone=True))
    delivered_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_status: int | None = None
    last_error: str | None = None
