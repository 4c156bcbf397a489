"""Dates on which a holder's score can change, so the projection scores only those and misses none.

A score depends on the date through: contribution months (each 1st of a month), birthdays, the
anniversaries of periods (yearly for a period counted alone; monthly where several periods of one item
add up by full months first), the anniversaries that end a deduction's window, dated facts
(graduation, qualification, award, penalty, veto, permit), and the effective dates in the policy data.
The property test checks the projection against scoring on every day.

A first of a month on which only the contributions can change need not be scored when what the rules
can tell of the contributions then (:func:`insurance_state`) is what it was on the last day scored.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import lru_cache
from operator import ge

from jifen.dates import add_months, add_months_capped, first_day, month_of, next_day
from jifen.facts.model import Facts, Period
from jifen.policy.model import Policy, Resolved
from jifen.rules.context import horizon_months
from jifen.rules.contributions import REFERENCE_WAGE, Contributions
from jifen.rules.tiers import tiers_in_force


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


def _period(period: Period, after: date, until: date, step: int) -> set[date]:
    ended = None if period.to is None else next_day(period.to)  # None: ongoing, or ending at date.max
    end = until if ended is None else min(ended, until)
    out = _anniversaries(period.start, after, end, step)
    if ended is not None and after < ended <= until:
        out.add(ended)
    return out


def event_dates(facts: Facts, after: date, until: date, policy: Policy, *, months: bool = True) -> list[date]:
    """Sorted candidate dates in (after, until] on which the score may change; with ``months=False``, the
    first days of months are left out unless something else happens on them."""
    out: set[date] = set()
    if months:
        out |= {first_day(month) for month in range(month_of(after) + 1, month_of(until) + 1)}
    out |= _anniversaries(facts.birth_date, after, until, step=12)
    if facts.hukou_spouse_married_on is not None:
        out |= _period(Period(facts.hukou_spouse_married_on, None), after, until, 12)
    step = 1 if len(facts.public_service) > 1 else 12  # several periods add up by full months first
    for p in facts.public_service:
        out |= _period(p, after, until, step)
    step = 1 if len(facts.remote_area) > 1 else 12
    for r in facts.remote_area:
        out |= _period(r.period, after, until, step)
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


def insurance_state(facts: Facts, policy: Policy, day: date) -> tuple[object, ...]:
    """What the rules can tell of the contributions on ``day``: for each month they look back on, whether
    it counts and which of the base multiples in the policy (the base tiers, the title's condition) its
    base meets; the full years counted; how many months ago the latest month paid was. Two days with the
    same state and no other event between them score the same."""
    last = month_of(day) - 1
    horizon = horizon_months(policy, day)
    contributions = Contributions(facts.history, last, policy, horizon)
    bases = contributions.bases
    levels: list[tuple[bool, ...]] = [tuple(map(bool, bases))]
    for multiple, comparison in _multiples(policy.resolve("si_base.tiers", day), policy.resolve(CONDITION, day)):
        if comparison == "equal":
            references = policy.references_fen(REFERENCE_WAGE, last, horizon)
            num, den = multiple.numerator, multiple.denominator
            levels.append(tuple(b * den == r * num for b, r in zip(bases, references, strict=True)))
        else:
            levels.append(tuple(map(ge, bases, policy.thresholds_fen(REFERENCE_WAGE, last, horizon, multiple))))
    latest = facts.history.latest_until(month_of(day))
    return (
        tuple(levels),
        contributions.total_months() // 12,
        None if latest is None else month_of(day) - latest,
        tuple(c.month - last for c in contributions.capped),
    )


CONDITION = "qualification.base_condition_multiple"


@lru_cache(maxsize=256)
def _multiples(tiers: Resolved, condition: Resolved) -> tuple[tuple[Fraction, str], ...]:
    """The base multiples the rules compare with: each base tier's, and the title's 1x condition."""
    out = {(t.multiple, t.comparison) for t in tiers_in_force(tiers)}
    if isinstance(condition.value, Fraction):
        out.add((condition.value, "at_least"))
    return tuple(sorted(out))
