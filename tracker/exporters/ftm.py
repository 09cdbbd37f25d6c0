"""The whole database as FollowTheMoney entities (JSON lines), as far as FtM can say it.

- an entity becomes a Person, Organization, Company, PublicBody, Vessel, Airplane or
  LegalEntity, with its aliases (`alias`, `weakAlias`, `previousName`), country and
  description (`notes`), and the properties an FtM import gave it;
- each identifier becomes an `Identification` (type = our scheme, number = the value);
- each designation becomes a `Sanction` (authority, program, startDate, listingDate = the
  announcement, endDate, status, reason, summary = the legal basis);
- each sanction becomes a `Sanction` whose `provisions` is the measure (`asset-freeze`), which
  is how `tracker import ftm` tells the two apart;
- each response becomes an `Event` organised by the responder and involving the target.

An entity's id is its FtM id when it came from FtM, else its key: `tracker import ftm` keeps
ids that are valid keys, so import(export(db)) gives the same keys.
"""

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pycountry
from sqlmodel import Session, col, select

from tracker.batching import batched
from tracker.enums import AliasKind, EntityKind
from tracker.models import (
    Alias,
    Authority,
    Designation,
    Entity,
    Identifier,
    ListEntry,
    Response,
    Sanction,
)

BATCH = 1_000
SCHEMATA = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.COMPANY: "Company",
    EntityKind.GOVERNMENT: "PublicBody",
    EntityKind.STATE: "PublicBody",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
    EntityKind.OTHER: "LegalEntity",
}
ALIAS_PROPERTIES = {
    AliasKind.AKA: "alias",
    AliasKind.SPELLING: "alias",
    AliasKind.WEAK_AKA: "weakAlias",
    AliasKind.FKA: "previousName",
}
# Properties an FtM import kept of an entity (its list entry) that its schema carries back out: text
# that any value suits, and dates, countries and genders once checked (a source's phone
# numbers or URLs may be ones FtM itself refuses, so they stay behind).
_THING = {"topics", "address"}
_LEGAL_ENTITY = _THING | {
    "incorporationDate", "registrationNumber", "taxNumber", "innCode", "ogrnCode", "legalForm",
}  # fmt: skip
CARRIED = {
    "Person": _LEGAL_ENTITY | {
        "birthDate", "birthPlace", "deathDate", "nationality", "citizenship", "gender",
        "position", "title", "firstName", "middleName", "lastName", "fatherName", "secondName",
    },
    "Organization": _LEGAL_ENTITY,
    "Company": _LEGAL_ENTITY,
    "PublicBody": _LEGAL_ENTITY,
    "LegalEntity": _LEGAL_ENTITY,
    "Vessel": _THING | {"flag", "registrationNumber"},
    "Airplane": _THING | {"registrationNumber"},
}  # fmt: skip
DATES = {"birthDate", "deathDate", "incorporationDate"}
COUNTRIES = {"nationality", "citizenship", "flag"}
GENDERS = {"male", "female", "other"}
# FtM's countries: ISO 3166 codes and a few of its own.
FTM_EXTRA_COUNTRIES = {"eu", "un", "xk"}
FTM_SCHEME = "ftm"
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
NAME_PROPERTIES = {"name", *ALIAS_PROPERTIES.values()}


