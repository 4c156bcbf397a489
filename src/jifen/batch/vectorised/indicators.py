"""The indicators of :mod:`jifen.rules`, each over a whole chunk of holders scored on one date.

Each function mirrors the scalar rule of the same name and reads the same parameters from the same
policy view, so a change of policy data changes both paths alike; the property test in
tests/test_vectorised.py holds them to identical points, holder by holder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np

from jifen.batch.layout import SKILL_TEXTS
from jifen.batch.vectorised.columns import Bools, Ints, day_number, full_months
from jifen.batch.vectorised.contributions import Contributions
from jifen.batch.vectorised.holders import Holders, per_holder_max, per_holder_sum
from jifen.dates import month_of
from jifen.facts.model import (
    AWARD_LEVELS,
    EDUCATION_LEVELS,
    PENALTY_KINDS,
    QUALIFICATION_KINDS,
    REMOTE_AREAS,
    TITLE_LEVELS,
    VETO_KINDS,
)
from jifen.policy.model import Policy, Value
from jifen.rules.context import horizon_months
from jifen.rules.flag_bonus import FLAGS
from jifen.rules.tiers import tiers_in_force


@dataclass
class OnDay:
    """The holders, the scoring date and the parameters in force on it."""

    holders: Holders
    day: date
    policy: Policy

    def __post_init__(self) -> None:
        self.today = day_number(self.day)
        self.values = self.policy.view(self.day)
        last_month = month_of(self.day) - 1  # contract 3.2: up to the month before the scoring date
        self.contributions = Contributions(
            self.holders.n,
            self.holders.social_insurance,
            last_month,
            horizon_months(self.policy, self.day),
            self.policy,
        )

    def value(self, name: str) -> Value:
        return self.values[name].value

    def int_value(self, name: str) -> int:
        value = self.value(name)
        assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
        return value

    def table(self, name: str) -> dict[str, int]:
        value = self.value(name)
        assert isinstance(value, dict)  # noqa: S101
        return value


def _lookup(table: dict[str, int], keys: tuple[str, ...], missing: int | None = None) -> Ints:
    """Points by code (the key's index in ``keys``); a key absent from the table gets ``missing``."""
    points = []
    for key in keys:
        if key not in table and missing is None:
            raise KeyError(f"{key!r} is missing from the policy table")
        points.append(table.get(key, missing or 0))
    return np.array(points, dtype=np.int64)


def age(d: OnDay) -> Ints:
    h = d.holders
    years = full_months(h.birth, np.full(h.n, d.today)) // 12
    full, max_age = d.int_value("age.full_points"), d.int_value("age.full_points_max_age")
    band_min, band_max = d.int_value("age.band_min_age"), d.int_value("age.band_max_age")
    band_points, per_year = d.int_value("age.band_points"), d.int_value("age.points_per_year")
    slope = np.minimum(band_points + per_year * (band_min - years), full)
    return np.select(
        [years <= max_age, years < band_min, years <= band_max], [np.full(h.n, full), slope, np.full(h.n, band_points)]
    )


def education(d: OnDay) -> Ints:
    g, table = d.holders.education, d.table("education.points")
    level = g.codes("education_level", EDUCATION_LEVELS)
    plain = _lookup(table, EDUCATION_LEVELS, missing=0)
    with_keys = tuple(f"{lv}_with_degree" for lv in EDUCATION_LEVELS)
    has_with = np.array([k in table for k in with_keys])
    with_degree = _lookup(table, with_keys, missing=0)
    degree = g.flags("education_degree", default=False) & has_with[level]
    points = np.where(degree, with_degree[level], plain[level])
    graduated, _ = g.days("education_graduated_on")
    best, found = per_holder_max(d.holders.n, g.holder, points, graduated <= d.today)
    return np.where(found, best, 0)


def qualification(d: OnDay) -> Ints:
    g = d.holders.qualifications
    is_title = g.codes("qualification_kind", QUALIFICATION_KINDS) == 0
    title = g.codes("qualification_level", TITLE_LEVELS)
    skill = g.codes("qualification_level", SKILL_TEXTS)
    title_points = _lookup(d.table("qualification.title_points"), TITLE_LEVELS)
    skill_points = _lookup(d.table("qualification.skill_points"), SKILL_TEXTS)
    nominal = np.where(is_title, title_points[title], skill_points[skill])
    titles = d.value("qualification.base_condition_titles")
    skills = d.value("qualification.base_condition_skills")
    assert isinstance(titles, tuple) and isinstance(skills, tuple)  # noqa: S101
    title_needs = np.array([t in titles for t in TITLE_LEVELS])
    skill_needs = np.array([int(s) in skills for s in SKILL_TEXTS])
    needs = np.where(is_title, title_needs[title], skill_needs[skill])
    window = d.int_value("qualification.base_condition_window_months")
    needed = d.int_value("qualification.base_condition_months")
    multiple = d.value("qualification.base_condition_multiple")
    assert isinstance(multiple, Fraction)  # noqa: S101
    met = d.contributions.count_meeting(window, multiple) >= needed
    counts = g.flags("qualification_in_shanghai", default=False)
    counts &= g.flags("qualification_matches_post", default=False)
    points = np.where(counts & (~needs | met[g.holder]), nominal, 0)
    obtained, _ = g.days("qualification_obtained_on")
    best, found = per_holder_max(d.holders.n, g.holder, points, obtained <= d.today)
    return np.where(found, best, 0)


def si_years(d: OnDay) -> Ints:
    return (d.contributions.total // 12) * d.int_value("si_years.points_per_year")


def si_base(d: OnDay) -> Ints:
    points = np.zeros(d.holders.n, dtype=np.int64)
    reached = np.zeros(d.holders.n, dtype=bool)
    for tier in tiers_in_force(d.values["si_base.tiers"]):
        months = d.contributions.count_meeting(tier.window_months, tier.multiple, tier.comparison)
        hit = ~reached & (months >= tier.months)
        points[hit] = tier.points
        reached |= hit
    return points


def _flag(indicator: str) -> Callable[[OnDay], Ints]:
    flag, parameter = FLAGS[indicator]

    def evaluate(d: OnDay) -> Ints:
        return np.where(d.holders.flags[flag], d.int_value(parameter), 0)

    return evaluate


def investment(d: OnDay) -> Ints:
    h = d.holders
    present = ~(h.tax_null & h.employees_null) & ((h.tax != 0) | (h.employees != 0))
    tax_step, emp_step = d.int_value("investment.tax_step_yuan"), d.int_value("investment.employees_step")
    per_step, cap = d.int_value("investment.points_per_step"), d.int_value("investment.cap")
    steps = np.maximum(np.floor_divide(h.tax, tax_step), np.floor_divide(h.employees, emp_step))
    return np.where(present, np.minimum(steps * per_step, cap), 0).astype(np.int64)


def _counted_after(years: Ints, per_year: int, after: Ints | int, cap: int | None) -> Ints:
    """:func:`jifen.rules.periods.counted_after` element by element."""
    points = years * per_year
    if cap is not None:
        points = np.minimum(points, cap)
    return np.where(years < after, 0, points)


def _period_months(d: OnDay, starts: Ints, tos: Ints, ongoing: Bools) -> Ints:
    """:func:`jifen.rules.periods.period_months` element by element."""
    end = np.where(ongoing, d.today, np.minimum(tos + 1, d.today))
    return full_months(starts, end)


def public_service(d: OnDay) -> Ints:
    g = d.holders.public_service
    if not len(g):
        return np.zeros(d.holders.n, dtype=np.int64)
    starts, _ = g.days("public_service_from")
    tos, ongoing = g.days("public_service_to")
    years = per_holder_sum(d.holders.n, g.holder, _period_months(d, starts, tos, ongoing)) // 12
    cap = d.value("public_service.cap")
    assert cap is None or isinstance(cap, int)  # noqa: S101
    per_year, after = d.int_value("public_service.points_per_year"), d.int_value("public_service.counted_after_years")
    return np.where(g.lengths > 0, _counted_after(years, per_year, after, cap), 0)


def hukou_spouse(d: OnDay) -> Ints:
    h = d.holders
    married = ~h.married_null & (h.married <= d.today)
    years = full_months(np.where(married, h.married, d.today), np.full(h.n, d.today)) // 12
    points = _counted_after(years, d.int_value("hukou_spouse.points_per_year"), 0, d.int_value("hukou_spouse.cap"))
    return np.where(married, points, 0)


def remote_area(d: OnDay) -> Ints:
    g, n = d.holders.remote_area, d.holders.n
    if not len(g):
        return np.zeros(n, dtype=np.int64)
    area = g.codes("remote_area", REMOTE_AREAS)
    starts, _ = g.days("remote_from")
    tos, ongoing = g.days("remote_to")
    months = np.zeros((n, len(REMOTE_AREAS)), dtype=np.int64)
    np.add.at(months, (g.holder, area), _period_months(d, starts, tos, ongoing))
    present = np.zeros((n, len(REMOTE_AREAS)), dtype=bool)
    present[g.holder, area] = True
    thresholds = d.table("remote_area.counted_after_years")
    listed = np.array([a in thresholds for a in REMOTE_AREAS])
    after = np.array([thresholds.get(a, 0) for a in REMOTE_AREAS], dtype=np.int64)
    points = _counted_after(
        months // 12, d.int_value("remote_area.points_per_year"), after, d.int_value("remote_area.cap")
    )
    points = np.where(present, np.where(listed, points, 0), np.iinfo(np.int64).min)
    return np.where(present.any(axis=1), points.max(axis=1), 0)


def awards(d: OnDay) -> Ints:
    g = d.holders.awards
    if not len(g):
        return np.zeros(d.holders.n, dtype=np.int64)
    points = _lookup(d.table("awards.points"), AWARD_LEVELS)[g.codes("award_level", AWARD_LEVELS)]
    received, _ = g.days("award_on")
    best, found = per_holder_max(d.holders.n, g.holder, points, received <= d.today)
    return np.where(found, best, 0)


def _deduction(kind: str) -> Callable[[OnDay], Ints]:
    code = PENALTY_KINDS.index(kind)

    def evaluate(d: OnDay) -> Ints:
        g = d.holders.penalties
        if not len(g):
            return np.zeros(d.holders.n, dtype=np.int64)
        window = d.int_value(f"{kind}.window_years")
        on, _ = g.days("penalty_on")
        years = full_months(on, np.full(len(on), d.today)) // 12
        within = (g.codes("penalty_kind", PENALTY_KINDS) == code) & (on <= d.today) & (years < window)
        count = np.bincount(g.holder[within], minlength=d.holders.n).astype(np.int64)
        return count * d.int_value(f"{kind}.points_per_event")

    return evaluate


INDICATORS: tuple[tuple[str, Callable[[OnDay], Ints]], ...] = (
    ("age", age),
    ("education", education),
    ("qualification", qualification),
    ("si_years", si_years),
    ("si_base", si_base),
    ("shortage_major", _flag("shortage_major")),
    ("investment", investment),
    ("public_service", public_service),
    ("remote_area", remote_area),
    ("fresh_graduate", _flag("fresh_graduate")),
    ("awards", awards),
    ("hukou_spouse", hukou_spouse),
    ("entrepreneur", _flag("entrepreneur")),
    ("innovation_intermediary", _flag("innovation_intermediary")),
    ("false_material", _deduction("false_material")),
    ("administrative_detention", _deduction("administrative_detention")),
    ("criminal_record", _deduction("criminal_record")),
)


def total(d: OnDay, points: dict[str, Ints]) -> Ints:
    """The choose-one rule (the highest counts, the first listed on a tie), the sum, the floor."""
    group = d.value("scheme.choose_one")
    assert isinstance(group, tuple)  # noqa: S101
    names = [str(name) for name in group]
    stacked = np.stack([points[name] for name in names])
    winner = np.argmax(stacked, axis=0)
    dropped = np.where(np.arange(len(names))[:, None] == winner[None, :], 0, stacked).sum(axis=0)
    summed = np.sum(np.stack(list(points.values())), axis=0) - dropped
    return np.asarray(np.maximum(summed, d.int_value("scheme.minimum_total")), dtype=np.int64)


def eligibility(d: OnDay) -> tuple[Bools, Bools]:
    """(eligible, vetoed): old enough, paying in the filing month (allowing the record lag), insurance
    months in the window, a valid permit if given, no veto in force."""
    h = d.holders
    adult = full_months(h.birth, np.full(h.n, d.today)) // 12 >= d.int_value("eligibility.minimum_age")
    paying = d.contributions.paying_around(month_of(d.day), d.int_value("eligibility.record_lag_months"))
    window = d.int_value("eligibility.insurance_window_months")
    insured = adult & paying
    insured &= d.contributions.months_in_window(window) >= d.int_value("eligibility.insurance_months")
    permit = h.permit_from_null | ((h.permit_from <= d.today) & (d.today <= h.permit_until))
    vetoed = np.zeros(h.n, dtype=bool)
    g = h.vetoes
    if len(g):
        on, undated = g.days("veto_on")
        kinds = d.value("veto.kinds") if "veto.kinds" in d.values else ()
        assert isinstance(kinds, tuple)  # noqa: S101
        in_force = np.array([k in kinds for k in VETO_KINDS])
        vetoing = in_force[g.codes("veto_kind", VETO_KINDS)] & (undated | (on <= d.today))
        vetoed[g.holder[vetoing]] = True
    return insured & permit & ~vetoed, vetoed
