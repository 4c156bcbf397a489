"""减分指标 (deductions): each event within its window before the scoring date counts (reading 9).

An event counts from its date until the day before its N-th anniversary: "N年内" is read as the N
years ending with the scoring date. Anniversaries follow :mod:`jifen.dates` (民法典 第二百零二条), so an
event on 29 February has its anniversary on 28 February of a common year.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from jifen.dates import add_months, full_years
from jifen.rules.context import Context
from jifen.rules.outcome import Message, OnDays, Outcome

NONE = Message(
    "最近{window}年内（{since}起）无{name_zh}记录，不扣分。",
    "{name_en}: none within the last {window} years (since {since}), no deduction.",
)
DEDUCTED = Message(
    "最近{window}年内（{since}起）有{count}次{name_zh}记录（{dates}），每次扣{per_event}分，共扣{deducted}分。",
    "{name_en}: {count} within the last {window} years (since {since}; {dates}), {per_event} deducted each: {points}.",
)


def deduction_rule(kind: str, name_zh: str, name_en: str) -> Callable[[Context], Outcome]:
    def evaluate(ctx: Context) -> Outcome:
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

    return evaluate


false_material = deduction_rule("false_material", "提供虚假材料", "False material")
administrative_detention = deduction_rule("administrative_detention", "行政拘留", "Administrative detention")
criminal_record = deduction_rule("criminal_record", "一般刑事犯罪", "Criminal record")
