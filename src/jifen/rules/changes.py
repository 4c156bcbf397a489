"""The days on which an indicator's value can change for a holder: anniversaries, the ends of periods and
the days of dated facts, each in (after, until].

Each indicator says which of its facts matter (``Indicator.changes``); the advisor adds the days that
are no indicator's own (first days of months, the permit, vetoes, the policy's effective dates) and
scores only on those days, so a projection misses no change (tests/test_advisor.py checks it against
scoring on every day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from jifen.dates import add_months, month_of, next_day
from jifen.facts.model import Period


def anniversaries(start: date, after: date, until: date, step: int = 1) -> set[date]:
    """Every ``step``-month anniversary of ``start`` in (after, until], none past ``date.max``."""
    months = max(0, (after.year - start.year) * 12 + after.month - start.month - step)
    last = month_of(date.max) - month_of(start)  # the last anniversary a date can hold
    out: set[date] = set()
    month = months - months % step
    while month <= last:
        day = add_months(start, month)
        if day > until:
            return out
        if day > after:
            out.add(day)
        month += step
    return out


def period_changes(period: Period, after: date, until: date, step: int) -> set[date]:
    """The anniversaries of ``period`` while it runs (every ``step`` months), and the day after it ends."""
    ended = None if period.to is None else next_day(period.to)  # None: ongoing, or ending at date.max
    end = until if ended is None else min(ended, until)
    out = anniversaries(period.start, after, end, step)
    if ended is not None and after < ended <= until:
        out.add(ended)
    return out


def periods_changes(periods: Iterable[Period], after: date, until: date) -> set[date]:
    """The days the full years of ``periods`` added up can change: yearly for a period counted alone,
    monthly where several add up by full months first (contract reading 7)."""
    periods = tuple(periods)
    step = 1 if len(periods) > 1 else 12
    out: set[date] = set()
    for period in periods:
        out |= period_changes(period, after, until, step)
    return out


def within(days: Iterable[date], after: date, until: date) -> set[date]:
    """The days in (after, until]."""
    return {day for day in days if after < day <= until}