@dataclass
class ExportSummary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, schema: str) -> None:
        self.counts[schema] = self.counts.get(schema, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _entity_id(key: str, ftm_ids: dict[int, str], entity_id: int) -> str:
    return ftm_ids.get(entity_id, key)


def _child_id(parent: str, kind: str, *parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode(), usedforsecurity=False)
    return f"{parent}-{kind}-{digest.hexdigest()[:12]}"


def _clean(properties: dict[str, list[Any]]) -> dict[str, list[str]]:
    """Properties as FtM keeps them: strings without control characters (names on one line),
    no empty values, no duplicates."""
    cleaned = {}
    for name, values in properties.items():
        texts = (_printable(str(value), one_line=name in NAME_PROPERTIES) for value in values
                 if value is not None)  # fmt: skip
        kept = list(dict.fromkeys(text for text in texts if text))
        if kept:
            cleaned[name] = kept
    return cleaned


def _printable(text: str, one_line: bool) -> str:
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cs"})
    return " ".join(kept.split()) if one_line else kept.strip()


def _record(entity_id: str, schema: str, properties: dict[str, list[Any]]) -> dict[str, Any]:
    return {"id": entity_id, "schema": schema, "properties": _clean(properties)}


def export(session: Session, out: IO[str]) -> ExportSummary:
    """Write every entity with its identifiers, designations and sanctions, then responses."""
    summary = ExportSummary()
    authorities = {a.id: a for a in session.exec(select(Authority))}
    ftm_ids = dict(
        session.exec(
            select(Identifier.entity_id, Identifier.value).where(Identifier.scheme == FTM_SCHEME)
        ).all()
    )
    entity_ids: dict[int, str] = {}
    all_ids = session.exec(select(Entity.id).order_by(Entity.key)).all()
    for ids in batched(all_ids, BATCH):
        entities = session.exec(select(Entity).where(col(Entity.id).in_(ids))).all()
        for record in _entities(session, entities, authorities, ftm_ids, entity_ids):
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            summary.add(record["schema"])
    for record in _responses(session, entity_ids):
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        summary.add(record["schema"])
    return summary


def _entities(
    session: Session,
    entities: list[Entity],
    authorities: dict[int | None, Authority],
    ftm_ids: dict[int, str],
    entity_ids: dict[int, str],
) -> Iterator[dict[str, Any]]:
    ids = [entity.id for entity in entities]
    aliases = _by_entity(session.exec(select(Alias).where(col(Alias.entity_id).in_(ids))))
    listed = _by_entity(session.exec(select(ListEntry).where(col(ListEntry.entity_id).in_(ids))))
    identifiers = _by_entity(
        session.exec(select(Identifier).where(col(Identifier.entity_id).in_(ids)))
    )
    designations = _by_entity(
        session.exec(
            select(Designation)
            .where(col(Designation.entity_id).in_(ids))
            .order_by(col(Designation.id))
        )
    )
    sanctions = _by_entity(
        session.exec(
            select(Sanction).where(col(Sanction.entity_id).in_(ids)).order_by(col(Sanction.id))
        )
    )
    for entity in sorted(entities, key=lambda e: e.key):
        assert entity.id is not None
        own_id = entity_ids[entity.id] = _entity_id(entity.key, ftm_ids, entity.id)
        contents = [entry.content for entry in listed.get(entity.id, [])]
        yield _entity(entity, own_id, aliases.get(entity.id, []), contents)
        for identifier in identifiers.get(entity.id, []):
            if identifier.scheme == FTM_SCHEME:
                continue
            yield _record(
                _child_id(own_id, "id", identifier.scheme, identifier.value),
                "Identification",
                {"holder": [own_id], "type": [identifier.scheme], "number": [identifier.value]},
            )
        for designation in designations.get(entity.id, []):
            authority = authorities[designation.authority_id]
            yield _record(
                _child_id(own_id, "designation", designation.id),
                "Sanction",
                {
                    **_authority(authority),
                    "entity": [own_id],
                    "programId": [designation.program],
                    "startDate": [designation.effective_on],
                    "listingDate": [designation.announced_on],
                    "endDate": [designation.ended_on],
                    "status": [designation.status.value],
                    "reason": [designation.reason],
                    "summary": [designation.legal_basis],
                },
            )
        for sanction in sanctions.get(entity.id, []):
            authority = authorities[sanction.authority_id]
            yield _record(
                _child_id(own_id, "sanction", sanction.id),
                "Sanction",
                {
                    **_authority(authority),
                    "entity": [own_id],
                    "provisions": [sanction.measure.value],
                    "programId": [sanction.program],
                    "startDate": [sanction.start_on],
                    "endDate": [sanction.end_on],
                    "status": [sanction.status.value],
                    "reason": [sanction.notes],
                    "summary": [sanction.legal_basis],
                },
            )


def _authority(authority: Authority) -> dict[str, list[str]]:
    """FtM names an authority; its country is the jurisdiction when FtM knows it as one."""
    country = authority.jurisdiction.lower()
    return {"authority": [authority.name], "country": [country] if _is_country(country) else []}


def _entity(
    entity: Entity, own_id: str, aliases: list[Alias], contents: list[dict[str, Any]]
) -> dict[str, Any]:
    schema = SCHEMATA[entity.kind]
    properties: dict[str, list[Any]] = {"name": [entity.name]}
    for alias in aliases:
        properties.setdefault(ALIAS_PROPERTIES[alias.kind], []).append(alias.name)
    if entity.country:
        properties["country"] = [entity.country.lower()]
    if entity.description:
        properties["notes"] = [entity.description]
    for listed in contents:
        if listed.get("schema"):  # what an FtM import kept
            for name in CARRIED[schema] & listed.keys():
                values = [value for value in listed[name] if _fits(name, value)]
                properties.setdefault(name, []).extend(values)
    return _record(own_id, schema, properties)


def _fits(prop: str, value: Any) -> bool:
    """A kept value FtM accepts for the property."""
    if not isinstance(value, str):
        return False
    if prop in DATES:
        return bool(PARTIAL_DATE.match(value))
    if prop in COUNTRIES:
        return _is_country(value)
    if prop == "gender":
        return value in GENDERS
    return True


def _is_country(code: str) -> bool:
    code = code.lower()
    return code in FTM_EXTRA_COUNTRIES or pycountry.countries.get(alpha_2=code) is not None


def _responses(session: Session, entity_ids: dict[int, str]) -> Iterator[dict[str, Any]]:
    for response in session.exec(select(Response).order_by(col(Response.id))):
        responder = entity_ids[response.responder_id]
        involved = [entity_ids[response.about_entity_id]] if response.about_entity_id else []
        yield _record(
            _child_id(responder, "response", response.id),
            "Event",
            {
                "name": [f"{response.stance.value}: {response.summary}"[:200]],
                "summary": [response.summary],
                "date": [response.stated_on],
                "organizer": [responder],
                "involved": involved,
            },
        )


def _by_entity(rows: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.entity_id, []).append(row)
    return grouped
