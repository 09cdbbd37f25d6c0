"""Validated input: what users type and what seed files hold pass through the same models.

Pydantic's errors become one `InvalidInput` line naming the field, e.g.
`effective: impossible date '2025-02-30'`.
"""

import re
import unicodedata
from typing import Annotated, Any, TypeVar

import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

from tracker.dates import parse_optional
from tracker.errors import InvalidInput, TrackerError

KEY_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$")
# Kosovo's code is user-assigned in ISO 3166 but used by every sanctions list.
EXTRA_COUNTRY_CODES = {"XK"}

Model = TypeVar("Model", bound=BaseModel)


def _date(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return parse_optional(str(value))
    except TrackerError as error:
        raise ValueError(str(error)) from error


def _country(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    code = value.strip().upper()
    if code not in EXTRA_COUNTRY_CODES and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"unknown country code {value!r}: use ISO 3166 alpha-2, e.g. VE")
    return code


def _key(value: str) -> str:
    if not KEY_PATTERN.match(value):
        raise ValueError(
            f"invalid key {value!r}: use lowercase letters, digits and hyphens"
            " (e.g. tren-de-aragua)"
        )
    return value


def _text(value: Any) -> Any:
    """Required text must say something; it is otherwise kept exactly as given."""
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


PartialDateText = Annotated[str | None, BeforeValidator(_date)]
CountryCode = Annotated[str | None, AfterValidator(_country)]
Key = Annotated[str, AfterValidator(_key)]
Text = Annotated[str, AfterValidator(_text)]


class Input(BaseModel):
    """Base of every input model: unknown fields are errors, strings are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validated(model: type[Model], **values: Any) -> Model:
    """Build `model` from `values`, turning the first validation error into one clear line."""
    try:
        return model(**values)
    except ValidationError as error:
        raise InvalidInput(describe(error)) from error


def describe(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "value"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "enum":
        expected = first.get("ctx", {}).get("expected", "")
        message = f"unknown value {first['input']!r}: expected {expected}"
    return f"{field}: {message}"


def date_option(value: str | None, option: str) -> str | None:
    """A date typed after `option`, normalised; a bad one is an error naming the option."""
    try:
        return parse_optional(value)
    except TrackerError as error:
        raise InvalidInput(f"{option}: {error}") from error


def slugify(text: str) -> str:
    """A key from a name: 'Cártel de Sinaloa' -> 'cartel-de-sinaloa'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:128].rstrip("-")
