"""申请资格 (eligibility): 6 counted insurance months in the last 12, a valid permit, no veto.

The points are computed and shown either way; ``eligible`` says whether they can be applied for.
"""

from __future__ import annotations

from dataclasses import dataclass

from jifen.dates import month_str
from jifen.rules.context import Basis, Context
from jifen.rules.outcome import Message, Outcome

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


def insurance(ctx: Context) -> Check:
    window = ctx.int_param("eligibility.insurance_window_months")
    needed = ctx.int_param("eligibility.insurance_months")
    months = ctx.contributions.months_in_window(window)
    met = months >= needed
    args = {
        "window": window,
        "needed": needed,
        "months": months,
        "start": month_str(ctx.last_month - window + 1),
        "end": month_str(ctx.last_month),
    }
    return Check("insurance", met, Outcome(0, INSURANCE_MET if met else INSURANCE_NOT_MET, args), ctx.take_basis())


def permit(ctx: Context) -> Check | None:
    p = ctx.facts.residence_permit
    if p is None:
        return None
    met = p.valid_from <= ctx.as_of <= p.valid_until
    args = {
        "start": p.valid_from.isoformat(),
        "end": p.valid_until.isoformat(),
        "as_of": ctx.as_of.isoformat(),
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
        "as_of": ctx.as_of.isoformat(),
    }
    if vetoing:
        return Check("veto", False, Outcome(0, VETOED, args), ctx.take_basis())  # noqa: FBT003
    return Check("veto", True, Outcome(0, VETO_NOT_APPLICABLE, args), ctx.take_basis())  # noqa: FBT003
