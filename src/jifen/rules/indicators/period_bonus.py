"""Bonus items earned per full year of a period: 特定公共服务领域, 配偶为本市户籍, 远郊重点区域.

Full years follow contract reading 7 (:mod:`jifen.rules.periods`), "counted after N years" reading 8.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from jifen.facts.model import REMOTE_AREAS, Facts, Period
from jifen.policy.model import Policy
from jifen.rules.changes import periods_changes
from jifen.rules.columns import Bools, Ints, OnDay, full_months, per_holder_sum
from jifen.rules.context import Attempt, Context
from jifen.rules.indicators.indicator import Indicator
from jifen.rules.outcome import Message, Outcome
from jifen.rules.periods import counted_after, full_years_of

NONE = Message("未申报{name_zh}，不积分。", "No {name_en} claimed: no points.")
YEARS = Message(
    "{name_zh}满{years}年，每年{per_year}分{after_zh}{cap_zh}，积{points}分。",
    "{name_en}: {years} full years at {per_year} each{after_en}{cap_en}: {points} points.",
)
AREA_NOT_LISTED = Message(
    "{area_zh}在{as_of}适用的规定中不属于远郊重点区域，不积分。",
    "{area_en} is not a remote key area under the rules in force on {as_of}: no points.",
)

AREA_ZH = {
    "lingang": "临港新片区",
    "new_city": "五个新城",
    "transition_area": "南北转型地区",
    "other": "其他远郊重点区域",
}
AREA_EN = {
    "lingang": "Lingang New Area",
    "new_city": "the five new cities",
    "transition_area": "north/south transition areas",
    "other": "another remote key area",
}


def _years_outcome(
    ctx: Context, name: tuple[str, str], years: int, per_year: int, after: int, cap: int | None
) -> Outcome:
    points = counted_after(years, per_year, after, cap)
    return Outcome(
        points,
        YEARS,
        {
            "name_zh": name[0],
            "name_en": name[1],
            "years": years,
            "per_year": per_year,
            "points": points,
            "after_zh": f"，满{after}年后计入" if after > 1 else "",
            "after_en": f", counted from {after} full years" if after > 1 else "",
            "cap_zh": f"，最高{cap}分" if cap is not None else "",
            "cap_en": f", cap {cap}" if cap is not None else "",
        },
    )


def _counted_after(years: Ints, per_year: int, after: Ints | int, cap: int | None) -> Ints:
    """:func:`jifen.rules.periods.counted_after` element by element."""
    points = years * per_year
    if cap is not None:
        points = np.minimum(points, cap)
    return np.where(years < after, 0, points)


def _period_months(on_day: OnDay, starts: Ints, last_days: Ints, ongoing: Bools) -> Ints:
    """:func:`jifen.rules.periods.period_months` element by element."""
    end = np.where(ongoing, on_day.today, np.minimum(last_days + 1, on_day.today))
    return full_months(starts, end)


def public_service_scalar(ctx: Context) -> Outcome:
    name = ("在本市特定的公共服务领域就业", "work in a designated public-service field")
    if not ctx.facts.public_service:
        return Outcome(0, NONE, {"name_zh": name[0], "name_en": name[1]})
    years = full_years_of(ctx.facts.public_service, ctx.as_of)
    cap = ctx.param("public_service.cap")
    assert cap is None or isinstance(cap, int)  # noqa: S101
    return _years_outcome(
        ctx,
        name,
        years,
        ctx.int_param("public_service.points_per_year"),
        ctx.int_param("public_service.counted_after_years"),
        cap,
    )


def public_service_column(on_day: OnDay) -> Ints:
    periods = on_day.holders.public_service
    if not len(periods):
        return on_day.zeros()
    starts, _ = periods.days("public_service_from")
    last_days, ongoing = periods.days("public_service_to")
    months = per_holder_sum(on_day.holders.n, periods.holder, _period_months(on_day, starts, last_days, ongoing))
    cap = on_day.value("public_service.cap")
    assert cap is None or isinstance(cap, int)  # noqa: S101
    per_year = on_day.int_value("public_service.points_per_year")
    after = on_day.int_value("public_service.counted_after_years")
    return np.where(periods.lengths > 0, _counted_after(months // 12, per_year, after, cap), 0)


def public_service_changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    return periods_changes(facts.public_service, after, until)


def hukou_spouse_scalar(ctx: Context) -> Outcome:
    name = ("与本市户籍人员结婚", "marriage to a Shanghai-hukou spouse")
    married = ctx.facts.hukou_spouse_married_on
    if married is None or married > ctx.as_of:
        return Outcome(0, NONE, {"name_zh": name[0], "name_en": name[1]})
    years = full_years_of([Period(married, None)], ctx.as_of)
    return _years_outcome(
        ctx, name, years, ctx.int_param("hukou_spouse.points_per_year"), 0, ctx.int_param("hukou_spouse.cap")
    )


def hukou_spouse_column(on_day: OnDay) -> Ints:
    holders = on_day.holders
    married = ~holders.married_null & (holders.married <= on_day.today)
    years = full_months(np.where(married, holders.married, on_day.today), on_day.everyone(on_day.today)) // 12
    per_year, cap = on_day.int_value("hukou_spouse.points_per_year"), on_day.int_value("hukou_spouse.cap")
    return np.where(married, _counted_after(years, per_year, 0, cap), 0)


def hukou_spouse_changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    married = facts.hukou_spouse_married_on
    return set() if married is None else periods_changes([Period(married, None)], after, until)


def remote_area_scalar(ctx: Context) -> Outcome:
    """Years are added up per area; each area has its own threshold, and the best area counts."""
    if not ctx.facts.remote_area:
        return Outcome(0, NONE, {"name_zh": "在远郊重点区域工作并居住", "name_en": "remote key area"})
    best: tuple[Outcome, Attempt] | None = None
    for area in dict.fromkeys(p.area for p in ctx.facts.remote_area):  # the best area counts (the first of equals)
        with ctx.trying as attempt:
            outcome = _area_outcome(ctx, area)
        if best is None or outcome.points > best[0].points:
            best = (outcome, attempt)
    assert best is not None  # noqa: S101
    ctx.keep(best[1])
    return best[0]


def _area_outcome(ctx: Context, area: str) -> Outcome:
    """The points of the years in one area, reading its entry of the table (none: not a remote key area then)."""
    after = ctx.param("remote_area.counted_after_years", area)
    if after is None:
        return Outcome(0, AREA_NOT_LISTED, {"area_zh": AREA_ZH[area], "area_en": AREA_EN[area], "as_of": ctx.as_of})
    assert isinstance(after, int)  # noqa: S101
    years = full_years_of([p.period for p in ctx.facts.remote_area if p.area == area], ctx.as_of)
    name = (f"在{AREA_ZH[area]}工作并居住", f"working and living in {AREA_EN[area]}")
    per_year = ctx.int_param("remote_area.points_per_year")
    return _years_outcome(ctx, name, years, per_year, after, ctx.int_param("remote_area.cap"))


def remote_area_column(on_day: OnDay) -> Ints:
    periods, holders = on_day.holders.remote_area, on_day.holders.n
    if not len(periods):
        return on_day.zeros()
    area = periods.codes("remote_area", REMOTE_AREAS)
    starts, _ = periods.days("remote_from")
    last_days, ongoing = periods.days("remote_to")
    months = np.zeros((holders, len(REMOTE_AREAS)), dtype=np.int64)  # per holder and area
    np.add.at(months, (periods.holder, area), _period_months(on_day, starts, last_days, ongoing))
    present = np.zeros((holders, len(REMOTE_AREAS)), dtype=bool)
    present[periods.holder, area] = True
    thresholds = on_day.table("remote_area.counted_after_years")
    listed = np.array([name in thresholds for name in REMOTE_AREAS])
    after = np.array([thresholds.get(name, 0) for name in REMOTE_AREAS], dtype=np.int64)
    per_year, cap = on_day.int_value("remote_area.points_per_year"), on_day.int_value("remote_area.cap")
    points = _counted_after(months // 12, per_year, after, cap)
    points = np.where(present, np.where(listed, points, 0), np.iinfo(np.int64).min)
    return np.where(present.any(axis=1), points.max(axis=1), 0)


def remote_area_changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    return periods_changes((claim.period for claim in facts.remote_area), after, until)


PUBLIC_SERVICE = Indicator("public_service", public_service_scalar, public_service_column, public_service_changes)
REMOTE_AREA = Indicator("remote_area", remote_area_scalar, remote_area_column, remote_area_changes)
HUKOU_SPOUSE = Indicator("hukou_spouse", hukou_spouse_scalar, hukou_spouse_column, hukou_spouse_changes)
