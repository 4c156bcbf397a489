"""Bonus items that are either met or not: 紧缺急需专业, 应届毕业生, 创业人才, 创新创业中介服务人才."""

from __future__ import annotations

from collections.abc import Callable

from jifen.rules.context import Context
from jifen.rules.outcome import Message, Outcome

MET = Message("{name_zh}：积{points}分。", "{name_en}: {points} points.")
NOT_MET = Message("未申报{name_zh}，不积分。", "Not claimed ({name_en}): no points.")


# indicator -> (the facts flag it rewards, the parameter of its points); read by the vectorised rules too.
FLAGS: dict[str, tuple[str, str]] = {
    "shortage_major": ("shortage_major_matching_post", "shortage_major.points"),
    "fresh_graduate": ("fresh_graduate", "fresh_graduate.points"),
    "entrepreneur": ("entrepreneur_talent", "entrepreneur.points"),
    "innovation_intermediary": ("innovation_intermediary_talent", "innovation_intermediary.points"),
}


def flag_rule(indicator: str, name_zh: str, name_en: str) -> Callable[[Context], Outcome]:
    flag, parameter = FLAGS[indicator]

    def evaluate(ctx: Context) -> Outcome:
        args: dict[str, object] = {"name_zh": name_zh, "name_en": name_en}
        if not getattr(ctx.facts, flag):
            return Outcome(0, NOT_MET, args)
        points = ctx.int_param(parameter)
        return Outcome(points, MET, {**args, "points": points})

    return evaluate


shortage_major = flag_rule("shortage_major", "紧缺急需专业且专业与岗位相符", "shortage major matching the post")
fresh_graduate = flag_rule("fresh_graduate", "全日制应届高校毕业生", "full-time fresh graduate")
entrepreneur = flag_rule("entrepreneur", "符合条件的创业人才", "qualifying entrepreneur")
innovation_intermediary = flag_rule(
    "innovation_intermediary", "创新创业中介服务人才", "innovation and entrepreneurship intermediary talent"
)
