"""Bonus items that are either met or not: 紧缺急需专业, 应届毕业生, 创业人才, 创新创业中介服务人才.

Each rewards one yes/no fact with the points of one parameter; no date changes it.
"""

from __future__ import annotations

import numpy as np

from jifen.rules.columns import Ints, OnDay
from jifen.rules.context import Context
from jifen.rules.indicators.indicator import Indicator, no_changes
from jifen.rules.outcome import Message, Outcome

MET = Message("{name_zh}：积{points}分。", "{name_en}: {points} points.")
NOT_MET = Message("未申报{name_zh}，不积分。", "Not claimed ({name_en}): no points.")


def flag_bonus(indicator: str, flag: str, name_zh: str, name_en: str) -> Indicator:
    """The indicator rewarding the facts' ``flag`` (also a column of the batch layout) with the points
    of ``<indicator>.points``; ``name_zh``/``name_en`` say what is claimed."""
    parameter = f"{indicator}.points"

    def scalar(ctx: Context) -> Outcome:
        args: dict[str, object] = {"name_zh": name_zh, "name_en": name_en}
        if not getattr(ctx.facts, flag):
            return Outcome(0, NOT_MET, args)
        points = ctx.int_param(parameter)
        return Outcome(points, MET, {**args, "points": points})

    def column(on_day: OnDay) -> Ints:
        return np.where(on_day.holders.flags[flag], on_day.int_value(parameter), 0)

    return Indicator(indicator, scalar, column, no_changes)


SHORTAGE_MAJOR = flag_bonus(
    "shortage_major", "shortage_major_matching_post", "紧缺急需专业且专业与岗位相符", "shortage major matching the post"
)
FRESH_GRADUATE = flag_bonus("fresh_graduate", "fresh_graduate", "全日制应届高校毕业生", "full-time fresh graduate")
ENTREPRENEUR = flag_bonus("entrepreneur", "entrepreneur_talent", "符合条件的创业人才", "qualifying entrepreneur")
INNOVATION_INTERMEDIARY = flag_bonus(
    "innovation_intermediary",
    "innovation_intermediary_talent",
    "创新创业中介服务人才",
    "innovation and entrepreneurship intermediary talent",
)
