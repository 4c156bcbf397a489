"""表彰奖励 (awards): the highest award received by the scoring date counts."""

from __future__ import annotations

from datetime import date

import numpy as np

from jifen.facts.model import AWARD_LEVELS, Award, Facts
from jifen.policy.model import Policy
from jifen.rules.changes import within
from jifen.rules.columns import Ints, OnDay, per_holder_max, points_by_code
from jifen.rules.context import Attempt, Context
from jifen.rules.indicators.indicator import Indicator
from jifen.rules.outcome import Message, Outcome

LEVEL_ZH = {
    "municipal_special": "市级专项性表彰",
    "municipal_comprehensive": "市级综合性表彰",
    "national": "省部级及以上政府表彰",
}
LEVEL_EN = {
    "municipal_special": "municipal special award",
    "municipal_comprehensive": "municipal comprehensive award",
    "national": "provincial/ministerial or national award",
}

NONE = Message("截至{as_of}未获表彰奖励，不积分。", "No award received by {as_of}: no points.")
SCORED = Message(
    "{level_zh}（{on}）：积{points}分（多项取最高）。",
    "{level_en} ({on}): {points} points (the highest award counts).",
)


def scalar(ctx: Context) -> Outcome:
    received = [a for a in ctx.facts.awards if a.awarded_on <= ctx.as_of]
    if not received:
        return Outcome(0, NONE, {"as_of": ctx.as_of})
    best: tuple[int, Award, Attempt] | None = None
    for award in received:  # the highest counts (the first of equals)
        with ctx.trying as attempt:
            points = ctx.int_param("awards.points", award.level)
        if best is None or points > best[0]:
            best = (points, award, attempt)
    assert best is not None  # noqa: S101
    points, award, attempt = best
    ctx.keep(attempt)
    return Outcome(
        points,
        SCORED,
        {
            "level_zh": LEVEL_ZH[award.level],
            "level_en": LEVEL_EN[award.level],
            "on": award.awarded_on,
            "points": points,
        },
    )


def column(on_day: OnDay) -> Ints:
    received = on_day.holders.awards
    if not len(received):
        return on_day.zeros()
    points = points_by_code(on_day.table("awards.points"), AWARD_LEVELS)[received.codes("award_level", AWARD_LEVELS)]
    awarded_on, _ = received.days("award_on")
    best, found = per_holder_max(on_day.holders.n, received.holder, points, awarded_on <= on_day.today)
    return np.where(found, best, 0)


def changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    """The days awards are received."""
    return within((award.awarded_on for award in facts.awards), after, until)


AWARDS = Indicator("awards", scalar, column, changes)
