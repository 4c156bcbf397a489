"""年龄 (age): 56-60周岁积5分，每减少1岁加2分，最高30分; full years on the scoring date (reading 1)."""

from __future__ import annotations

from datetime import date

import numpy as np

from jifen.dates import full_years
from jifen.facts.model import Facts
from jifen.policy.model import Policy
from jifen.rules.changes import anniversaries
from jifen.rules.columns import Ints, OnDay, full_months
from jifen.rules.context import Context
from jifen.rules.indicators.indicator import Indicator
from jifen.rules.outcome import Message, Outcome

FULL = Message(
    "{age}周岁（{birth}出生），不超过{max_age}周岁，积满分{points}分。",
    "Age {age} (born {birth}), at most {max_age}: full {points} points.",
)
SLOPE = Message(
    "{age}周岁（{birth}出生）：{band_min}周岁积{band_points}分，每小1岁加{per_year}分，积{points}分。",
    "Age {age} (born {birth}): {band_points} points at {band_min}, plus {per_year} for each year younger: {points}.",
)
BAND = Message(
    "{age}周岁（{birth}出生），在{band_min}至{band_max}周岁之间，积{points}分。",
    "Age {age} (born {birth}), between {band_min} and {band_max}: {points} points.",
)
ABOVE = Message(
    "{age}周岁（{birth}出生），超过{band_max}周岁，年龄不积分。",
    "Age {age} (born {birth}), above {band_max}: no age points.",
)


def scalar(ctx: Context) -> Outcome:
    age = full_years(ctx.facts.birth_date, ctx.as_of)
    args: dict[str, object] = {"age": age, "birth": ctx.facts.birth_date}
    max_age = ctx.int_param("age.full_points_max_age")
    if age <= max_age:
        points = ctx.int_param("age.full_points")
        return Outcome(points, FULL, {**args, "max_age": max_age, "points": points})
    band_min = ctx.int_param("age.band_min_age")
    if age < band_min:
        band_points = ctx.int_param("age.band_points")
        per_year = ctx.int_param("age.points_per_year")
        points = min(band_points + per_year * (band_min - age), ctx.int_param("age.full_points"))
        args.update(band_min=band_min, band_points=band_points, per_year=per_year, points=points)
        return Outcome(points, SLOPE, args)
    band_max = ctx.int_param("age.band_max_age")
    if age <= band_max:
        band_points = ctx.int_param("age.band_points")
        return Outcome(band_points, BAND, {**args, "band_min": band_min, "band_max": band_max, "points": band_points})
    return Outcome(0, ABOVE, {**args, "band_max": band_max})


def column(on_day: OnDay) -> Ints:
    holders = on_day.holders
    years = full_months(holders.birth, on_day.everyone(on_day.today)) // 12
    full, max_age = on_day.int_value("age.full_points"), on_day.int_value("age.full_points_max_age")
    band_min, band_max = on_day.int_value("age.band_min_age"), on_day.int_value("age.band_max_age")
    band_points, per_year = on_day.int_value("age.band_points"), on_day.int_value("age.points_per_year")
    slope = np.minimum(band_points + per_year * (band_min - years), full)
    return np.select(
        [years <= max_age, years < band_min, years <= band_max],
        [on_day.everyone(full), slope, on_day.everyone(band_points)],
    )


def changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    """Birthdays."""
    return anniversaries(facts.birth_date, after, until, step=12)


AGE = Indicator("age", scalar, column, changes)
