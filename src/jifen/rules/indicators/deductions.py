"""减分指标 (deductions): each event within its window before the scoring date counts (reading 9).

An event counts from its date until the day before its N-th anniversary: "N年内" is read as the N
years ending with the scoring date. Anniversaries follow :mod:`jifen.dates` (民法典 第二百零二条), so an
event on 29 February has its anniversary on 28 February of a common year.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from jifen.dates import add_months, add_months_capped, full_years
from jifen.facts.model import PENALTY_KINDS, Facts
from jifen.policy.model import Policy
from jifen.rules.changes import within
from jifen.rules.columns import Ints, OnDay, full_months
from jifen.rules.context import Context
from jifen.rules.indicators.indicator import Changes, Column, Indicator, Scalar
from jifen.rules.outcome import Message, OnDays, Outcome

NONE = Message(
    "最近{window}年内（{since}起）无{name_zh}记录，不扣分。",
    "{name_en}: none within the last {window} years (since {since}), no deduction.",
)
DEDUCTED = Message(
    "最近{window}年内（{since}起）有{count}次{name_zh}记录（{dates}），每次扣{per_event}分，共扣{deducted}分。",
    "{name_en}: {count} within the last {window} years (since {since}; {dates}), {per_event} deducted each: {points}.",
)


def _scalar(kind: str, name_zh: str, name_en: str) -> Scalar:
    def scalar(ctx: Context) -> Outcome:
        window = ctx.int_param(f"{kind}.window_years")
        outside = add_months(ctx.as_of, -12 * window)  # an event on this day is already outside
        events = sorted(
            p.on
            for p in ctx.facts.penalties
            if p.kind == kind and p.on <= ctx.as_of and full_years(p.on, ctx.as_of) < window
        )
        args: dict[str, object] = {
            "window": window,
            "since": outside + timedelta(days=1),  # the first day inside the window
            "name_zh": name_zh,
            "name_en": name_en,
        }
        if not events:
            return Outcome(0, NONE, args)
        per_event = ctx.int_param(f"{kind}.points_per_event")
        points = per_event * len(events)
        return Outcome(
            points,
            DEDUCTED,
            {
                **args,
                "count": len(events),
                "per_event": abs(per_event),
                "points": points,
                "deducted": abs(points),
                "dates": OnDays(tuple(events)),
            },
        )

    return scalar


def _column(kind: str) -> Column:
    code = PENALTY_KINDS.index(kind)

    def column(on_day: OnDay) -> Ints:
        penalties = on_day.holders.penalties
        if not len(penalties):
            return on_day.zeros()
        window = on_day.int_value(f"{kind}.window_years")
        on, _ = penalties.days("penalty_on")
        years = full_months(on, np.full(len(on), on_day.today)) // 12
        within_window = (penalties.codes("penalty_kind", PENALTY_KINDS) == code) & (on <= on_day.today)
        within_window &= years < window
        count = np.bincount(penalties.holder[within_window], minlength=on_day.holders.n).astype(np.int64)
        return count * on_day.int_value(f"{kind}.points_per_event")

    return column


def _changes(kind: str) -> Changes:
    def changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
        """The day of each event of this kind, and the days it would leave a window.

        Every window the policy data holds is used, not only this kind's: these are the days the advisor has
        always scored on, and its advice names the first day it scored past a date (a scheme's validity),
        so fewer days would change the advice. A day on which nothing changes costs only a score."""
        days: list[date] = []
        for penalty in facts.penalties:
            if penalty.kind == kind:
                days.append(penalty.on)
                days.extend(add_months_capped(penalty.on, 12 * years) for years in _windows(policy))
        return within(days, after, until)

    return changes


@lru_cache(maxsize=16)
def _windows(policy: Policy) -> frozenset[int]:
    """Every window in years (``<kind>.window_years``) the policy data holds, at any date and under any reading."""
    values = [
        value
        for name, parameter in policy.parameters.items()
        if name.endswith(".window_years")
        for entry in parameter.values
        for value in (entry.value, *(v for choices in entry.variants.values() for v in choices.values()))
    ]
    return frozenset(value for value in values if isinstance(value, int))


def deduction(kind: str, name_zh: str, name_en: str) -> Indicator:
    """The indicator deducting ``<kind>.points_per_event`` for each event of ``kind`` within its window."""
    return Indicator(kind, _scalar(kind, name_zh, name_en), _column(kind), _changes(kind))


FALSE_MATERIAL = deduction("false_material", "提供虚假材料", "False material")
ADMINISTRATIVE_DETENTION = deduction("administrative_detention", "行政拘留", "Administrative detention")
CRIMINAL_RECORD = deduction("criminal_record", "一般刑事犯罪", "Criminal record")
