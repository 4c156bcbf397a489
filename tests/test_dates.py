"""Calendar arithmetic: corresponding days, month ends, full months and years."""

from __future__ import annotations

from datetime import date

import pytest

from jifen.dates import add_months, full_months, full_years, month_of, month_str


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_takes_the_corresponding_day_or_the_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_full_months_complete_on_the_corresponding_day() -> None:
    assert full_months(date(2020, 1, 15), date(2020, 2, 14)) == 0
    assert full_months(date(2020, 1, 15), date(2020, 2, 15)) == 1
    assert full_months(date(2020, 1, 31), date(2020, 2, 29)) == 1
    assert full_months(date(2020, 2, 1), date(2020, 1, 31)) == 0


def test_full_years_is_age_in_full_years() -> None:
    assert full_years(date(1990, 5, 1), date(2026, 4, 30)) == 35
    assert full_years(date(1990, 5, 1), date(2026, 5, 1)) == 36


def test_months_are_integers_that_print_as_year_month() -> None:
    assert month_of(date(2026, 1, 31)) - month_of(date(2025, 12, 1)) == 1
    assert month_str(month_of(date(2026, 11, 27))) == "2026-11"
