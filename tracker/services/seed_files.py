"""Seed files: the YAML a person edits, its schema, and reading it with named errors.

A seed file may hold `authorities`, `sources`, `entities`, `designations`, `sanctions` and
`responses`. Records refer to each other by entity / authority key and by a `ref` local to the
file (`about: designation:soles-fto`). The whole file is validated before anything is written;
an error names the file, the record and the field.
"""

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from tracker.enums import AliasKind, DesignationStatus, EntityKind, SanctionMeasure, Stance
from tracker.errors import InvalidInput
from tracker.resources import bundled
from tracker.validation import (
    CountryCode,
    Input,
    Key,
    ListCode,
    Name,
    PartialDateText,
    Program,
    Text,
    Url,
    describe,
)


class _SeedYamlLoader(yaml.SafeLoader):
    """Reads what a person typed: dates stay text (our partial-date rules judge them, and
    `2025-02-30` is a named error rather than a crash), and only true / false are booleans
    (in YAML 1.1 `on:` is a boolean key and the country code `NO`, Norway, reads as false)."""


_UNWANTED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_SeedYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _UNWANTED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SeedYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class SeedAuthority(Input):
    key: Key
    name: Text
    jurisdiction: Text
    description: str | None = None


class SeedSource(Input):
    ref: str
    title: Text
    publisher: str | None = None
    url: Url | None = None
    document_number: str | None = None
    published_on: PartialDateText = None


class SeedAlias(Input):
    name: Name
    kind: AliasKind = AliasKind.AKA
    language: str | None = None


class SeedEntity(Input):
    key: Key
    name: Name
    kind: EntityKind
    country: CountryCode = None
    description: str | None = None
    aliases: list[SeedAlias | str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)


class SeedAmendment(Input):
    on: PartialDateText
    note: Text


class SeedDesignation(Input):
    ref: str | None = None
    entity: str
    authority: str
    list: ListCode
    program: Program | None = None
    basis: str | None = None
    announced: PartialDateText = None
    effective: PartialDateText = None
    ended: PartialDateText = None
    status: DesignationStatus | None = None
    reason: str | None = None
    notes: str | None = None
    sources: list[str] = Field(default_factory=list)
    amendments: list[SeedAmendment] = Field(default_factory=list)


class SeedSanction(Input):
    ref: str | None = None
    entity: str
    authority: str
    measure: SanctionMeasure
    program: Program | None = None
    basis: str | None = None
    start: PartialDateText = Field(alias="from")
    until: PartialDateText = None
    notes: str | None = None
    sources: list[str] = Field(default_factory=list)


class SeedResponse(Input):
    by: str
    about: str
    stance: Stance
    on: PartialDateText
    summary: Text
    sources: list[str] = Field(default_factory=list)


class SeedFile(Input):
    authorities: list[SeedAuthority] = Field(default_factory=list)
    sources: list[SeedSource] = Field(default_factory=list)
    entities: list[SeedEntity] = Field(default_factory=list)
    designations: list[SeedDesignation] = Field(default_factory=list)
    sanctions: list[SeedSanction] = Field(default_factory=list)
    responses: list[SeedResponse] = Field(default_factory=list)


def default_seed_paths() -> list[Path]:
    """The seeds shipped with tracker, in load order (file names sort in that order)."""
    return sorted(bundled("seeds").glob("*.yaml"))


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for its *.yaml files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        elif path.is_file():
            files.append(path)
        else:
            raise InvalidInput(f"no seed file {path}")
    return files


def read_seed_file(path: Path) -> SeedFile:
    """Parse and validate a whole file before anything is written."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_SeedYamlLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: not valid YAML: {str(error).splitlines()[0]}") from error
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise InvalidInput(f"{path}: expected a mapping of record lists at the top level")
    try:
        return SeedFile(**document)
    except ValidationError as error:
        raise InvalidInput(f"{path}: {_locate(document, error)}") from error


def _locate(document: dict[str, Any], error: ValidationError) -> str:
    """'designations[3] (cartel-de-los-soles): effective: impossible date ...'."""
    first = error.errors()[0]
    location = list(first["loc"])
    if len(location) >= 2 and isinstance(location[1], int):
        section, index = location[0], location[1]
        record = document.get(str(section), [])[index]
        label = ""
        if isinstance(record, dict):
            name = (
                record.get("ref") or record.get("key") or record.get("entity") or record.get("by")
            )
            label = f" ({name})" if name else ""
        field_name = ".".join(str(part) for part in location[2:]) or "record"
        detail = describe(error).split(": ", 1)[-1]
        return f"{section}[{index}]{label}: {field_name}: {detail}"
    return describe(error)
