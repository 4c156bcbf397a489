"""教育背景 (education): the highest level obtained by the scoring date; master and doctor need the degree."""

from __future__ import annotations

from datetime import date

import numpy as np

from jifen.facts.model import EDUCATION_LEVELS, Education, Facts
from jifen.policy.model import Policy
from jifen.rules.changes import within
from jifen.rules.columns import Ints, OnDay, per_holder_max, points_by_code
from jifen.rules.context import Attempt, Context
from jifen.rules.indicators.indicator import Indicator
from jifen.rules.outcome import Message, Outcome

LEVEL_ZH = {
    "junior_college": "大专（高职）",
    "bachelor": "大学本科",
    "master": "硕士研究生",
    "doctor": "博士研究生",
}
LEVEL_EN = {
    "junior_college": "junior college",
    "bachelor": "bachelor",
    "master": "master",
    "doctor": "doctor",
}

NONE = Message("未填写截至{as_of}已取得的学历。", "No education completed by {as_of}.")
SCORED = Message(
    "{level_zh}{degree_zh}（{on}毕业）：积{points}分。",
    "{level_en}{degree_en} (graduated {on}): {points} points.",
)
NO_DEGREE = Message(
    "{level_zh}未取得学位，按规定须学历学位齐全，积0分。",
    "{level_en} without the degree: this level needs both, 0 points.",
)


def scalar(ctx: Context) -> Outcome:
    best: tuple[int, str, bool, Education, Attempt] | None = None  # (points, table key, in the table, entry, read)
    for entry in ctx.facts.education:
        if entry.graduated_on > ctx.as_of:
            continue
        keys = (f"{entry.level}_with_degree", entry.level) if entry.degree else (entry.level,)
        with ctx.trying as attempt:
            key, found = ctx.first_entry("education.points", *keys)
        points = found or 0
        if best is None or points > best[0]:
            best = (points, key, found is not None, entry, attempt)
    if best is None:
        return Outcome(0, NONE, {"as_of": ctx.as_of})
    points, key, listed, entry, attempt = best
    ctx.keep(attempt)
    level = key.removesuffix("_with_degree")
    args = {
        "level_zh": LEVEL_ZH[level],
        "level_en": LEVEL_EN[level],
        "points": points,
        "on": entry.graduated_on,
        "degree_zh": "（含学位）" if key.endswith("_with_degree") else "",
        "degree_en": " with degree" if key.endswith("_with_degree") else "",
    }
    if not listed:
        return Outcome(0, NO_DEGREE, args)
    return Outcome(points, SCORED, args)


def column(on_day: OnDay) -> Ints:
    entries, table = on_day.holders.education, on_day.table("education.points")
    level = entries.codes("education_level", EDUCATION_LEVELS)
    plain = points_by_code(table, EDUCATION_LEVELS, missing=0)
    with_degree_keys = tuple(f"{name}_with_degree" for name in EDUCATION_LEVELS)
    has_degree_entry = np.array([key in table for key in with_degree_keys])
    with_degree = points_by_code(table, with_degree_keys, missing=0)
    degree = entries.flags("education_degree", default=False) & has_degree_entry[level]
    points = np.where(degree, with_degree[level], plain[level])
    graduated, _ = entries.days("education_graduated_on")
    best, found = per_holder_max(on_day.holders.n, entries.holder, points, graduated <= on_day.today)
    return np.where(found, best, 0)


def changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    """Graduation days."""
    return within((entry.graduated_on for entry in facts.education), after, until)


EDUCATION = Indicator("education", scalar, column, changes)
