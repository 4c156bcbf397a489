"""Dates on which a holder's score can change, so the projection scores only those and misses none.

A score depends on the date through: contribution months (each 1st of a month), what each indicator's own
dated facts change (birthdays, the anniversaries of periods, graduations, qualifications, awards, the
penalties and the ends of their windows: ``Indicator.changes``, over the registry), the minimum age to
apply, the permit, vetoes, and the effective dates in the policy data. The property test checks the
projection against scoring on every day.

A first of a month on which only the contributions can change need not be scored when what the rules
can tell of the contributions then (:class:`InsuranceStates`) is what it was on the last day scored.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import lru_cache
from operator import ge

from jifen.dates import Month, first_day, month_of, next_day
from jifen.facts.model import Facts
from jifen.policy.model import Policy, Resolved
from jifen.rules.changes import anniversaries, within
from jifen.rules.context import horizon_months
from jifen.rules.contributions import CEILING_FIELD, INSURANCE_WAGE, REFERENCE_WAGE
from jifen.rules.indicators import REGISTRY
from jifen.rules.tiers import tiers_in_force


def event_dates(facts: Facts, after: date, until: date, policy: Policy, *, months: bool = True) -> list[date]:
    """Sorted candidate dates in (after, until] on which the score may change; with ``months=False``, the
    first days of months are left out unless something else happens on them.

    Each indicator of the registry names the days its own facts can change it (``Indicator.changes``);
    the days no indicator owns are added here: the contribution months, the birthdays on which the
    minimum age to apply is reached, the permit's first and last days, the vetoes, the policy's dates."""
    out: set[date] = set()
    if months:
        out |= {first_day(month) for month in range(month_of(after) + 1, month_of(until) + 1)}
    for indicator in REGISTRY:
        out |= indicator.changes(facts, after, until, policy)
    out |= anniversaries(facts.birth_date, after, until, step=12)  # eligibility's minimum age
    dated = [veto.on for veto in facts.vetoes if veto.on is not None]
    if facts.residence_permit is not None:
        dated.append(facts.residence_permit.valid_from)
        ends = next_day(facts.residence_permit.valid_until)
        if ends is not None:
            dated.append(ends)
    out |= within(dated, after, until)
    out |= within(_policy_dates(policy), after, until)
    return sorted(out)


@lru_cache(maxsize=16)
def _policy_dates(policy: Policy) -> tuple[date, ...]:
    """Every date a parameter value or a scheme text takes effect."""
    starts = {day for parameter in policy.parameters.values() for day in parameter.starts}
    starts.update(v.effective_from for v in policy.versions)
    return tuple(sorted(starts))


class InsuranceStates:
    """What the rules can tell of the contributions on each day from ``first`` to ``last``: for each month
    they look back on, whether it counts, whether its base was above the ceiling, and which of the base
    multiples in the policy (the base tiers, the title's condition) its base meets; the full years counted;
    how many months ago the latest month paid was. Two days with the same state and no other event between
    them score the same.

    A month's base is compared with the reference wage and the ceiling of that month itself, whatever the
    scoring day, so each month's level is worked out once for the whole span and a day's state is the
    window of levels it looks back on. A day outside the span is worked out on its own."""

    def __init__(self, facts: Facts, policy: Policy, first: date, last: date) -> None:
        self.facts = facts
        self.policy = policy
        self.end: Month = month_of(last) - 1  # the latest month a day in the span looks back on
        self.start: Month = month_of(first) - horizon_months(policy, first)  # the earliest on ``first``
        self._levels: dict[_Multiples, tuple[int, ...]] = {}
        self._rules: tuple[Resolved, Resolved] | None = None  # the rules of the last day asked about
        self._current: tuple[int, ...] = ()  # and the levels under them

    def on(self, day: date) -> tuple[object, ...]:
        month = month_of(day)
        last = month - 1
        horizon = horizon_months(self.policy, day)
        if last - horizon + 1 < self.start or last > self.end:
            return InsuranceStates(self.facts, self.policy, day, day).on(day)
        tiers, condition = self.policy.resolve("si_base.tiers", day), self.policy.resolve(CONDITION, day)
        if self._rules is None or tiers is not self._rules[0] or condition is not self._rules[1]:
            # (the policy's cached values of the day before, nearly always: no hashing of fractions)
            self._rules = rules = (tiers, condition)
            multiples = _multiples(*rules)
            levels = self._levels.get(multiples)
            self._current = (
                levels if levels is not None else self._levels.setdefault(multiples, self._levels_of(multiples))
            )
        levels = self._current
        i = last - self.start + 1
        history = self.facts.history
        latest = history.latest_until(month)
        return levels[i - horizon : i], history.total_until(last) // 12, None if latest is None else month - latest

    def _levels_of(self, multiples: tuple[tuple[Fraction, str], ...]) -> tuple[int, ...]:
        """Each month's level as bits: 1 counted, 2 capped at the ceiling, 4, 8, ... meets each multiple."""
        span = self.end - self.start + 1
        bases = self.facts.history.window(self.end, span)
        ceilings = self.policy.field_fen_in_window(INSURANCE_WAGE, CEILING_FIELD, self.end, span)
        levels = [0] * span
        for j, (base, ceiling) in enumerate(zip(bases, ceilings, strict=True)):
            if ceiling is not None and base > ceiling[0]:
                bases[j] = ceiling[0]
                levels[j] = 2
            if base:
                levels[j] |= 1
        for k, (multiple, comparison) in enumerate(multiples):
            bit = 4 << k
            if comparison == "equal":
                num, den = multiple.numerator, multiple.denominator
                references = self.policy.references_fen(REFERENCE_WAGE, self.end, span)
                met = [b * den == r * num for b, r in zip(bases, references, strict=True)]
            else:
                met = list(map(ge, bases, self.policy.thresholds_fen(REFERENCE_WAGE, self.end, span, multiple)))
            for j, yes in enumerate(met):
                if yes:
                    levels[j] |= bit
        return tuple(levels)


CONDITION = "qualification.base_condition_multiple"


class _Multiples(tuple[tuple[Fraction, str], ...]):
    """The base multiples of one pair of rules, hashed and compared as one object (a fraction hashes slowly,
    and every day of a projection looks its levels up): :func:`_multiples` makes one per pair of rules, and
    the policy keeps one object per value in force, so the same rules give the same object."""

    __slots__ = ()
    __hash__ = object.__hash__
    __eq__ = object.__eq__


@lru_cache(maxsize=256)
def _multiples(tiers: Resolved, condition: Resolved) -> _Multiples:
    """The base multiples the rules compare with: each base tier's, and the title's 1x condition."""
    out = {(t.multiple, t.comparison) for t in tiers_in_force(tiers)}
    if isinstance(condition.value, Fraction):
        out.add((condition.value, "at_least"))
    return _Multiples(sorted(out))
