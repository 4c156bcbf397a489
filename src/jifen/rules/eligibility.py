"""申请资格 (eligibility): the minimum age, insurance in the filing month, 6 counted insurance months in
the last 12, a valid permit, no veto.

The filing month is the scoring date's month. It counts as contributing when a counted run (not 补缴,
paid by the contract employer) covers it, or covers one of the ``eligibility.record_lag_months`` months
before it: a month is recorded after it is paid, so facts taken from the record on a filing day usually
end with an earlier month. The 6-of-12 test reads the 12 months before the filing month (contract 3.2).

The points are computed and shown either way; ``eligible`` says whether they can be applied for, and
each check's explanation says which condition failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from jifen.dates import add_months, full_years, month_of
from jifen.policy.wording import month_words
from jifen.rules.context import Basis, Context
from jifen.rules.outcome import InMonth, Message, Outcome

ADULT = Message(
    "{age}周岁，已满{least}周岁，符合申请的年龄条件。",
    "Age {age}: at least {least}, old enough to apply.",
)
MINOR = Message(
    "{age}周岁，未满{least}周岁，不能申请积分（{birthday}满{least}周岁）。",
    "Age {age}: under {least}, too young to apply (turns {least} on {birthday}).",
)
FILING_MONTH_PAID = Message(
    "申请当月（{month}）在缴纳本市职工社会保险，满足申请当月缴费的条件。",
    "Paying Shanghai employee insurance in the filing month ({month}): met.",
)
FILING_MONTH_LAG = Message(
    "最近计入的社保缴费月份为{latest}，在申请当月（{month}）前{lag}个月的记录滞后范围内，按申请当月仍在缴费计（估计）。",
    "The latest counted insurance month is {latest}, within the record lag of {lag_en} before the filing month "
    "({month}): taken as still paying in the filing month (an estimate).",
)
FILING_MONTH_UNPAID = Message(
    "申请当月（{month}）及此前{lag}个月均无计入的本市职工社会保险缴费（{latest_zh}），"
    "不符合申请当月应处于就业及缴纳本市职工社会保险状态的条件。",
    "No counted Shanghai employee insurance in the filing month ({month}) or the {lag_en} before it "
    "({latest_en}): the holder must be employed and paying it in the filing month; not eligible.",
)
INSURANCE_MET = Message(
    "最近{window}个月（{start}至{end}）计入社保{months}个月，满足至少{needed}个月的申请条件。",
    "{months} counted insurance months in the last {window} ({start} to {end}): at least {needed} needed, met.",
)
INSURANCE_NOT_MET = Message(
    "最近{window}个月（{start}至{end}）仅计入社保{months}个月，不足{needed}个月，暂不符合申请条件。",
    "Only {months} counted insurance months in the last {window} ({start} to {end}), {needed} needed: "
    "not eligible yet.",
)
PERMIT_VALID = Message(
    "居住证有效期{start}至{end}，{as_of}在有效期内。",
    "Residence permit valid {start} to {end}: valid on {as_of}.",
)
PERMIT_INVALID = Message(
    "居住证有效期{start}至{end}，{as_of}不在有效期内。",
    "Residence permit valid {start} to {end}: not valid on {as_of}.",
)
VETOED = Message(
    "有{kinds_zh}记录，按{as_of}适用的规定一票否决，取消申请积分资格。",
    "A record of {kinds_en} cancels the right to apply under the rules in force on {as_of} (veto).",
)
NOT_VETOED = Message("无一票否决记录。", "No vetoing record.")
VETO_NOT_APPLICABLE = Message(
    "{kinds_zh}记录在{as_of}适用的规定中已不属于一票否决指标。",
    "A record of {kinds_en} no longer vetoes under the rules in force on {as_of}.",
)

VETO_ZH = {"serious_criminal_record": "严重刑事犯罪", "family_planning_violation": "违反计划生育政策"}
VETO_EN = {
    "serious_criminal_record": "serious crime",
    "family_planning_violation": "family-planning violation",
}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    met: bool
    outcome: Outcome
    basis: tuple[Basis, ...]


def minimum_age(ctx: Context) -> Check:
    least = ctx.int_param("eligibility.minimum_age")
    birth = ctx.facts.birth_date
    age = full_years(birth, ctx.as_of)
    met = age >= least
    args = {"age": age, "least": least, "birthday": add_months(birth, 12 * least)}
    return Check("minimum_age", met, Outcome(0, ADULT if met else MINOR, args), ctx.take_basis())


def filing_month(ctx: Context) -> Check:
    lag = ctx.int_param("eligibility.record_lag_months")
    month = month_of(ctx.as_of)
    latest = ctx.facts.history.latest_until(month)
    met = latest is not None and latest >= month - lag
    args: dict[str, object] = {"month": InMonth(month), "lag": lag, "lag_en": f"{lag} month{'' if lag == 1 else 's'}"}
    if latest is None:
        args.update(latest_zh="无计入的缴费记录", latest_en="none counted")
    else:
        args.update(
            latest=InMonth(latest),
            latest_zh=f"最近为{month_words(latest)['zh']}",
            latest_en=f"latest {month_words(latest)['en']}",
        )
    message = FILING_MONTH_UNPAID if not met else FILING_MONTH_PAID if latest == month else FILING_MONTH_LAG
    return Check("filing_month", met, Outcome(0, message, args), ctx.take_basis())


def insurance(ctx: Context) -> Check:
    window = ctx.int_param("eligibility.insurance_window_months")
    needed = ctx.int_param("eligibility.insurance_months")
    months = ctx.contributions.months_in_window(window)
    met = months >= needed
    args = {
        "window": window,
        "needed": needed,
        "months": months,
        "start": InMonth(ctx.last_month - window + 1),
        "end": InMonth(ctx.last_month),
    }
    return Check("insurance", met, Outcome(0, INSURANCE_MET if met else INSURANCE_NOT_MET, args), ctx.take_basis())


def permit(ctx: Context) -> Check | None:
    p = ctx.facts.residence_permit
    if p is None:
        return None
    met = p.valid_from <= ctx.as_of <= p.valid_until
    args = {
        "start": p.valid_from,
        "end": p.valid_until,
        "as_of": ctx.as_of,
    }
    return Check("residence_permit", met, Outcome(0, PERMIT_VALID if met else PERMIT_INVALID, args), ())


def veto(ctx: Context) -> Check:
    recorded = {v.kind for v in ctx.facts.vetoes if v.on is None or v.on <= ctx.as_of}
    if not recorded:
        return Check("veto", True, Outcome(0, NOT_VETOED), ())  # noqa: FBT003
    kinds_in_force = ctx.param("veto.kinds")
    assert isinstance(kinds_in_force, tuple)  # noqa: S101
    vetoing = sorted(k for k in recorded if k in kinds_in_force)
    shown = vetoing or sorted(recorded)
    args = {
        "kinds_zh": "、".join(VETO_ZH[k] for k in shown),
        "kinds_en": ", ".join(VETO_EN[k] for k in shown),
        "as_of": ctx.as_of,
    }
    if vetoing:
        return Check("veto", False, Outcome(0, VETOED, args), ctx.take_basis())  # noqa: FBT003
    return Check("veto", True, Outcome(0, VETO_NOT_APPLICABLE, args), ctx.take_basis())  # noqa: FBT003
