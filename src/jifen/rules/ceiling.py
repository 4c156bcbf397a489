"""The warning a score carries when a month's base was above its insurance year's ceiling.

:class:`jifen.rules.contributions.Contributions` scores such a base as the ceiling
(``social_insurance.wage`` ``base_upper`` in force on the month's first day); this says so in words,
one warning per run of consecutive capped months.
"""

from __future__ import annotations

from datetime import date

from jifen.dates import Month, first_day
from jifen.policy.model import Policy, Resolved
from jifen.policy.wording import day_words, month_words
from jifen.rules.context import Context
from jifen.rules.contributions import INSURANCE_WAGE, Capped


def ceiling_warnings(ctx: Context) -> list[dict[str, str]]:
    runs: list[list[Capped]] = []
    for capped in ctx.contributions.capped:
        if runs and runs[-1][-1].month + 1 == capped.month:
            runs[-1].append(capped)
        else:
            runs.append([capped])
    return [_warning(ctx.policy, run) for run in runs]


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}" if fen % 100 == 0 else f"{fen / 100:,.2f}"


def _warning(policy: Policy, run: list[Capped]) -> dict[str, str]:
    first, last = month_words(run[0].month), month_words(run[-1].month)
    months_zh = first["zh"] if first == last else f"{first['zh']}至{last['zh']}"
    months_en = first["en"] if first == last else f"{first['en']} to {last['en']}"
    base = _yuan(max(c.base_fen for c in run))
    low, high = _yuan(min(c.ceiling_fen for c in run)), _yuan(max(c.ceiling_fen for c in run))
    if low == high:
        ceiling_zh, ceiling_en = (
            f"该社保年度的缴费基数上限{low}元/月",
            f"that insurance year's ceiling of {low} yuan a month",
        )
    else:
        ceiling_zh = f"各社保年度的缴费基数上限（{low}至{high}元/月）"
        ceiling_en = f"the ceilings of those insurance years ({low} to {high} yuan a month)"
    zh = f"{months_zh}的社保缴费基数（最高{base}元/月）高于{ceiling_zh}，实际缴费不会超过上限，按上限计分。"
    en = (
        f"The insurance base of {months_en} (up to {base} yuan a month) is above {ceiling_en}; "
        "no contribution is paid above the ceiling, so it is scored as the ceiling."
    )
    ceiling = run[-1].ceiling
    missing = _not_published(policy, ceiling, run[-1].month)
    if missing is not None:
        since = ceiling.entry.effective_from
        gap, used = day_words(missing), day_words(since)
        zh += f"{gap['zh']}起的缴费基数上限尚未公布，暂按{used['zh']}起的上限计算。"
        en += f" The ceiling from {gap['en']} is not yet published; the one from {used['en']} is used."
    return {"zh": zh, "en": en}


def _not_published(policy: Policy, ceiling: Resolved, month: Month) -> date | None:
    """The day a newer yearly ceiling was due on or before ``month``'s first day, when the data lacks it."""
    yearly = policy.parameters[INSURANCE_WAGE].yearly
    due = yearly.due_on_or_before(first_day(month)) if yearly is not None else None
    return due if due is not None and due > ceiling.entry.effective_from else None
