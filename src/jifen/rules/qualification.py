"""专业技术职称和技能等级 (title or skill level).

Counts only when obtained in Shanghai and matching the post (reading 5); intermediate/senior titles and
skill levels 2 and 1 also need at least 6 months at or above 1x the reference wage within the last 12.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from jifen.facts.model import Qualification
from jifen.rules.context import Context
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


@dataclass(frozen=True, slots=True)
class _Candidate:
    qualification: Qualification
    outcome: Outcome
    condition_applies: bool


def _names(q: Qualification) -> tuple[str, str]:
    if q.kind == "title":
        return TITLE_ZH[str(q.level)], TITLE_EN[str(q.level)]
    return f"技能等级{q.level}级", f"skill level {q.level}"


def _base_condition(ctx: Context) -> tuple[int, int, int, Fraction]:
    """(months meeting, months needed, window, multiple) of the 1x base condition, not recorded."""
    window = ctx.peek("qualification.base_condition_window_months")
    needed = ctx.peek("qualification.base_condition_months")
    multiple = ctx.peek("qualification.base_condition_multiple")
    assert isinstance(window, int) and isinstance(needed, int) and isinstance(multiple, Fraction)  # noqa: S101
    return ctx.contributions.count_meeting(window, multiple), needed, window, multiple


def _candidate(ctx: Context, q: Qualification, condition: tuple[int, int, int, Fraction] | None) -> _Candidate:
    name_zh, name_en = _names(q)
    table = ctx.peek(_TABLES[q.kind])
    levels = ctx.peek(_CONDITION_LEVELS[q.kind])
    assert isinstance(table, dict) and isinstance(levels, tuple)  # noqa: S101
    nominal = table[str(q.level)]
    args: dict[str, object] = {
        "name_zh": name_zh,
        "name_en": name_en,
        "on": q.obtained_on,
        "points": nominal,
    }
    if not (q.obtained_in_shanghai and q.matches_post):
        return _Candidate(q, Outcome(0, NOT_SHANGHAI, args), condition_applies=False)
    if q.level not in levels or condition is None:
        return _Candidate(q, Outcome(nominal, SCORED, args), condition_applies=False)
    months, needed, window, multiple = condition
    args.update(window=window, needed=needed, months=months, multiple=str(multiple))
    met = months >= needed
    return _Candidate(
        q,
        Outcome(nominal if met else 0, SCORED_WITH_BASE if met else BASE_NOT_MET, args),
        condition_applies=True,
    )


def evaluate(ctx: Context) -> Outcome:
    held = [q for q in ctx.facts.qualifications if q.obtained_on <= ctx.as_of]
    if not held:
        return Outcome(0, NONE, {"as_of": ctx.as_of})
    needs_condition = any(q.level in ctx.peek(_CONDITION_LEVELS[q.kind]) for q in held)  # type: ignore[operator]
    condition = _base_condition(ctx) if needs_condition else None
    best: _Candidate | None = None
    for q in held:
        candidate = _candidate(ctx, q, condition)
        if best is None or candidate.outcome.points > best.outcome.points:
            best = candidate
    assert best is not None  # noqa: S101
    q = best.qualification
    ctx.param(_TABLES[q.kind], str(q.level))
    if best.condition_applies:
        ctx.param(_CONDITION_LEVELS[q.kind])
        ctx.param("qualification.base_condition_months")
        window = ctx.int_param("qualification.base_condition_window_months")
        ctx.param("qualification.base_condition_multiple")
        if ctx.recording:
            for resolved in ctx.contributions.references_in_window(window):
                ctx.record(resolved)
    return best.outcome
