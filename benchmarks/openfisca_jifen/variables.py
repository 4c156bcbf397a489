"""The OpenFisca variables of the model: per-person inputs, and one formula per jifen indicator.

Indicators are computed for a DAY period, the scoring date; every formula reads the parameters in force
on it (``parameters(period)``), except the monthly reference wage, read on the first day of each
contribution month (``parameters(month)``). Inputs (see :mod:`openfisca_jifen.inputs`):

- ETERNITY: the birth date, the marriage date, flags, investment amounts in whole units, the first
  contribution month, and for each list of the facts the earliest date per category (education level,
  with or without the degree; title or skill level obtained in Shanghai and matching the post; award
  level) and the dates of penalties in slots ``penalty_on_<kind>_<i>``. An absent date is
  :data:`~openfisca_jifen.dates.NEVER`.
- DAY, on the scoring date: the full months of public service and of each remote area up to that date.
- MONTH, over the whole contribution history: the base in fen, whether back-paid, whether the payer is
  the contract employer.

Each indicator has ``<indicator>_points`` and ``<indicator>_counted`` (false where the choose-one rule
drops it); ``total_points`` adds the counted points and applies the floor. Only points are modelled: no
explanations, no eligibility.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import Any

import numpy as np
from openfisca_core import periods  # type: ignore[import-untyped, import-not-found, unused-ignore]
from openfisca_core.periods import DateUnit  # type: ignore[import-untyped, import-not-found, unused-ignore]
from openfisca_core.populations import ADD  # type: ignore[import-untyped, import-not-found, unused-ignore]
from openfisca_core.variables import Variable  # type: ignore[import-untyped, import-not-found, unused-ignore]

from jifen.facts.model import AWARD_LEVELS, EDUCATION_LEVELS, PENALTY_KINDS, REMOTE_AREAS, SKILL_LEVELS, TITLE_LEVELS
from jifen.rules.indicators import INDICATOR_IDS
from openfisca_jifen.dates import (
    NEVER,
    Array,
    Bools,
    Ints,
    day,
    full_months,
    full_years,
    month_index,
    month_text,
)
from openfisca_jifen.entities import Person

Formula = Callable[[Any, Any, Any], Array]

# The contract's indicator ids, in its order (section 2).
INDICATORS = INDICATOR_IDS
FLAGS = {  # indicator -> the facts flag it rewards
    "shortage_major": "shortage_major_matching_post",
    "fresh_graduate": "fresh_graduate",
    "entrepreneur": "entrepreneur_talent",
    "innovation_intermediary": "innovation_intermediary_talent",
}
QUALIFICATIONS: tuple[tuple[str, str], ...] = (
    *(("title", level) for level in TITLE_LEVELS),
    *(("skill", str(level)) for level in SKILL_LEVELS),
)
NO_CONTRIBUTIONS = np.iinfo(np.int32).max  # si_first_month of a holder with no contribution run
_NONE = np.iinfo(np.int64).min  # "no candidate" in a best-of


# -- names of the inputs ------------------------------------------------------------------------------
def education_on(level: str, *, with_degree: bool) -> str:
    return f"education_{'with_degree_' if with_degree else ''}graduated_on_{level}"


def qualification_on(kind: str, level: str) -> str:
    return f"qualification_recognised_on_{kind}_{level}"


def award_on(level: str) -> str:
    return f"award_on_{level}"


def remote_area_months(area: str) -> str:
    return f"remote_area_months_{area}"


def penalty_on(kind: str, slot: int) -> str:
    return f"penalty_on_{kind}_{slot}"


# -- helpers of the formulas --------------------------------------------------------------------------
def _scoring_date(period: Any) -> date:
    scoring_date: date = period.start.date
    return scoring_date


def _last_month(period: Any) -> int:
    """The month before the scoring date's month: the last one counted (contract reading 2)."""
    return month_index(_scoring_date(period)) - 1


