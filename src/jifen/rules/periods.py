"""Full years of dated periods (marriage, remote area, public service), contract reading 7.

A period's ``to`` is its last day; an ongoing period runs to the scoring date, and a year completes on
its anniversary, as an age does on a birthday. Several periods add up by full months first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from jifen.dates import full_months, next_day
from jifen.facts.model import Period


def period_months(period: Period, as_of: date) -> int:
    ended = None if period.to is None else next_day(period.to)  # None: ongoing, or ending at date.max
    end = as_of if ended is None else min(ended, as_of)
    return full_months(period.start, end)


def full_years_of(periods: Iterable[Period], as_of: date) -> int:
    return sum(period_months(p, as_of) for p in periods) // 12


def counted_after(years: int, per_year: int, after_years: int, cap: int | None) -> int:
    """Contract reading 8: 0 below ``after_years`` full years, then every full year counts, to the cap."""
    if years < after_years:
        return 0
    points = years * per_year
    return points if cap is None else min(points, cap)
