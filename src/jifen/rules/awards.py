"""表彰奖励 (awards): the highest award received by the scoring date counts."""

from __future__ import annotations

from jifen.rules.context import Context
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


def evaluate(ctx: Context) -> Outcome:
    received = [a for a in ctx.facts.awards if a.awarded_on <= ctx.as_of]
    if not received:
        return Outcome(0, NONE, {"as_of": ctx.as_of})
    table, resolved = ctx.table("awards.points")
    best = max(received, key=lambda a: table[a.level])
    points = table[best.level]
    ctx.record(resolved, best.level)
    return Outcome(
        points,
        SCORED,
        {
            "level_zh": LEVEL_ZH[best.level],
            "level_en": LEVEL_EN[best.level],
            "on": best.awarded_on,
            "points": points,
        },
    )
