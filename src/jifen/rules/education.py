"""教育背景 (education): the highest level obtained by the scoring date; master and doctor need the degree."""

from __future__ import annotations

from jifen.facts.model import Education
from jifen.rules.context import Context
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


def evaluate(ctx: Context) -> Outcome:
    table, resolved = ctx.table("education.points")
    best: tuple[int, str, Education] | None = None  # (points, table key, entry)
    for entry in ctx.facts.education:
        if entry.graduated_on > ctx.as_of:
            continue
        with_degree = f"{entry.level}_with_degree"
        key = with_degree if entry.degree and with_degree in table else entry.level
        points = table.get(key, 0)
        if best is None or points > best[0]:
            best = (points, key, entry)
    if best is None:
        return Outcome(0, NONE, {"as_of": ctx.as_of})
    points, key, entry = best
    ctx.record(resolved, key)
    level = key.removesuffix("_with_degree")
    args = {
        "level_zh": LEVEL_ZH[level],
        "level_en": LEVEL_EN[level],
        "points": points,
        "on": entry.graduated_on,
        "degree_zh": "（含学位）" if key.endswith("_with_degree") else "",
        "degree_en": " with degree" if key.endswith("_with_degree") else "",
    }
    if key not in table:
        return Outcome(0, NO_DEGREE, args)
    return Outcome(points, SCORED, args)
