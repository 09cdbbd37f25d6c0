"""Fixed vocabularies: users of public lists complain most about free-text status.

Values are the kebab-case words users type on the command line and see in JSON.
"""

from enum import StrEnum


class EntityKind(StrEnum):
    ORGANIZATION = "organization"
    PERSON = "person"
    COMPANY = "company"
    GOVERNMENT = "government"
    STATE = "state"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    OTHER = "other"


class AliasKind(StrEnum):
    AKA = "aka"
    WEAK_AKA = "weak-aka"
    FKA = "fka"
    SPELLING = "spelling"


class DesignationStatus(StrEnum):
    PENDING = "pending"  # announced, not yet in force
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ANNULLED = "annulled"  # by a court
    SUPERSEDED = "superseded"
    DELISTED = "delisted"  # gone from an imported list: observed, the act itself not recorded


class SanctionMeasure(StrEnum):
    ASSET_FREEZE = "asset-freeze"
    FINANCIAL_BLOCK = "financial-block"
    TRAVEL_BAN = "travel-ban"
    VISA_RESTRICTION = "visa-restriction"
    ARMS_EMBARGO = "arms-embargo"
    ARMS_EXPORT_RESTRICTIONS = "arms-export-restrictions"
    EXPORT_CONTROL = "export-control"
    INVESTMENT_BAN = "investment-ban"
    RESTRICTIONS_ON_GOODS = "restrictions-on-goods"
    PROHIBITION_TO_SATISFY_CLAIMS = "prohibition-to-satisfy-claims"
    SECTORAL = "sectoral"
    OTHER = "other"


class SanctionStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LIFTED = "lifted"
    EXPIRED = "expired"
    DELISTED = "delisted"  # gone from an imported list: observed, the act itself not recorded


class Stance(StrEnum):
    REJECTS = "rejects"
    DENIES = "denies"
    CONDEMNS = "condemns"
    DISPUTES = "disputes"
    CONTESTS_LEGALLY = "contests-legally"
    PETITIONS_FOR_DELISTING = "petitions-for-delisting"
    RETALIATES = "retaliates"
    ACKNOWLEDGES = "acknowledges"
    COMPLIES = "complies"
    SUPPORTS = "supports"
    WELCOMES = "welcomes"


class SubjectType(StrEnum):
    """What an event is about."""

    ENTITY = "entity"
    ALIAS = "alias"
    IDENTIFIER = "identifier"
    DESIGNATION = "designation"
    SANCTION = "sanction"
    RESPONSE = "response"
    SOURCE = "source"
    AUTHORITY = "authority"


class EventAction(StrEnum):
    """What happened, in the words reports print."""

    ENTITY_ADDED = "entity-added"
    ENTITY_EDITED = "entity-edited"
    ALIAS_ADDED = "alias-added"
    ALIAS_REMOVED = "alias-removed"
    IDENTIFIER_ADDED = "identifier-added"
    SOURCE_ADDED = "source-added"
    AUTHORITY_ADDED = "authority-added"
    LISTED = "listed"  # a designation announced (or, with no announcement date, in force)
    EFFECTIVE = "effective"  # an announced designation entered into force
    AMENDED = "amended"
    REVOKED = "revoked"
    DELISTED = "delisted"  # gone from an imported list (observed in an edition)
    IMPOSED = "imposed"
    LIFTED = "lifted"
    RESPONDED = "responded"
    LINKED = "linked"  # two entities are the same real-world target (the user said so)
    UNLINKED = "unlinked"


# The note on an amendment (from an imported list) that only touched formatting: whitespace,
# punctuation or case in remarks or addresses. Reports can leave such changes out.
COSMETIC_NOTE = "cosmetic"


class CountryRole(StrEnum):
    """How a list ties an entity to a country (`entity_country.role`)."""

    NATIONALITY = "nationality"
    CITIZENSHIP = "citizenship"
    ADDRESS = "address"
    REGISTRATION = "registration"  # a company's or a vessel's "nationality of registration"
    JURISDICTION = "jurisdiction"
    FLAG = "flag"  # a vessel's flag
    ASSOCIATED = "associated"  # a country the list names without saying how (FtM `country`)


class SyncOutcome(StrEnum):
    """How one `tracker sync` of one list ended."""

    OK = "ok"  # a new edition, imported and archived
    UNCHANGED = "unchanged"  # 304, or the same bytes as the last archived edition
    FAILED = "failed"  # nothing changed; the reason says why


class WatchKind(StrEnum):
    """What a watch follows (`tracker watch add KIND TARGET`)."""

    ENTITY = "entity"  # one entity (and the entities linked to it), by key
    PROGRAM = "program"  # every listing under a sanctions program, by code
    LIST = "list"  # every listing on one list, AUTHORITY/LIST
    NAME = "name"  # any newly listed or renamed party whose name matches


class AlertKind(StrEnum):
    """Why an alert was raised."""

    LISTED = "listed"  # a watched entity listed
    LISTED_ELSEWHERE = "listed-elsewhere"  # a watched entity listed by another authority
    DELISTED = "delisted"
    AMENDED = "amended"  # a watched entity's listing or details changed
    NEW_LISTING = "new-listing"  # a new listing under a watched program or list
    NAME_MATCH = "name-match"  # a newly listed or renamed party matches a watched name
    SCREENING_HIT = "screening-hit"  # a rescreen found a hit not seen before
    SCREENING_CHANGED = "screening-changed"  # a decided hit's party changed since the decision


class Verdict(StrEnum):
    """A reviewer's decision on a screening hit."""

    FALSE_POSITIVE = "false-positive"
    MATCH = "match"


class HitState(StrEnum):
    """A screening hit as a run found it, against what was decided before."""

    NEW = "new"  # not seen for this row before
    OPEN = "open"  # seen before, not decided yet
    CHANGED = "changed-since-decision"  # decided, but the party changed since: review again
    FALSE_POSITIVE = "false-positive"  # decided so, nothing changed: not raised
    MATCH = "match"  # decided a true match, nothing changed


class FactKind(StrEnum):
    """What a `match_fact` row holds: a fact a screening weighs beside the name."""

    DOCUMENT = "document"  # an identity or registration number, an IMO or MMSI number
    BIRTH = "birth"  # a date of birth (ISO, partial, a range; "~" first when approximate)
    GENDER = "gender"  # male or female
