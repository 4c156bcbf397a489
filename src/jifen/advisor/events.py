"""Dates on which a holder's score can change, so the projection scores only those and misses none.

A score depends on the date through: contribution months (each 1st of a month), birthdays, monthly
anniversaries of periods (periods add up by full months), the anniversaries that end a deduction's
window, dated facts (graduation, qualification, award, penalty, veto, permit), and the effective
dates in the policy data. The property test checks the projection against scoring every day.
"""

from __future__ import annotations

from datetime import date

from jifen.dates import add_months, add_months_capped, first_day, month_of, next_day
from jifen.facts.model import Facts, Period
from jifen.policy.model import Policy


def _anniversaries(start: date, after: date, until: date, step: int = 1) -> set[date]:
    """Every ``step``-month anniversary of ``start`` in (after, until], none past ``date.max``."""
    months = max(0, (after.year - start.year) * 12 + after.month - start.month - step)
    last = month_of(date.max) - month_of(start)  # the last anniversary a date can hold
    out: set[date] = set()
    m = months - months % step
    while m <= last:
        day = add_months(start, m)
        if day > until:
            return out
        if day > after:
            out.add(day)
        m += step
    return out


def _period(period: Period, after: date, until: date) -> set[date]:
    ended = None if period.to is None else next_day(period.to)  # None: ongoing, or ending at date.max
    end = until if ended is None else min(ended, until)
    out = _anniversaries(period.start, after, end)
    if ended is not None and after < ended <= until:
        out.add(ended)
    return out


def event_dates(facts: Facts, after: date, until: date, policy: Policy) -> list[date]:
    """Sorted candidate dates in (after, until] on which the score may change."""
    out: set[date] = set()
    for month in range(month_of(after) + 1, month_of(until) + 1):
        out.add(first_day(month))
    out |= _anniversaries(facts.birth_date, after, until, step=12)
    if facts.hukou_spouse_married_on is not None:
        out |= _period(Period(facts.hukou_spouse_married_on, None), after, until)
    for p in facts.public_service:
        out |= _period(p, after, until)
    for r in facts.remote_area:
        out |= _period(r.period, after, until)
    dated = [e.graduated_on for e in facts.education] + [q.obtained_on for q in facts.qualifications]
    dated += [a.awarded_on for a in facts.awards] + [v.on for v in facts.vetoes if v.on is not None]
    windows = {
        v.value
        for name, parameter in policy.parameters.items()
        if name.endswith(".window_years")
        for v in parameter.values
        if isinstance(v.value, int)
    }
    for penalty in facts.penalties:
        dated.append(penalty.on)
        dated.extend(add_months_capped(penalty.on, 12 * years) for years in windows)
    if facts.residence_permit is not None:
        dated.append(facts.residence_permit.valid_from)
        ends = next_day(facts.residence_permit.valid_until)
        if ends is not None:
            dated.append(ends)
    for parameter in policy.parameters.values():
        dated.extend(parameter.starts)
    dated.extend(v.effective_from for v in policy.versions)
    out |= {d for d in dated if after < d <= until}
    return sorted(out)
