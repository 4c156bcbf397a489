"""投资纳税或带动本地就业 (choose one): 10 points per 100,000 yuan of average annual tax, or per 10
average Shanghai-hukou employees, over the last 3 years, on the personal share; capped."""

from __future__ import annotations

import numpy as np

from jifen.rules.columns import Ints, OnDay
from jifen.rules.context import Context
from jifen.rules.indicators.indicator import Indicator, no_changes
from jifen.rules.outcome import Message, Outcome

NONE = Message("未申报投资纳税或带动就业，不积分。", "No investment claimed: no points.")
SCORED = Message(
    "年均纳税{tax}元（每{tax_step}元积{per_step}分）与年均带动本市户籍就业{employees}人（每{emp_step}人积{per_step}分）取高，"
    "积{points}分（最高{cap}分）。",
    "Average annual tax {tax} yuan ({per_step} per {tax_step}) or {employees} Shanghai-hukou employees "
    "({per_step} per {emp_step}), the higher: {points} points (cap {cap}).",
)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def scalar(ctx: Context) -> Outcome:
    inv = ctx.facts.investment
    if inv is None or (inv.avg_annual_tax_yuan == 0 and inv.avg_annual_hukou_employees == 0):
        return Outcome(0, NONE)
    tax_step = ctx.int_param("investment.tax_step_yuan")
    emp_step = ctx.int_param("investment.employees_step")
    per_step = ctx.int_param("investment.points_per_step")
    cap = ctx.int_param("investment.cap")
    steps = max(int(inv.avg_annual_tax_yuan // tax_step), int(inv.avg_annual_hukou_employees // emp_step))
    points = min(steps * per_step, cap)
    return Outcome(
        points,
        SCORED,
        {
            "tax": _number(inv.avg_annual_tax_yuan),
            "tax_step": tax_step,
            "employees": _number(inv.avg_annual_hukou_employees),
            "emp_step": emp_step,
            "per_step": per_step,
            "points": points,
            "cap": cap,
        },
    )


def column(on_day: OnDay) -> Ints:
    holders = on_day.holders
    claimed = ~(holders.tax_null & holders.employees_null) & ((holders.tax != 0) | (holders.employees != 0))
    tax_step, emp_step = on_day.int_value("investment.tax_step_yuan"), on_day.int_value("investment.employees_step")
    per_step, cap = on_day.int_value("investment.points_per_step"), on_day.int_value("investment.cap")
    steps = np.maximum(np.floor_divide(holders.tax, tax_step), np.floor_divide(holders.employees, emp_step))
    return np.where(claimed, np.minimum(steps * per_step, cap), 0).astype(np.int64)


# The averages are claimed as they stand on the scoring date: no dated fact changes them.
INVESTMENT = Indicator("investment", scalar, column, no_changes)
