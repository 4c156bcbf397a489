"""在本市工作及缴纳职工社会保险年限: 3 points per full 12 counted months, cumulative, no cap (reading 3)."""

from __future__ import annotations

from jifen.rules.columns import Ints, OnDay
from jifen.rules.context import Context
from jifen.rules.indicators.indicator import Indicator, no_changes
from jifen.rules.outcome import InMonth, Message, Outcome

YEARS = Message(
    "截至{last_month}累计计入{months}个月社保（不含补缴及缴费单位与合同单位不一致的月份），满{years}年，每年{per_year}分，积{points}分。",
    "{months} counted insurance months up to {last_month} (back-paid months and months paid by another "
    "employer excluded): {years} full years at {per_year}: {points} points.",
)


def scalar(ctx: Context) -> Outcome:
    months = ctx.contributions.total_months()
    per_year = ctx.int_param("si_years.points_per_year")
    years = months // 12
    return Outcome(
        years * per_year,
        YEARS,
        {
            "months": months,
            "years": years,
            "per_year": per_year,
            "points": years * per_year,
            "last_month": InMonth(ctx.last_month),
        },
    )


def column(on_day: OnDay) -> Ints:
    return (on_day.contributions.total // 12) * on_day.int_value("si_years.points_per_year")


# Only the contribution months change it: the first days of months are the advisor's.
SI_YEARS = Indicator("si_years", scalar, column, no_changes)
