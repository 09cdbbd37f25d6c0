"""Partial dates: official acts are often dated only "2001" or "2019-03".

A `PartialDate` keeps exactly the precision the source gave and is stored as its ISO text
(`YYYY`, `YYYY-MM` or `YYYY-MM-DD`). The rule for comparing and sorting is the ISO text's own
order, which is chronological by the *first day* of each period: "2001" < "2001-01" <
"2001-01-01" < "2001-02". So "as of 2001-06-01" counts a designation effective "2001" as in
force (its period began), and one effective "2001-06" as in force on 2001-06-01 too. Because
the rule is plain string order, SQL on SQLite and PostgreSQL compares the stored text exactly as
Python does.

Two dates are *out of order* only when that is certain: "2025-11" and "2025-11-16" may be
either way round, so neither is rejected as before the other (see `certainly_before`). The
database's CHECK constraints apply the same rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from tracker.errors import InvalidInput

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Precision(StrEnum):
    """How much of a date the source gave."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=False)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; anything else or an impossible date fails."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise InvalidInput(f"invalid date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if year < 1 or (month is not None and not 1 <= month <= 12):
            raise InvalidInput(f"impossible date {text!r}")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise InvalidInput(f"impossible date {text!r}")
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @classmethod
    def today(cls) -> PartialDate:
        return cls.from_date(dt.date.today())

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def parse_optional(text: str | None) -> str | None:
    """Normalise an optional date as typed (or as held in a seed) to its stored ISO text."""
    if text is None or text == "":
        return None
    return str(PartialDate.parse(str(text)))


def certainly_before(first: str, second: str) -> bool:
    """True when the date `first` is certainly earlier than `second` (stored ISO texts).

    "2025-11" and "2025-11-16" overlap, so neither is certainly before the other.
    """
    if first.startswith(second) or second.startswith(first):
        return False
    return first < second


def window_start(day: str) -> str:
    """The smallest stored text whose first day is `day` (a full ISO date).

    Stored partial dates sort by (first day, precision), so `occurred_on >= window_start(A)`
    selects exactly the dates whose period begins on or after A: "2025-03-01" -> "2025-03",
    "2025-01-01" -> "2025", "2025-03-15" -> itself.
    """
    if day.endswith("-01-01"):
        return day[:4]
    if day.endswith("-01"):
        return day[:7]
    return day


def as_of_day(text: str | None) -> str:
    """The full ISO day a report is "as of": today by default; a partial date, its first day."""
    if text is None:
        return str(PartialDate.today())
    return PartialDate.parse(text).first_day().isoformat()


def until_day(text: str | None) -> str:
    """The last full ISO day of a window that ends `text`: today by default; a partial date,
    its last day (`--until 2025-11` takes in all of November)."""
    if text is None:
        return str(PartialDate.today())
    return PartialDate.parse(text).last_day().isoformat()
