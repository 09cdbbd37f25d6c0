"""What `tracker.api` returns: frozen dataclasses with structured fields (dates as ISO text
with the precision the source gave, sources as objects, keys to name records), never prose.
`--format json` is these objects as JSON (see `tracker.reports.json`); the other formats are
views of them.

A `...Record` is one stored fact as the API shows it; a report (`StatusReport`,
`ChangesReport`, `Timeline`, `Comparison`) is the answer to one question.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import InvalidValue
from tracker.storable import unstorable


@dataclass(frozen=True)
class SourceRef:
    """A document a fact rests on: a notice, a press release, an edition of a list."""

    id: int
    title: str
    url: str | None = None
    publisher: str | None = None
    document_number: str | None = None
    published_on: str | None = None
    file_name: str | None = None  # an imported edition: the file read, and its sha256
    sha256: str | None = None


@dataclass(frozen=True)
class EntityRef:
    """An entity named in another record."""

    key: str
    name: str


@dataclass(frozen=True)
class EntityRecord:
    key: str
    name: str
    kind: str
    country: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class AliasRecord:
    name: str
    kind: str  # aka, weak-aka, fka, spelling
    language: str | None = None
    script: str | None = None


@dataclass(frozen=True)
class IdentifierRecord:
    scheme: str
    value: str


@dataclass(frozen=True)
class AuthorityRecord:
    key: str
    name: str
    jurisdiction: str
    description: str | None = None


@dataclass(frozen=True)
class Observed:
    """What imported editions showed of a listing (or an entry): the first and the latest
    edition that showed it, and the edition that no longer did. Never a stated date."""

    first_seen_on: str | None = None
    last_seen_on: str | None = None
    removed_on: str | None = None


@dataclass(frozen=True)
class DesignationRecord:
    """A listing of an entity on a list by an authority, with its status as of a day."""

    id: int
    entity: EntityRef
    authority: str
    list: str
    program: str | None
    legal_basis: str | None
    announced_on: str | None  # stated
    effective_on: str | None  # stated
    ended_on: str | None  # stated
    observed: Observed
    since: str | None  # the stated start, else the first sighting (`since_stated` says which)
    since_stated: bool
    status: str  # as of the day asked for (today, or the report's day)
    recorded_status: str  # the lifecycle status stored
    status_text: str | None = None  # the source's own words
    reason: str | None = None
    notes: str | None = None
    record_id: str | None = None  # the list's own id of the listing
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class SanctionRecord:
    """A measure an authority imposes on a target, with its status as of a day."""

    id: int
    entity: EntityRef
    authority: str
    measure: str
    program: str | None
    legal_basis: str | None
    start_on: str | None  # stated
    end_on: str | None  # stated
    observed: Observed
    since: str | None
    since_stated: bool
    status: str
    recorded_status: str
    notes: str | None = None
    record_id: str | None = None
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Subject:
    """What a response is about: a designation or a sanction (by id) or an entity (by key)."""

    kind: str  # designation, sanction, entity
    id: int | None = None
    key: str | None = None


@dataclass(frozen=True)
class ResponseRecord:
    id: int
    responder: EntityRef
    about: Subject
    entity: EntityRef  # the entity the response concerns
    stance: str
    stated_on: str
    summary: str
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class EventRecord:
    """One entry of the change log: what happened (`occurred_on`, valid time), when the
    database learned it (`recorded_at`), exactly which fields changed, and on what source."""

    id: int
    action: str
    subject_type: str
    subject_id: int
    entity: EntityRef | None
    occurred_on: str | None
    recorded_at: dt.datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None
    source: SourceRef | None
    import_run: int | None
    # The designation or sanction the event is about, as reports name it.
    listing: "ListingRef | None" = None
    # The other entity the event names: a response's responder, a link's other end.
    other: EntityRef | None = None


@dataclass(frozen=True)
class ListingRef:
    """A designation or sanction named in an event or a search hit."""

    kind: str  # designation, sanction
    id: int
    authority: str
    list: str | None = None
    program: str | None = None
    measure: str | None = None


@dataclass(frozen=True)
class LinkedRecord:
    """Another entity linked to this one: the same target (the user said so), or a
    relationship a list states ("Owned or Controlled By", read from `entity` to `other`)."""

    relation: str
    other: EntityRef
    linked_on: str
    note: str | None = None
    outgoing: bool = True  # False: the other entity is the relation's subject


@dataclass(frozen=True)
class Birth:
    """A birth as a list states it: a date, a place, or both where the list pairs them."""

    date: str | None = None  # ISO, with the list's precision; "1960/1962": a stated range
    place: str | None = None
    country: str | None = None
    approximate: bool = False  # "circa", "approximately"
    note: str | None = None  # the list's own words, where they say more than the date


@dataclass(frozen=True)
class Address:
    """An address in the parts the list gives (`text` when it gives one line)."""

    street: str | None = None
    city: str | None = None
    region: str | None = None  # state, province, governorate
    postal_code: str | None = None
    country: str | None = None
    text: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class IdentityDocument:
    """A passport, an identity card, a tax or registration number the list gives."""

    kind: str | None  # as the list names it: "Passport", "Cedula No.", "National ID No."
    number: str | None
    country: str | None = None  # of issue
    issued_on: str | None = None
    expires_on: str | None = None
    issued_by: str | None = None  # the authority or the place of issue
    note: str | None = None


@dataclass(frozen=True)
class VesselParticulars:
    flag: str | None = None
    call_sign: str | None = None
    vessel_type: str | None = None
    tonnage: str | None = None
    gross_registered_tonnage: str | None = None
    owner: str | None = None
    year_built: str | None = None
    imo: str | None = None
    mmsi: str | None = None


@dataclass(frozen=True)
class ListedFact:
    """Anything else a list states of an entry, under the list's own label."""

    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ListedDetails:
    """What one list entry says of its party, typed. Lists that state births, nationalities
    or documents only in their remarks (OFAC's legacy files) have them read from there; the
    remarks are kept as written."""

    gender: str | None = None
    titles: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    births: tuple[Birth, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    documents: tuple[IdentityDocument, ...] = ()
    vessel: VesselParticulars | None = None
    remarks: tuple[str, ...] = ()
    other: tuple[ListedFact, ...] = ()


@dataclass(frozen=True)
class ListEntryRecord:
    """What an imported list says of the entity, and which editions showed it."""

    list: str  # "us-ofac/SDN"
    identifier: str
    observed: Observed
    says: dict[str, Any]  # the stored details as the importer kept them (see `details`)
    first_source: SourceRef | None  # the first edition that showed the entry
    name: str | None = None  # the entry's name on this list
    programs: tuple[str, ...] = ()
    details: ListedDetails = ListedDetails()
    last_source: SourceRef | None = None  # the latest edition that showed it: what it says


@dataclass(frozen=True)
class EntityProfile:
    """Everything known about one entity; designations, sanctions and responses are those of
    the whole target (the entity and those linked to it as the same target)."""

    entity: EntityRecord
    aliases: tuple[AliasRecord, ...]
    identifiers: tuple[IdentifierRecord, ...]
    links: tuple[LinkedRecord, ...]
    designations: tuple[DesignationRecord, ...]
    sanctions: tuple[SanctionRecord, ...]
    responses: tuple[ResponseRecord, ...]
    lists: tuple[ListEntryRecord, ...]
    events: tuple[EventRecord, ...]  # the most recent, newest first

    @property
    def same_target(self) -> tuple[LinkedRecord, ...]:
        return tuple(link for link in self.links if link.relation == "same-target")


@dataclass(frozen=True)
class Coverage:
    """What the imported editions of one list cover: before `observed_from` the list's status
    is unknown, not empty; after `observed_until`, later changes are not known."""

    authority: str | None  # None: a list whose listings name their own authorities (FtM)
    list: str
    observed_from: str | None
    observed_until: str | None
    covers_as_of: bool


@dataclass(frozen=True)
class ResponseRef:
    id: int
    responder: EntityRef
    stance: str
    stated_on: str


@dataclass(frozen=True)
class Target:
    """One real-world target in force on the day: an entity and those linked to it."""

    entity: EntityRecord
    linked: tuple[str, ...]  # keys of the other entities of the target
    designations: tuple[int, ...]  # ids, in the report's `designations`
    sanctions: tuple[int, ...]
    latest_response: ResponseRef | None


@dataclass(frozen=True)
class Total:
    authority: str
    list: str
    active: int
    pending: int


@dataclass(frozen=True)
class Filters:
    """Which records a question is about. Every field left None matches everything."""

    authority: str | None = None
    list: str | None = None
    program: str | None = None
    country: str | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value is not None and not value.strip():
                raise InvalidValue(f"{name}: empty (leave the filter out to match everything)")
            if value is not None and (problem := unstorable(value)) is not None:
                raise InvalidValue(f"{name}: {value!r} {problem}")

    def given(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class StatusReport:
    """Who is designated or sanctioned as of a day."""

    as_of: str
    filters: Filters
    coverage: tuple[Coverage, ...]
    targets: tuple[Target, ...]
    designations: tuple[DesignationRecord, ...]
    sanctions: tuple[SanctionRecord, ...]
    totals: tuple[Total, ...]


@dataclass(frozen=True)
class ChangesReport:
    """What changed between two days (or what was recorded since a moment)."""

    since: str | None
    until: str | None
    recorded_since: dt.datetime | None
    filters: Filters
    hide_cosmetic: bool
    changes: tuple[EventRecord, ...]


@dataclass(frozen=True)
class Timeline:
    entity: EntityRef
    events: tuple[EventRecord, ...]  # oldest first; undated records first


@dataclass(frozen=True)
class AuthorityStanding:
    """One authority's standing on a target. Lags come from stated dates only: a standing
    known only from sightings has none (`listed_on` is None, `first_seen_on` says when)."""

    authority: str
    authority_name: str
    lists: tuple[str, ...]
    programs: tuple[str, ...]
    listed_on: str | None
    listing_lag_days: int | None
    first_seen_on: str | None
    status: str  # in force, pending, ended, delisted
    ended_on: str | None
    ending_lag_days: int | None
    removed_on: str | None
    entities: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    entity: EntityRef
    target: tuple[str, ...]
    as_of: str
    authorities: tuple[AuthorityStanding, ...]
    designations: tuple[DesignationRecord, ...]


@dataclass(frozen=True)
class SearchHit:
    """A listed party whose name or alias matches a query."""

    entity: EntityRecord
    score: float  # 0..1; 1: the same name once case, accents, punctuation, legal form set aside
    matched: str  # the name or alias that matched best
    matched_as: str  # "name", or the alias kind
    why: str  # how the score came about, for a reviewer
    in_force: tuple[ListingRef, ...] = ()  # designations in force on the day asked for
    # What a screening weighed beside the name (`tracker.matching.facts`): "born 1960
    # (listed 1960-05-12)", "country VE (listed CU) (-0.10)".
    agrees: tuple[str, ...] = ()
    contradicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScreenQuery:
    """One name to screen, with the caller's id for it (a row number, a customer id), and
    optionally what else the caller knows of the party: a date of birth (YYYY, YYYY-MM or
    YYYY-MM-DD), a country (a code or a name), a gender, a kind, identifiers ("A1234567",
    or "SCHEME:VALUE" as "imo:9187629"). An identifier the lists give a party is decisive;
    a contradicting date, country, gender or kind lowers the score (`tracker.matching.facts`)."""

    name: str
    id: str | None = None
    birth_date: str | None = None
    country: str | None = None
    gender: str | None = None
    kind: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScreenResult:
    """The hits of one screened name, best first (none when nothing scores high enough)."""

    query: ScreenQuery
    hits: tuple[SearchHit, ...] = ()


@dataclass(frozen=True)
class ImportOptions:
    """How `import_list` treats an edition: the checks it may skip, where it came from."""

    dry_run: bool = False
    force: bool = False
    allow_mass_delisting: bool = False
    url: str | None = None  # where this edition was downloaded from, if not the official URL


@dataclass(frozen=True)
class ImportSummary:
    """What one import did (or, in a dry run, would do)."""

    file_name: str
    format: str
    list_code: str
    published_on: str | None
    sha256: str
    run_id: int | None = None
    source_id: int | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    cosmetic: int = 0  # of the changed: only whitespace, punctuation or case in remarks/addresses
    dates_learned: int = 0  # listings whose stated dates this edition gave for the first time
    not_held: int = 0  # withdrawals (a delta's DEL) of entries the database never held
    countries_unread: int = 0  # country texts the lists gave that name no one country
    complete: bool = True  # a whole list, not a delta or a filtered export
    backfill: bool = False  # an edition older than the latest imported, filling in history
    dry_run: bool = False
    already_imported: bool = False
    changed_fields: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportRunRecord:
    id: int
    format: str
    list_key: str
    list: str
    file_name: str
    sha256: str
    published_on: str | None
    started_at: dt.datetime
    complete: bool
    added: int
    changed: int
    removed: int
    unchanged: int
    source: SourceRef | None = None


@dataclass(frozen=True)
class RevisionRecord:
    revision: str
    down_revision: str | None
    message: str
    head: bool


@dataclass(frozen=True)
class SeedSummary:
    files: tuple[str, ...]
    added: dict[str, int] = field(default_factory=dict)
    events: int = 0


@dataclass(frozen=True)
class DumpSummary:
    """A dump written or restored: its schema revision and the rows of each table."""

    path: str
    revision: str
    rows: int
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportSummary:
    """An FtM export: how many entities of each schema were written."""

    path: str
    entities: int
    counts: dict[str, int] = field(default_factory=dict)
