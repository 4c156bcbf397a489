"""Bonus items that are either met or not: 紧缺急需专业, 应届毕业生, 创业人才, 创新创业中介服务人才."""

from __future__ import annotations

from collections.abc import Callable

from jifen.facts.model import Facts
from jifen.rules.context import Context
from jifen.rules.outcome import Message, Outcome

MET = Message("{name_zh}：积{points}分。", "{name_en}: {points} points.")
NOT_MET = Message("未申报{name_zh}，不积分。", "Not claimed ({name_en}): no points.")


def flag_rule(
    flag: Callable[[Facts], bool], parameter: str, name_zh: str, name_en: str
) -> Callable[[Context], Outcome]:
    def evaluate(ctx: Context) -> Outcome:
        args: dict[str, object] = {"name_zh": name_zh, "name_en": name_en}
        if not flag(ctx.facts):
            return Outcome(0, NOT_MET, args)
        points = ctx.int_param(parameter)
        return Outcome(points, MET, {**args, "points": points})

    return evaluate


shortage_major = flag_rule(
    lambda f: f.shortage_major_matching_post,
    "shortage_major.points",
    "紧缺急需专业且专业与岗位相符",
    "shortage major matching the post",
)
fresh_graduate = flag_rule(
    lambda f: f.fresh_graduate, "fresh_graduate.points", "全日制应届高校毕业生", "full-time fresh graduate"
)
entrepreneur = flag_rule(
    lambda f: f.entrepreneur_talent, "entrepreneur.points", "符合条件的创业人才", "qualifying entrepreneur"
)
innovation_intermediary = flag_rule(
    lambda f: f.innovation_intermediary_talent,
    "innovation_intermediary.points",
    "创新创业中介服务人才",
    "innovation and entrepreneurship intermediary talent",
)
