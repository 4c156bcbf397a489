"""Full years of dated periods (marriage, remote area, public service), contract reading 7.

A period's ``to`` is its last day; an ongoing period runs to the scoring date, and a year completes on
its anniversary, as an age does on a birthday. Several periods add up by full months first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from jifen.dates import full_months
from jifen.facts.model import Period

_ONE_DAY = timedelta(days=1)


def period_months(period: Period, as_of: date) -> int:
    end = as_of if period.to is None else min(period.to + _ONE_DAY, as_of)
    return full_months(period.start, end)


def full_years_of(periods: Iterable[Period], as_of: date) -> int:
    return sum(period_months(p, as_of) for p in periods) // 12


def counted_after(years: int, per_year: int, after_years: int, cap: int | None) -> int:
    """Contract reading 8: 0 below ``after_years`` full years, then every full year counts, to the cap."""
    if years < after_years:
        return 0
    points = years * per_year
    return points if cap is None else min(points, cap)