@cache
def month_period(index: int) -> Any:
    """The OpenFisca period of a month index (built once: parsing periods from text is slow)."""
    return periods.period(month_text(index))


def _eternal(person: Any, name: str) -> Array:
    return np.asarray(person(name, DateUnit.ETERNITY))


def _held(person: Any, name: str, period: Any) -> Bools:
    """Whether the dated fact ``name`` happened on or before the scoring date."""
    return _eternal(person, name) <= day(_scoring_date(period))


def _best(candidates: Iterable[Ints], count: int) -> Ints:
    """Element-wise maximum of the candidates, 0 where none (every entry ``_NONE``)."""
    best = np.full(count, _NONE, dtype=np.int64)
    for candidate in candidates:
        best = np.maximum(best, candidate)
    return np.where(best == _NONE, 0, best)


def _counted_after(years: Ints, per_year: int, after: int, cap: int | None) -> Ints:
    """0 below ``after`` full years, then every full year counts, up to the cap (contract reading 8)."""
    points = years * per_year
    if cap is not None:
        points = np.minimum(points, cap)
    return np.where(years < after, 0, points)


def _optional(node: Any, key: str) -> int | None:
    """A parameter that may have no value in force (null in the data): None then."""
    return int(node[key]) if key in node else None


def _months_meeting(person: Any, parameters: Any, last: int, window: int, multiple: Any, comparison: str) -> Ints:
    """Counted months of the ``window`` ending with month ``last`` whose base is at or above (or exactly)
    ``multiple`` x the reference wage in force on the month's first day; compared in fen, exactly."""
    numerator, denominator = int(multiple.numerator), int(multiple.denominator)
    count = np.zeros(person.count, dtype=np.int64)
    for month in range(last - window + 1, last + 1):
        base = np.asarray(person("si_counted_base_fen", month_period(month)), dtype=np.int64) * denominator
        reference = int(parameters(month_period(month)).si_base.reference_wage) * 100 * numerator
        if comparison == "at_least":
            count += base >= reference
        elif comparison == "equal":
            count += base == reference
        else:
            raise ValueError(f"unknown base comparison {comparison!r}")
    return count


# -- formulas -----------------------------------------------------------------------------------------
def age(person: Any, period: Any, parameters: Any) -> Array:
    """周岁 on the scoring date (contract reading 1)."""
    return full_months(_eternal(person, "birth_date"), day(_scoring_date(period))) // 12


def age_points(person: Any, period: Any, parameters: Any) -> Array:
    p = parameters(period).age
    years = np.asarray(person("age", period), dtype=np.int64)
    slope = np.minimum(p.band_points + p.points_per_year * (p.band_min_age - years), p.full_points)
    return np.select(
        [years <= p.full_points_max_age, years < p.band_min_age, years <= p.band_max_age],
        [np.full_like(years, p.full_points), slope, np.full_like(years, p.band_points)],
        0,
    )


def education_points(person: Any, period: Any, parameters: Any) -> Array:
    """The highest level held on the scoring date; a level's ``_with_degree`` entry when the degree is held."""
    table = parameters(period).education.points
    candidates = []
    for level in EDUCATION_LEVELS:
        plain = _optional(table, level) or 0
        with_degree = _optional(table, f"{level}_with_degree")
        for degree, points in ((False, plain), (True, plain if with_degree is None else with_degree)):
            held = _held(person, education_on(level, with_degree=degree), period)
            candidates.append(np.where(held, points, _NONE))
    return _best(candidates, person.count)


def qualification_base_condition_months(person: Any, period: Any, parameters: Any) -> Array:
    """Months meeting the 1x base condition of titles and skills within its window (contract reading 5)."""
    p = parameters(period).qualification
    window = int(p.base_condition_window_months)
    return _months_meeting(person, parameters, _last_month(period), window, p.base_condition_multiple, "at_least")


