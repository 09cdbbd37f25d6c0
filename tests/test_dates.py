"""Partial dates keep the precision the source gave and order by their first day."""

import pytest

from tracker.dates import (
    PartialDate,
    Precision,
    as_of_day,
    certainly_before,
    until_day,
    window_start,
)
from tracker.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2001", Precision.YEAR), ("2019-03", Precision.MONTH), ("2025-11-24", Precision.DAY)],
)
def test_parse_keeps_the_precision_given(text: str, precision: Precision) -> None:
    """A year, a month or a day is stored exactly as given, never padded with an invented day."""
    parsed = PartialDate.parse(text)
    assert str(parsed) == text
    assert parsed.precision == precision


@pytest.mark.parametrize(
    "text", ["2025-02-30", "2025-13", "2025-00-10", "0000", "25-11-24", "2025/11/24", "", "soon"]
)
def test_parse_rejects_malformed_and_impossible_dates(text: str) -> None:
    """Impossible days, months and shapes are errors, not guesses."""
    with pytest.raises(InvalidInput):
        PartialDate.parse(text)


def test_leap_day_is_a_real_date() -> None:
    """29 February exists in leap years only."""
    assert str(PartialDate.parse("2024-02-29")) == "2024-02-29"
    with pytest.raises(InvalidInput):
        PartialDate.parse("2025-02-29")


def test_text_order_is_first_day_order() -> None:
    """Sorting the stored text sorts by the first day of each period, coarser first."""
    dates = ["2001-02", "2001-01-01", "2000-12-31", "2001", "2001-01"]
    assert sorted(dates) == ["2000-12-31", "2001", "2001-01", "2001-01-01", "2001-02"]


def test_first_and_last_day_span_the_period() -> None:
    """A month covers its days; a year its months."""
    assert PartialDate.parse("2024-02").last_day().isoformat() == "2024-02-29"
    assert PartialDate.parse("2019").first_day().isoformat() == "2019-01-01"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("2025-11-16", "2025-11-24", True),
        ("2025-11-24", "2025-11-16", False),
        ("2025-11", "2025-11-16", False),  # overlapping: not certainly before
        ("2025-11-16", "2025-11", False),
        ("2024", "2025-01-01", True),
    ],
)
def test_certainly_before_only_when_periods_do_not_overlap(
    first: str, second: str, expected: bool
) -> None:
    """Order is an error only when it is certain."""
    assert certainly_before(first, second) is expected


@pytest.mark.parametrize(
    ("day", "start"),
    [("2025-01-01", "2025"), ("2025-03-01", "2025-03"), ("2025-03-15", "2025-03-15")],
)
def test_window_start_includes_partial_dates_starting_that_day(day: str, start: str) -> None:
    """A window from 1 March includes an event dated only "2025-03"."""
    assert window_start(day) == start
    assert window_start("2025-03-01") <= "2025-03"


def test_as_of_a_partial_date_means_its_first_day() -> None:
    """`--as-of 2022` reports on 2022-01-01."""
    assert as_of_day("2022") == "2022-01-01"


def test_a_window_until_a_partial_date_takes_in_its_whole_period() -> None:
    assert until_day("2025-11") == "2025-11-30"
    assert until_day("2024-02") == "2024-02-29"
    assert until_day("2025") == "2025-12-31"
    assert until_day("2025-11-16") == "2025-11-16"
