"""Bonus items earned per full year of a period: 特定公共服务领域, 配偶为本市户籍, 远郊重点区域."""

from __future__ import annotations

from jifen.facts.model import Period
from jifen.rules.context import Context
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


def public_service(ctx: Context) -> Outcome:
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


def hukou_spouse(ctx: Context) -> Outcome:
    name = ("与本市户籍人员结婚", "marriage to a Shanghai-hukou spouse")
    married = ctx.facts.hukou_spouse_married_on
    if married is None or married > ctx.as_of:
        return Outcome(0, NONE, {"name_zh": name[0], "name_en": name[1]})
    years = full_years_of([Period(married, None)], ctx.as_of)
    return _years_outcome(
        ctx, name, years, ctx.int_param("hukou_spouse.points_per_year"), 0, ctx.int_param("hukou_spouse.cap")
    )


def remote_area(ctx: Context) -> Outcome:
    """Years are added up per area; each area has its own threshold, and the best area counts."""
    if not ctx.facts.remote_area:
        return Outcome(0, NONE, {"name_zh": "在远郊重点区域工作并居住", "name_en": "remote key area"})
    thresholds, resolved = ctx.table("remote_area.counted_after_years")
    per_year = ctx.peek("remote_area.points_per_year")
    cap = ctx.peek("remote_area.cap")
    assert isinstance(per_year, int) and isinstance(cap, int)  # noqa: S101
    best: tuple[int, str, Outcome] | None = None
    for area in dict.fromkeys(p.area for p in ctx.facts.remote_area):
        if area not in thresholds:
            outcome = Outcome(
                0,
                AREA_NOT_LISTED,
                {"area_zh": AREA_ZH[area], "area_en": AREA_EN[area], "as_of": ctx.as_of},
            )
        else:
            years = full_years_of([p.period for p in ctx.facts.remote_area if p.area == area], ctx.as_of)
            name = (f"在{AREA_ZH[area]}工作并居住", f"working and living in {AREA_EN[area]}")
            outcome = _years_outcome(ctx, name, years, per_year, thresholds[area], cap)
        if best is None or outcome.points > best[0]:
            best = (outcome.points, area, outcome)
    assert best is not None  # noqa: S101
    _, area, outcome = best
    if area in thresholds:
        ctx.record(resolved, area)
        ctx.param("remote_area.points_per_year")
        ctx.param("remote_area.cap")
    return outcome
