"""缴纳职工社会保险费基数 (insurance base tiers), contract reading 4.

0.8x / 1x / 2x need 36 months at or above the multiple within the last 48; 3x needs 24 within the last
36 (windows end with the month before the scoring date). Each month is measured against the reference
wage in force on its first day. The highest tier reached counts.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from jifen.rules.columns import Ints, OnDay
from jifen.rules.context import Context
from jifen.rules.indicators.indicator import Indicator, no_changes
from jifen.rules.outcome import InMonth, Message, Outcome
from jifen.rules.tiers import tiers_in_force

REACHED = Message(
    "最近{window}个月（{start}至{end}）内有{months}个月基数不低于参考工资的{multiple}倍（需{needed}个月），积{points}分。",
    "{months} of the {window} months {start} to {end} at or above {multiple}x the reference wage "
    "({needed} needed): {points} points.",
)
NONE = Message(
    "最近{window}个月（{start}至{end}）内仅{months}个月基数不低于参考工资的{multiple}倍，不足{needed}个月，不积分。",
    "Only {months} of the {window} months {start} to {end} at or above {multiple}x the reference wage "
    "({needed} needed): no points.",
)


def _multiple_text(multiple: Fraction) -> str:
    return str(multiple.numerator) if multiple.denominator == 1 else str(float(multiple))


def scalar(ctx: Context) -> Outcome:
    tiers = ctx.tiers("si_base.tiers")
    lowest = tiers[-1]
    for tier in tiers:  # tried in turn, highest first: the first reached (or the lowest) counts
        window, needed = tier.window_months, tier.months
        with ctx.trying as attempt:
            months = ctx.contributions.count_meeting(window, tier.multiple, tier.comparison)
        if months >= needed or tier is lowest:
            ctx.keep(attempt)
            args = {
                "window": window,
                "months": months,
                "needed": needed,
                "multiple": _multiple_text(tier.multiple),
                "start": InMonth(ctx.last_month - window + 1),
                "end": InMonth(ctx.last_month),
                "points": tier.points,
            }
            return Outcome(tier.points, REACHED, args) if months >= needed else Outcome(0, NONE, args)
    raise AssertionError("unreachable: the lowest tier always returns")  # pragma: no cover


def column(on_day: OnDay) -> Ints:
    points = on_day.zeros()
    reached = np.zeros(on_day.holders.n, dtype=bool)
    for tier in tiers_in_force(on_day.values["si_base.tiers"]):
        months = on_day.contributions.count_meeting(tier.window_months, tier.multiple, tier.comparison)
        newly = ~reached & (months >= tier.months)
        points[newly] = tier.points
        reached |= newly
    return points


# Only the contribution months change it: the first days of months are the advisor's.
SI_BASE = Indicator("si_base", scalar, column, no_changes)
