"""专业技术职称和技能等级 (title or skill level).

Counts only when obtained in Shanghai and matching the post (reading 5); intermediate/senior titles and
skill levels 2 and 1 also need at least 6 months at or above 1x the reference wage within the last 12.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np

from jifen.facts.model import QUALIFICATION_KINDS, SKILL_LEVELS, TITLE_LEVELS, Facts, Qualification
from jifen.policy.model import Policy
from jifen.rules.changes import within
from jifen.rules.columns import Ints, OnDay, per_holder_max, points_by_code
from jifen.rules.context import Attempt, Context
from jifen.rules.indicators.indicator import Indicator
from jifen.rules.outcome import Message, Outcome

TITLE_ZH = {"junior": "初级职称", "intermediate": "中级职称", "senior": "高级职称"}
TITLE_EN = {"junior": "junior title", "intermediate": "intermediate title", "senior": "senior title"}

NONE = Message("未填写截至{as_of}已取得的职称或技能等级。", "No title or skill level obtained by {as_of}.")
SCORED = Message("{name_zh}（{on}取得）：积{points}分。", "{name_en} (obtained {on}): {points} points.")
SCORED_WITH_BASE = Message(
    "{name_zh}（{on}取得）：最近{window}个月内有{months}个月基数不低于参考工资的{multiple}倍"
    "（需{needed}个月），积{points}分。",
    "{name_en} (obtained {on}): {months} of the last {window} months at or above {multiple}x the reference "
    "wage ({needed} needed): {points} points.",
)
BASE_NOT_MET = Message(
    "{name_zh}（{on}取得）：最近{window}个月内仅{months}个月基数不低于参考工资的{multiple}倍，"
    "不足{needed}个月，积0分。",
    "{name_en} (obtained {on}): only {months} of the last {window} months at or above {multiple}x the "
    "reference wage, {needed} needed: 0 points.",
)
NOT_SHANGHAI = Message(
    "{name_zh}（{on}取得）：须在本市工作期间取得且与所聘岗位相符，积0分。",
    "{name_en} (obtained {on}): counts only if obtained while working in Shanghai and matching the post: 0 points.",
)

_TABLES = {"title": "qualification.title_points", "skill": "qualification.skill_points"}
_CONDITION_LEVELS = {
    "title": "qualification.base_condition_titles",
    "skill": "qualification.base_condition_skills",
}
SKILL_TEXTS = tuple(str(level) for level in SKILL_LEVELS)  # a skill level as the batch layout writes it


def _names(q: Qualification) -> tuple[str, str]:
    if q.kind == "title":
        return TITLE_ZH[str(q.level)], TITLE_EN[str(q.level)]
    return f"技能等级{q.level}级", f"skill level {q.level}"


def _outcome(ctx: Context, q: Qualification) -> Outcome:
    """One qualification's points, reading what it needs (its table entry; the 1x base condition if it applies)."""
    name_zh, name_en = _names(q)
    nominal = ctx.int_param(_TABLES[q.kind], str(q.level))
    args: dict[str, object] = {"name_zh": name_zh, "name_en": name_en, "on": q.obtained_on, "points": nominal}
    if not (q.obtained_in_shanghai and q.matches_post):
        return Outcome(0, NOT_SHANGHAI, args)
    levels = ctx.param(_CONDITION_LEVELS[q.kind])
    assert isinstance(levels, tuple)  # noqa: S101
    if q.level not in levels:
        return Outcome(nominal, SCORED, args)
    needed = ctx.int_param("qualification.base_condition_months")
    window = ctx.int_param("qualification.base_condition_window_months")
    multiple = ctx.param("qualification.base_condition_multiple")
    assert isinstance(multiple, Fraction)  # noqa: S101
    months = ctx.contributions.count_meeting(window, multiple)
    args.update(window=window, needed=needed, months=months, multiple=str(multiple))
    if months >= needed:
        return Outcome(nominal, SCORED_WITH_BASE, args)
    return Outcome(0, BASE_NOT_MET, args)


def scalar(ctx: Context) -> Outcome:
    held = [q for q in ctx.facts.qualifications if q.obtained_on <= ctx.as_of]
    if not held:
        return Outcome(0, NONE, {"as_of": ctx.as_of})
    best: tuple[Outcome, Attempt] | None = None
    for q in held:  # the best counts (the first of equals)
        with ctx.trying as attempt:
            outcome = _outcome(ctx, q)
        if best is None or outcome.points > best[0].points:
            best = (outcome, attempt)
    assert best is not None  # noqa: S101
    ctx.keep(best[1])
    return best[0]


def column(on_day: OnDay) -> Ints:
    entries = on_day.holders.qualifications
    is_title = entries.codes("qualification_kind", QUALIFICATION_KINDS) == 0
    title = entries.codes("qualification_level", TITLE_LEVELS)
    skill = entries.codes("qualification_level", SKILL_TEXTS)
    title_points = points_by_code(on_day.table(_TABLES["title"]), TITLE_LEVELS)
    skill_points = points_by_code(on_day.table(_TABLES["skill"]), SKILL_TEXTS)
    nominal = np.where(is_title, title_points[title], skill_points[skill])
    titles, skills = on_day.value(_CONDITION_LEVELS["title"]), on_day.value(_CONDITION_LEVELS["skill"])
    assert isinstance(titles, tuple) and isinstance(skills, tuple)  # noqa: S101
    title_needs = np.array([level in titles for level in TITLE_LEVELS])
    skill_needs = np.array([int(level) in skills for level in SKILL_TEXTS])
    needs_condition = np.where(is_title, title_needs[title], skill_needs[skill])
    window = on_day.int_value("qualification.base_condition_window_months")
    needed = on_day.int_value("qualification.base_condition_months")
    multiple = on_day.value("qualification.base_condition_multiple")
    assert isinstance(multiple, Fraction)  # noqa: S101
    condition_met = on_day.contributions.count_meeting(window, multiple) >= needed
    counts = entries.flags("qualification_in_shanghai", default=False)
    counts &= entries.flags("qualification_matches_post", default=False)
    points = np.where(counts & (~needs_condition | condition_met[entries.holder]), nominal, 0)
    obtained, _ = entries.days("qualification_obtained_on")
    best, found = per_holder_max(on_day.holders.n, entries.holder, points, obtained <= on_day.today)
    return np.where(found, best, 0)


def changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    """The days titles and skill levels are obtained (the 1x base condition reads the contribution months)."""
    return within((q.obtained_on for q in facts.qualifications), after, until)


QUALIFICATION = Indicator("qualification", scalar, column, changes)
