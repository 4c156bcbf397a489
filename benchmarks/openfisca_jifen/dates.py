"""Calendar arithmetic on numpy date arrays, for the formulas and the input preparation of the model.

The same readings as jifen's scalar engine (``jifen.dates``), written independently and vectorised: a
period that starts on a day completes on the corresponding day of a later month, or on that month's
last day where it has no such day (民法典 第二百零一、二百零二条). Months are integers
``year * 12 + (month - 1)``. An absent date is :data:`NEVER` (the last representable calendar date), so
that "held by the scoring date" is a plain ``<=`` comparison.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Array = npt.NDArray[Any]

NEVER: np.datetime64 = np.datetime64(date.max, "D")
ONE_DAY = np.timedelta64(1, "D")
_EPOCH_MONTH = 1970 * 12


def day(value: date) -> np.datetime64:
    return np.datetime64(value, "D")


def month_index(value: date) -> int:
    return value.year * 12 + value.month - 1


def month_text(index: int) -> str:
    """``YYYY-MM`` of a month index, as OpenFisca names a month period."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_indices(days: Dates) -> Ints:
    """The month index of each date."""
    return days.astype("datetime64[M]").astype(np.int64) + _EPOCH_MONTH


def parts(days: Dates | np.datetime64) -> tuple[Ints, Ints, Ints]:
    """(year, month 1-12, day 1-31) of each date."""
    months = np.asarray(days).astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    year = years.astype(np.int64) + 1970
    month = (months - years).astype(np.int64) + 1
    day_of_month = (np.asarray(days) - months).astype(np.int64) + 1
    return year, month, day_of_month


def full_months(start: Dates | np.datetime64, end: Dates | np.datetime64) -> Ints:
    """Full months from ``start`` up to ``end`` (0 when ``end`` is before ``start``), element-wise."""
    start_year, start_month, start_day = parts(start)
    end_year, end_month, end_day = parts(end)
    months = (end_year - start_year) * 12 + end_month - start_month
    _, _, next_day = parts(np.asarray(end) + ONE_DAY)
    months = months - ((start_day > end_day) & (next_day != 1))
    return np.asarray(np.where(np.asarray(end) < np.asarray(start), 0, months), dtype=np.int64)


def full_years(start: Dates | np.datetime64, end: Dates | np.datetime64) -> Ints:
    """Full years (周岁 for a birth date): anniversaries reached on or before ``end``."""
    return full_months(start, end) // 12


def add_months(value: date, months: int) -> date:
    """The corresponding day ``months`` later (or earlier), clamped to the end of a shorter month."""
    year, month0 = divmod(value.year * 12 + value.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(value.day, last))