def qualification_points(person: Any, period: Any, parameters: Any) -> Array:
    """The best title or skill held; only one obtained in Shanghai and matching the post scores, and the
    levels listed under the base condition need its months."""
    p = parameters(period).qualification
    met = np.asarray(person("qualification_base_condition_months", period)) >= p.base_condition_months
    tables = {"title": p.title_points, "skill": p.skill_points}
    needs_condition = {
        "title": {str(level) for level in p.base_condition_titles},
        "skill": {str(level) for level in p.base_condition_skills},
    }
    # A title or skill not recognised still makes a candidate, of 0 points.
    candidates = [np.where(_held(person, "qualification_unrecognised_obtained_on", period), 0, _NONE)]
    for kind, level in QUALIFICATIONS:
        held = _held(person, qualification_on(kind, level), period)
        nominal = _optional(tables[kind], level)
        if nominal is None:
            if held.any():
                raise ValueError(f"qualification.{kind}_points has no value for level {level}")
            continue
        points = np.where(met, nominal, 0) if level in needs_condition[kind] else np.full(person.count, nominal)
        candidates.append(np.where(held, points, _NONE))
    return _best(candidates, person.count)


def si_counted_base_fen(person: Any, period: Any, parameters: Any) -> Array:
    """The month's base when the month counts: not back-paid, paid by the contract employer (reading 2)."""
    counted = ~np.asarray(person("si_back_paid", period)) & np.asarray(person("si_employer_matches", period))
    return np.where(counted, person("si_base_fen", period), 0)


def si_counted_month(person: Any, period: Any, parameters: Any) -> Array:
    return np.asarray(person("si_counted_base_fen", period)) > 0


def si_counted_months(person: Any, period: Any, parameters: Any) -> Array:
    """Counted months over the whole history up to the month before the scoring date (reading 3)."""
    last = _last_month(period)
    first = int(_eternal(person, "si_first_month").min(initial=NO_CONTRIBUTIONS))
    if first > last:
        return np.zeros(person.count, dtype=np.int64)
    months = periods.Period((DateUnit.MONTH, month_period(first).start, last - first + 1))
    return np.asarray(person("si_counted_month", months, options=[ADD]))


def si_years_points(person: Any, period: Any, parameters: Any) -> Array:
    months = np.asarray(person("si_counted_months", period), dtype=np.int64)
    return months // 12 * int(parameters(period).si_years.points_per_year)


def si_base_points(person: Any, period: Any, parameters: Any) -> Array:
    """The highest tier reached: enough months at or above its multiple within its window (reading 4)."""
    tiers = parameters(period).si_base.tiers
    last = _last_month(period)
    candidates = []
    for index in tiers:
        tier = tiers[index]
        months = _months_meeting(person, parameters, last, int(tier.window_months), tier.multiple, tier.comparison)
        candidates.append(np.where(months >= tier.months, int(tier.points), _NONE))
    return _best(candidates, person.count)


def _flag_points(indicator: str) -> Formula:
    def formula(person: Any, period: Any, parameters: Any) -> Array:
        return np.where(_eternal(person, FLAGS[indicator]), parameters(period)[indicator].points, 0)

    formula.__name__ = f"{indicator}_points"
    return formula


