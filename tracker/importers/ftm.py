"""FollowTheMoney entity JSON lines (the OpenSanctions format) and their deltas.

People, organisations, companies, vessels and aircraft become entities keyed by their FtM id
(identifier scheme `ftm`); a `Sanction` becomes a listing of each entity it names, under the
authority it names; an `Identification` gives its holder an identifier (and so joins the
entity of another list that holds it). A delta file (`{"op": "ADD" | "MOD" | "DEL",
"entity": ...}` per line) is an edition that says only what changed.

Read in two passes, so the file is never held in memory: the first gathers sanctions and
identifications by the entity they name (and the edition's date), the second yields entries.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from tracker.dates import parse_optional
from tracker.enums import AliasKind, EntityKind, SanctionMeasure
from tracker.errors import InvalidInput, TrackerError
from tracker.importers import FTM_LIST, authorities, files, specs
from tracker.importers.records import Edition, ListedAlias, ListedParty, Listing
from tracker.models import IDENTIFIER_SCHEME_LENGTH, PROGRAM_LENGTH
from tracker.storable import unstorable
from tracker.validation import EXTRA_COUNTRY_CODES, slugify

SPEC = specs.FTM
KINDS = {
    "Person": EntityKind.PERSON,
    "Organization": EntityKind.ORGANIZATION,
    "Company": EntityKind.COMPANY,
    "LegalEntity": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.GOVERNMENT,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}
ALIAS_PROPERTIES = {
    "name": AliasKind.AKA,
    "alias": AliasKind.AKA,
    "weakAlias": AliasKind.WEAK_AKA,
    "previousName": AliasKind.FKA,
}
COUNTRY_PROPERTIES = ("country", "nationality", "jurisdiction", "citizenship", "flag")
# Properties that change with every crawl, not with the list: never an amendment.
VOLATILE = {"modifiedAt", "retrievedAt", "indexText"}
# OpenSanctions ids of other lists' records that are our identifiers ("ofac-32733").
REFERENTS = {re.compile(r"^ofac-(\d+)$"): "ofac-uid"}
VERSION = re.compile(r"^(\d{4})(\d{2})(\d{2})\d{6}-\w+$")  # 20240528014702-pfh
OPS = {"ADD", "MOD", "DEL"}


@dataclass
class _Gathered:
    """What the first pass learns: listings and identifiers by entity id, and dates."""

    listings: dict[str, list[Listing]] = field(default_factory=dict)
    identifiers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    authorities: dict[str, tuple[str, str]] = field(default_factory=dict)
    last_seen: str | None = None


def is_delta(path: Path) -> bool:
    """A delta by its content (lines with an `op`), or by name when it is empty."""
    if path.is_file() and path.stat().st_size == 0:
        return "delta" in path.name
    files.head(path)
    with path.open("rb") as handle:
        first = handle.readline()
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and "op" in record and "entity" in record


def version(path: Path) -> str | None:
    """The OpenSanctions version id in the path (`20240528014702-pfh/...`), if any."""
    for part in reversed(path.resolve().parts):
        if VERSION.match(part):
            return part
    return None


def version_date(path: Path) -> str | None:
    """The date of the OpenSanctions version id in the path."""
    found = version(path)
    match = VERSION.match(found) if found else None
    return "-".join(match.groups()) if match else None


def read(path: Path, *, list_code: str | None = None, published_on: str | None = None) -> Edition:
    """An edition from an FtM file or delta; dated by --published, else by the version id
    in its path (which is also the edition's number), else by the latest `last_seen` inside."""
    delta = is_delta(path)
    if not delta:
        files.head(path)
    gathered = _gather(path, delta)
    edition = Edition(
        format="ftm-delta" if delta else "ftm",
        spec=SPEC,
        list_code=list_code or FTM_LIST,
        published_on=published_on or version_date(path) or gathered.last_seen,
        declared_count=None,
        files=(path,),
        document_number=version(path),
        authorities=gathered.authorities,
        complete=not delta,
    )
    edition.parties = _parties(path, delta, gathered, edition)
    return edition


def _records(path: Path, delta: bool) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(line, op, entity) for each line; a broken line is an error naming it."""
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path}: line {line}"
            try:
                record = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as error:
                raise InvalidInput(f"{where}: not a JSON object ({error})") from error
            if not isinstance(record, dict):
                raise InvalidInput(f"{where}: not a JSON object")
            op = "ADD"
            if delta:
                op = record.get("op")
                if op not in OPS:
                    raise InvalidInput(f"{where}: op {op!r} is not ADD, MOD or DEL")
                record = record.get("entity")
                if not isinstance(record, dict):
                    raise InvalidInput(f"{where}: the {op} has no entity")
            entity_id = record.get("id")
            if not isinstance(entity_id, str) or not entity_id.strip():
                raise InvalidInput(f"{where}: the entity has no id")
            if op != "DEL" and not isinstance(record.get("schema"), str):
                raise InvalidInput(f"{where}: entity {entity_id[:40]} has no schema")
            properties = record.get("properties", {})
            if not isinstance(properties, dict) or not all(
                isinstance(values, list) and all(isinstance(v, str) for v in values)
                for values in properties.values()
            ):
                raise InvalidInput(
                    f"{where}: entity {entity_id[:40]}: properties must map names to lists"
                    " of strings"
                )
            for name in ("datasets", "referents"):
                values = record.get(name, [])
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise InvalidInput(f"{where}: entity {entity_id[:40]}: {name} must be strings")
            yield line, op, record


def _date(values: list[str], where: str, name: str) -> list[str]:
    try:
        return [day for value in values if (day := parse_optional(value[:10]))]
    except TrackerError as error:
        raise InvalidInput(f"{where}: {name}: {error}") from error


def _gather(path: Path, delta: bool) -> _Gathered:
    gathered = _Gathered()
    for line, op, record in _records(path, delta):
        seen = record.get("last_seen")
        if isinstance(seen, str) and seen[:10] > (gathered.last_seen or ""):
            gathered.last_seen = _date([seen], f"{path}: line {line}", "last_seen")[0]
        if op == "DEL":
            continue
        properties = record.get("properties", {})
        where = f"{path}: line {line}: {record['schema']} {record['id'][:40]}"
        if record["schema"] == "Sanction":
            listing = _listing(record["id"], properties, where, gathered)
            for target in properties.get("entity", []):
                gathered.listings.setdefault(target, []).append(listing)
        elif record["schema"] in {"Identification", "Passport"}:
            number = (properties.get("number") or [""])[0].strip()
            kind = (properties.get("type") or [record["schema"]])[0]
            scheme = slugify(kind)[:IDENTIFIER_SCHEME_LENGTH] or "id"
            for holder in properties.get("holder", []):
                if number:
                    gathered.identifiers.setdefault(holder, []).append((scheme, number))
    return gathered


def _listing(
    record_id: str, properties: dict[str, list[str]], where: str, gathered: _Gathered
) -> Listing:
    """A Sanction as a listing: a designation, or a sanction when its provisions name one of
    our measures (as `tracker export ftm` writes them). It keeps the Sanction's id, so a
    delta that changes or withdraws the Sanction alone finds the listing it made."""
    name = (properties.get("authority") or properties.get("publisher") or ["unknown"])[0]
    country = (properties.get("country") or [""])[0]
    key = authorities.key_for(name, country or None)
    gathered.authorities.setdefault(key, (name, (country or "XX").upper()))
    program = (properties.get("programId") or properties.get("program") or [""])[0]
    starts = _date(properties.get("startDate", []), where, "startDate")
    listed = starts or _date(properties.get("listingDate", []), where, "listingDate")
    ends = _date(properties.get("endDate", []), where, "endDate")
    provisions = (properties.get("provisions") or [""])[0]
    measures = {measure.value for measure in SanctionMeasure}
    listing = Listing(
        program=_clip(program.strip(), PROGRAM_LENGTH),
        listed_on=min(listed) if listed else None,
        ended_on=max(ends) if ends else None,
        authority=key,
        measure=SanctionMeasure(provisions) if provisions in measures else None,
        status=(properties.get("status") or [None])[0],
        legal_basis="; ".join(properties.get("summary", [])) or None,
        reason="; ".join(properties.get("reason", [])) or None,
        record_id=record_id,
    )
    if listing.ended_on and listing.listed_on and listing.ended_on < listing.listed_on:
        raise InvalidInput(f"{where}: endDate {listing.ended_on} is before {listing.listed_on}")
    return listing


def _clip(text: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes of `text`, cut between characters: some programs are a
    whole sentence of Japanese. Text no database can store is left whole, for the reconcile
    step to refuse with the record's name."""
    if unstorable(text) is not None:
        return text
    return text.encode()[:limit].decode(errors="ignore").rstrip()


def _parties(
    path: Path, delta: bool, gathered: _Gathered, edition: Edition
) -> Iterator[ListedParty]:
    keys: dict[str, str] = {}
    carried: set[str] = set()
    for line, op, record in _records(path, delta):
        entity_id = record["id"]
        if op == "DEL":
            edition.withdrawn.append(entity_id)
            continue
        kind = KINDS.get(record["schema"])
        if kind is None:
            continue
        key = SPEC.entity_key(entity_id)
        if keys.setdefault(key, entity_id) != entity_id:
            raise InvalidInput(
                f"{path}: line {line}: ids {keys[key]!r} and {entity_id!r} differ only in case"
                " or punctuation"
            )
        carried.add(entity_id)
        try:
            yield _party(record, kind, gathered, line)
        except InvalidInput as error:
            raise InvalidInput(f"{path}: {error}") from error
    if delta:
        # A Sanction changed without its entity (OpenSanctions' deltas do this all the time)
        # changes only that listing of the entities it names.
        for target in sorted(set(gathered.listings) - carried):
            for listing in gathered.listings[target]:
                assert listing.record_id is not None
                _, targets = edition.listing_changes.get(listing.record_id, (listing, ()))
                edition.listing_changes[listing.record_id] = (listing, (*targets, target))


def _party(record: dict[str, Any], kind: EntityKind, gathered: _Gathered, line: int) -> ListedParty:
    properties: dict[str, list[str]] = record.get("properties", {})
    names = [name for name in properties.get("name", []) if name.strip()]
    caption = record.get("caption") if isinstance(record.get("caption"), str) else ""
    fallback = [caption.strip(), *(a for a in properties.get("alias", []) if a.strip()), ""]
    name = caption if caption in names else names[0] if names else fallback[0] or fallback[1]
    if not name.strip():
        raise InvalidInput(f"line {line}: entity {record['id'][:40]} has no name")
    aliases = [
        ListedAlias(alias, alias_kind)
        for prop, alias_kind in ALIAS_PROPERTIES.items()
        for alias in properties.get(prop, [])
        if alias.strip() and alias != name
    ]
    countries = [
        code.upper()
        for prop in COUNTRY_PROPERTIES
        for code in properties.get(prop, [])
        if len(code) == 2
        and (code.upper() in EXTRA_COUNTRY_CODES or pycountry.countries.get(alpha_2=code))
    ]
    details: dict[str, Any] = {
        prop: sorted(values)
        for prop, values in properties.items()
        if prop not in ALIAS_PROPERTIES and prop not in VOLATILE and prop != "notes" and values
    }
    details["schema"] = record["schema"]
    if record.get("datasets"):
        details["datasets"] = sorted(record["datasets"])
    references = [
        (scheme, match.group(1))
        for referent in record.get("referents", [])
        for pattern, scheme in REFERENTS.items()
        if (match := pattern.match(referent))
    ]
    identifiers = gathered.identifiers.get(record["id"], [])
    return ListedParty(
        identifier=record["id"],
        name=name,
        kind=kind,
        listings=tuple(gathered.listings.get(record["id"], ())),
        aliases=tuple(aliases),
        details=details,
        cross_references=tuple(dict.fromkeys(identifiers + references)),
        country=countries[0] if countries else None,
        description="\n".join(note for note in properties.get("notes", []) if note.strip()) or None,
        line=line,
    )
