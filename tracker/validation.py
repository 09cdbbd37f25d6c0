"""Validated input: what users type and what seed files hold pass through the same models.

Pydantic's errors become one `InvalidInput` line naming the field, e.g.
`effective: impossible date '2025-02-30'`.
"""

import re
from collections.abc import Iterator
from typing import Annotated, Any, TypeVar

from anyascii import anyascii
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tracker.countries import code_or_none
from tracker.dates import parse_optional
from tracker.errors import InvalidInput, InvalidValue, TrackerError
from tracker.models import KEY_LENGTH, LIST_CODE_LENGTH, PROGRAM_LENGTH
from tracker.storable import unstorable

# PostgreSQL refuses a b-tree index entry over about 2,700 bytes: indexed text stays below.
MAX_INDEXED_BYTES = 2000
KEY_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$")
# Kosovo's code is user-assigned in ISO 3166 but used by every sanctions list.
EXTRA_COUNTRY_CODES = {"XK"}

Model = TypeVar("Model", bound=BaseModel)
# Errors of a value in the wrong syntax or outside its vocabulary: usage errors (exit 2),
# like an unknown option. Every other broken rule is about the data (exit 1).
MALFORMED = "malformed"
USAGE_ERRORS = {MALFORMED, "enum", "literal_error"}


def malformed(message: str) -> PydanticCustomError:
    """A validation error saying the value itself is malformed."""
    return PydanticCustomError(MALFORMED, "{message}", {"message": message})


def _date(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return parse_optional(str(value))
    except TrackerError as error:
        raise malformed(str(error)) from error


def _country(value: str | None) -> str | None:
    """A code or a country's name (the filters' rule: `tracker.countries`) as its code."""
    if value is None or value == "":
        return None
    code = code_or_none(value)
    if code is None:
        raise malformed(
            f"unknown country {value!r}: give an ISO 3166 code or a name, e.g. VE or Venezuela"
        )
    return code


def _key(value: str) -> str:
    if not KEY_PATTERN.match(value):
        raise malformed(
            f"invalid key {value!r}: use lowercase letters, digits and hyphens"
            " (e.g. tren-de-aragua)"
        )
    return value


def _text(value: Any) -> Any:
    """Required text must say something; it is otherwise kept exactly as given."""
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


def _too_long(value: str, limit: int) -> str | None:
    """Why `value` does not fit an index entry of `limit` UTF-8 bytes, or None."""
    size = len(value.encode("utf-8", "surrogatepass"))
    return f"too long ({size:,} bytes; at most {limit:,})" if size > limit else None


def check_length(value: str | None, field: str, limit: int = MAX_INDEXED_BYTES) -> None:
    """Indexed text must fit an index entry on every engine (counted in UTF-8 bytes)."""
    if value is not None and (problem := _too_long(value, limit)) is not None:
        raise InvalidInput(f"{field}: {problem}")


def _indexed(value: Any) -> Any:
    if isinstance(value, str) and (problem := _too_long(value, MAX_INDEXED_BYTES)) is not None:
        raise ValueError(problem)
    return value


def at_most(characters: int) -> AfterValidator:
    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > characters:
            raise ValueError(f"too long ({len(value):,} characters; at most {characters})")
        return value

    return AfterValidator(check)


def _required(value: Any) -> Any:
    if value is None:
        raise ValueError("a date is needed (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


PartialDateText = Annotated[str | None, BeforeValidator(_date)]
RequiredDateText = Annotated[str | None, BeforeValidator(_date), AfterValidator(_required)]
CountryCode = Annotated[str | None, AfterValidator(_country)]
Key = Annotated[str, AfterValidator(_key)]
Text = Annotated[str, AfterValidator(_text)]
# A name or URL: indexed, so bounded.
Name = Annotated[str, AfterValidator(_text), AfterValidator(_indexed)]
Url = Annotated[str, AfterValidator(_indexed)]
ListCode = Annotated[str, AfterValidator(_text), at_most(LIST_CODE_LENGTH)]
Program = Annotated[str, at_most(PROGRAM_LENGTH)]


class Input(BaseModel):
    """Base of every input model: unknown fields are errors, strings are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="after")
    def _storable(self) -> "Input":
        for field, value in self:
            for text in _strings(value):
                if (problem := unstorable(text)) is not None:
                    raise malformed(f"{field}: {problem}")
        return self


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, BaseModel):
        for _field, item in value:
            yield from _strings(item)


def validated(model: type[Model], **values: Any) -> Model:
    """Build `model` from `values`, turning the first validation error into one clear line:
    an `InvalidValue` when the value itself is malformed, else an `InvalidInput`."""
    try:
        return model(**values)
    except ValidationError as error:
        usage = error.errors()[0]["type"] in USAGE_ERRORS
        raise (InvalidValue if usage else InvalidInput)(describe(error)) from error


def describe(error: ValidationError) -> str:
    first = error.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    if not first["loc"]:  # a whole-model check names its field itself
        return message
    field = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "enum":
        expected = first.get("ctx", {}).get("expected", "")
        message = f"unknown value {first['input']!r}: expected {expected}"
    return f"{field}: {message}"


def date_option(value: str | None, option: str) -> str | None:
    """A date typed after `option`, normalised; a malformed one is a usage error naming the
    option."""
    try:
        return parse_optional(value)
    except TrackerError as error:
        raise InvalidValue(f"{option}: {error}") from error


def slugify(text: str) -> str:
    """A key from a name in any script: 'Cártel de Sinaloa' -> 'cartel-de-sinaloa',
    'Хезболла' -> 'khezbolla', 'حزب الله' -> 'hzb-llh'."""
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    return slug[:KEY_LENGTH].rstrip("-")