def investment_points(person: Any, period: Any, parameters: Any) -> Array:
    """Steps of average annual tax or of Shanghai-hukou employees, the higher, to the cap."""
    p = parameters(period).investment
    tax = _eternal(person, "investment_tax_whole_yuan").astype(np.int64)
    employees = _eternal(person, "investment_hukou_employees_whole").astype(np.int64)
    # No claim, or both amounts 0: 0 steps, so 0 points as in jifen (for a non-negative cap).
    steps = np.maximum(tax // int(p.tax_step_yuan), employees // int(p.employees_step))
    points: Ints = np.minimum(steps * int(p.points_per_step), int(p.cap))
    return points


def public_service_points(person: Any, period: Any, parameters: Any) -> Array:
    p = parameters(period).public_service
    years = np.asarray(person("public_service_months", period), dtype=np.int64) // 12
    return _counted_after(years, int(p.points_per_year), int(p.counted_after_years), _optional(p, "cap"))


def remote_area_points(person: Any, period: Any, parameters: Any) -> Array:
    """Full years per area, each area with its own threshold (none: not a remote key area then); the best.

    Areas the holder never worked in have 0 months, hence 0 points, like jifen's unclaimed item (for the
    non-negative points per year and cap of the policy data)."""
    p = parameters(period).remote_area
    thresholds = p.counted_after_years
    candidates = []
    for area in REMOTE_AREAS:
        if area in thresholds:
            years = np.asarray(person(remote_area_months(area), period), dtype=np.int64) // 12
            candidates.append(_counted_after(years, int(p.points_per_year), int(thresholds[area]), int(p.cap)))
    return _best(candidates, person.count)


def awards_points(person: Any, period: Any, parameters: Any) -> Array:
    """The highest award received by the scoring date."""
    table = parameters(period).awards.points
    candidates = []
    for level in AWARD_LEVELS:
        held = _held(person, award_on(level), period)
        points = _optional(table, level)
        if points is None:
            if held.any():
                raise ValueError(f"awards.points has no value for level {level}")
            continue
        candidates.append(np.where(held, points, _NONE))
    return _best(candidates, person.count)


def hukou_spouse_points(person: Any, period: Any, parameters: Any) -> Array:
    p = parameters(period).hukou_spouse
    married = _eternal(person, "hukou_spouse_married_on")
    years = full_months(married, day(_scoring_date(period))) // 12
    points = _counted_after(years, int(p.points_per_year), 0, int(p.cap))
    return np.where(married <= day(_scoring_date(period)), points, 0)


def _deduction_points(kind: str, slots: int) -> Formula:
    def formula(person: Any, period: Any, parameters: Any) -> Array:
        """Each event within the window: not after the scoring date, and fewer than ``window`` full years
        before it (reading 9; an event on 29 February has its anniversary on 28 February)."""
        p = parameters(period)[kind]
        today = day(_scoring_date(period))
        count = np.zeros(person.count, dtype=np.int64)
        for slot in range(slots):
            on = _eternal(person, penalty_on(kind, slot))
            count += (on <= today) & (full_years(on, today) < int(p.window_years))
        return count * int(p.points_per_event)

    formula.__name__ = f"{kind}_points"
    return formula


def _counted(indicator: str) -> Formula:
    def formula(person: Any, period: Any, parameters: Any) -> Array:
        """The choose-one rule: within the group the highest counts, the first listed on a tie; a dropped
        item with 0 points drops nothing, so it stays counted. Items outside the group always count."""
        group = [str(name) for name in parameters(period).scheme.choose_one]
        if indicator not in group:
            return np.ones(person.count, dtype=np.bool_)
        stack = np.stack([np.asarray(person(f"{name}_points", period), dtype=np.int64) for name in group])
        winner = np.argmax(stack, axis=0)  # the first maximum: the first listed on a tie
        position = group.index(indicator)
        counted: Bools = (winner == position) | (stack[position] == 0)
        return counted

    formula.__name__ = f"{indicator}_counted"
    return formula


def total_points(person: Any, period: Any, parameters: Any) -> Array:
    """The sum of the counted items, floored at the minimum total."""
    total = np.zeros(person.count, dtype=np.int64)
    for indicator in INDICATORS:
        points = np.asarray(person(f"{indicator}_points", period), dtype=np.int64)
        total += np.where(person(f"{indicator}_counted", period), points, 0)
    return np.maximum(total, int(parameters(period).scheme.minimum_total))


# -- declarations -------------------------------------------------------------------------------------
def _variable(
    name: str,
    value_type: type,
    period: Any,
    label: str,
    *,
    formula: Formula | None = None,
    default: object = None,
) -> type:
    attributes: dict[str, object] = {
        "value_type": value_type,
        "entity": Person,
        "definition_period": period,
        "label": label,
    }
    if formula is not None:
        attributes["formula"] = formula
    if default is not None:
        attributes["default_value"] = default
    return type(name, (Variable,), attributes)


@cache
def variables(penalty_slots: int) -> tuple[type, ...]:
    """Every variable of the model, with ``penalty_slots`` date inputs per kind of penalty."""
    eternity, month, day_unit = DateUnit.ETERNITY, DateUnit.MONTH, DateUnit.DAY
    never = NEVER.item()
    inputs = [
        _variable("birth_date", date, eternity, "Birth date"),
        _variable("hukou_spouse_married_on", date, eternity, "Marriage to a Shanghai-hukou spouse", default=never),
        *(_variable(flag, bool, eternity, f"Flag {flag}") for flag in FLAGS.values()),
        _variable("investment_tax_whole_yuan", int, eternity, "Average annual tax, whole yuan (floored)"),
        _variable("investment_hukou_employees_whole", int, eternity, "Average hukou employees, floored"),
        *(
            _variable(education_on(level, with_degree=d), date, eternity, "Earliest graduation", default=never)
            for level in EDUCATION_LEVELS
            for d in (False, True)
        ),
        *(
            _variable(qualification_on(kind, level), date, eternity, "Earliest recognised", default=never)
            for kind, level in QUALIFICATIONS
        ),
        _variable(
            "qualification_unrecognised_obtained_on",
            date,
            eternity,
            "Earliest title or skill not obtained in Shanghai or not matching the post",
            default=never,
        ),
        *(
            _variable(award_on(level), date, eternity, "Earliest award of the level", default=never)
            for level in AWARD_LEVELS
        ),
        *(
            _variable(penalty_on(kind, slot), date, eternity, "A penalty's date", default=never)
            for kind in PENALTY_KINDS
            for slot in range(penalty_slots)
        ),
        _variable("si_first_month", int, eternity, "First contribution month", default=NO_CONTRIBUTIONS),
        _variable("public_service_months", int, day_unit, "Full months of public service up to the day"),
        *(
            _variable(remote_area_months(a), int, day_unit, "Full months in the area up to the day")
            for a in REMOTE_AREAS
        ),
        _variable("si_base_fen", int, month, "Contribution base of the month, fen (0: none)"),
        _variable("si_back_paid", bool, month, "The month was back-paid (补缴)"),
        _variable("si_employer_matches", bool, month, "Paid by the contract employer", default=True),
    ]
    intermediates = [
        _variable("age", int, day_unit, "Full years of age", formula=age),
        _variable("si_counted_base_fen", int, month, "Base of a counted month, fen", formula=si_counted_base_fen),
        _variable("si_counted_month", int, month, "1 for a counted month", formula=si_counted_month),
        _variable("si_counted_months", int, day_unit, "Counted months up to the day", formula=si_counted_months),
        _variable(
            "qualification_base_condition_months",
            int,
            day_unit,
            "Months meeting the 1x base condition",
            formula=qualification_base_condition_months,
        ),
    ]
    formulas: dict[str, Formula] = {
        "age": age_points,
        "education": education_points,
        "qualification": qualification_points,
        "si_years": si_years_points,
        "si_base": si_base_points,
        "investment": investment_points,
        "public_service": public_service_points,
        "remote_area": remote_area_points,
        "awards": awards_points,
        "hukou_spouse": hukou_spouse_points,
        **{indicator: _flag_points(indicator) for indicator in FLAGS},
        **{kind: _deduction_points(kind, penalty_slots) for kind in PENALTY_KINDS},
    }
    indicators = [
        _variable(f"{indicator}_points", int, day_unit, f"Points of {indicator}", formula=formulas[indicator])
        for indicator in INDICATORS
    ]
    counted = [
        _variable(
            f"{indicator}_counted", bool, day_unit, f"{indicator} counts in the total", formula=_counted(indicator)
        )
        for indicator in INDICATORS
    ]
    total = _variable("total_points", int, day_unit, "Total points", formula=total_points)
    return (*inputs, *intermediates, *indicators, *counted, total)
