"""The sources file: which lists to follow, in what format, from where."""

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tracker.errors import InvalidInput, InvalidValue
from tracker.importers.formats import FORMATS
from tracker.models import LIST_CODE_LENGTH
from tracker.validation import describe

DEFAULT_SOURCES = Path(__file__).resolve().parents[1] / "sync_sources.yaml"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Words `tracker sync` reads as its own commands, never as a list's name.
RESERVED = frozenset({"run", "runs"})


class ListSource(BaseModel):
    """One list to follow."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    format: str
    url: str
    list: str | None = Field(default=None, max_length=LIST_CODE_LENGTH)
    file_name: str | None = None
    sha256: str | None = None
    description: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value) or value in RESERVED:
            raise ValueError(
                f"{value!r} is not a list name: lower-case letters, digits, '.', '-', '_'"
                " (and not run or runs)"
            )
        return value

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value not in FORMATS:
            raise ValueError(f"unknown format {value!r}: expected one of {', '.join(FORMATS)}")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("sha256")
    @classmethod
    def _sha256(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", value):
            raise ValueError(f"{value!r} is not a SHA-256 digest (64 hex digits)")
        return value.lower() if value else value

    @field_validator("file_name")
    @classmethod
    def _file_name(cls, value: str | None) -> str | None:
        if value is not None and (not value or "/" in value or value.startswith(".")):
            raise ValueError(f"{value!r} is not a plain file name")
        return value

    @property
    def download_name(self) -> str:
        """The name the downloaded file is read and cited as: `file_name`, else the URL's
        last path segment."""
        if self.file_name:
            return self.file_name
        segment = unquote(urlsplit(self.url).path.rstrip("/").rpartition("/")[2])
        return segment if segment and not segment.startswith(".") else "download"


def list_source(**values: object) -> ListSource:
    """A source from values a user gave (`tracker sync --url`): a malformed one is a usage
    error."""
    try:
        return ListSource.model_validate(values)
    except ValidationError as error:
        raise InvalidValue(describe(error)) from error


def name_for_url(url: str, format: str) -> str:
    """A list name for a URL given on the command line: its host and file, as a slug."""
    parts = urlsplit(url)
    stem = parts.path.rstrip("/").rpartition("/")[2].rpartition(".")[0] or format
    slug = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname or ''}-{stem}".lower()).strip("-")
    return slug[:64] or format


def load_sources(path: Path | None = None) -> list[ListSource]:
    """The lists of a sources file (default: the one shipped in the package)."""
    chosen = path or DEFAULT_SOURCES
    try:
        data = yaml.safe_load(chosen.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"cannot read {chosen}: {error.strerror or error}") from error
    except yaml.YAMLError as error:
        raise InvalidInput(f"{chosen}: not YAML ({str(error).splitlines()[0]})") from error
    entries = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"{chosen}: expected `lists:`, a list of sources")
    sources = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InvalidInput(f"{chosen}: list {position} is not a mapping")
        try:
            sources.append(ListSource.model_validate(entry))
        except ValidationError as error:
            where = entry.get("name", position)
            raise InvalidInput(f"{chosen}: list {where}: {describe(error)}") from error
    names = [source.name for source in sources]
    if twice := sorted({name for name in names if names.count(name) > 1}):
        raise InvalidInput(f"{chosen}: list names given twice: {', '.join(twice)}")
    return sources


def chosen_sources(sources: Sequence[ListSource], names: Sequence[str]) -> list[ListSource]:
    """The sources named (all when none is), in the order given."""
    if not names:
        return list(sources)
    by_name = {source.name: source for source in sources}
    for name in names:
        if name not in by_name:
            known = ", ".join(by_name)
            raise InvalidValue(f"no list {name!r} in the sources file (it names {known})")
    return [by_name[name] for name in dict.fromkeys(names)]
