"""Triggers: what changes a holder's points, dated, with the change in points and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from jifen.advisor.result import Trigger
from jifen.dates import next_day
from jifen.facts.model import Facts
from jifen.policy.model import Policy
from jifen.policy.wording import date_words, not_published, value_words
from jifen.rules.indicators import LABELS
from jifen.rules.outcome import Message, Outcome
from jifen.rules.result import Item, Score

KIND_BY_INDICATOR = {
    "age": "birthday",
    "education": "education_obtained",
    "si_years": "insurance_year",
    "si_base": "si_base_tier",
    "public_service": "period_year",
    "remote_area": "period_year",
    "hukou_spouse": "period_year",
    "awards": "award",
}
DEDUCTIONS = ("false_material", "administrative_detention", "criminal_record")

KIND_LABELS: dict[str, dict[str, str]] = {
    "birthday": {"zh": "生日", "en": "birthday"},
    "education_obtained": {"zh": "取得学历", "en": "degree obtained"},
    "qualification_obtained": {"zh": "取得职称技能", "en": "title or skill obtained"},
    "qualification_condition": {"zh": "职称1倍基数条件", "en": "title's 1x base condition"},
    "insurance_year": {"zh": "社保满一年", "en": "another year of insurance"},
    "si_base_tier": {"zh": "基数档次", "en": "base tier"},
    "period_year": {"zh": "年限满一年", "en": "another full year"},
    "award": {"zh": "表彰奖励", "en": "award"},
    "deduction_expires": {"zh": "扣分期满", "en": "deduction expires"},
    "deduction": {"zh": "扣分", "en": "deduction"},
    "choose_one": {"zh": "取高项变化", "en": "the higher item changes"},
    "eligibility": {"zh": "申请资格", "en": "eligibility"},
    "endorsement_window": {"zh": "可签注", "en": "endorsement window"},
    "permit_expiry": {"zh": "居住证到期", "en": "permit ends"},
    "reference_wage": {"zh": "积分参考工资", "en": "points reference wage"},
}


def _counted(item: Item) -> int:
    return item.points if item.counted else 0


def _kind(facts: Facts, item: Item, before: Item, on: date) -> str:
    if item.points == before.points:
        return "choose_one"  # only which of education and qualification counts changed
    if item.indicator == "qualification":
        obtained = any(q.obtained_on == on for q in facts.qualifications)
        return "qualification_obtained" if obtained else "qualification_condition"
    if item.indicator in DEDUCTIONS:
        return "deduction_expires" if item.points > before.points else "deduction"
    return KIND_BY_INDICATOR.get(item.indicator, item.indicator)


def point_triggers(facts: Facts, before: Score, after: Score) -> list[Trigger]:
    """One trigger per indicator whose counted points differ between two scores, and eligibility."""
    out = []
    for old, new in zip(before.items, after.items, strict=True):
        delta = _counted(new) - _counted(old)
        if delta == 0:
            continue
        label = LABELS[new.indicator]
        text = new.text() or {"zh": "", "en": ""}
        day = date_words(after.as_of)
        out.append(
            Trigger(
                kind=_kind(facts, new, old, after.as_of),
                on=after.as_of,
                points_delta=delta,
                total_after=after.total,
                indicator=new.indicator,
                explanation={
                    "zh": f"{day['zh']}起{label['zh']}计入{_counted(old)}分变为{_counted(new)}分"
                    f"（{delta:+d}）：{text['zh']}",
                    "en": f"From {day['en']}, {label['en']} counts {_counted(new)} instead of {_counted(old)} "
                    f"({delta:+d}): {text['en']}",
                },
            )
        )
    if before.eligible != after.eligible:
        reasons = [reason for c in after.eligibility if not c.met and (reason := c.text()) is not None]
        zh = "；".join(r["zh"] for r in reasons) or "满足申请条件。"
        en = " ".join(r["en"] for r in reasons) or "The conditions to apply are met."
        day = date_words(after.as_of)
        out.append(
            Trigger(
                kind="eligibility",
                on=after.as_of,
                points_delta=0,
                total_after=after.total,
                indicator=None,
                explanation={
                    "zh": f"自{day['zh']}起{'符合' if after.eligible else '不再符合'}积分申请条件：{zh}",
                    "en": f"From {day['en']} the holder {'meets' if after.eligible else 'no longer meets'} the "
                    f"conditions to apply: {en}",
                },
            )
        )
    return out


ENDORSEMENT = Message(
    "{opens}起可办理居住证签注（有效期至{until}，届满前{window}日内），签注时确认积分。",
    "From {opens} the permit can be endorsed (valid until {until}; within {window} days before its end); "
    "the points are confirmed at the endorsement.",
)
PERMIT_ENDS = Message(
    "居住证{until}到期，积分有效期随之结束；未签注则积分失效。",
    "The permit ends on {until} and the points' validity with it, unless endorsed.",
)
REFERENCE_WAGE_CHANGED = Message(
    "{on}起积分参考工资由{before}调整为{value}，该月起的缴费基数按新的参考工资比较。",
    "From {on} the points reference wage changes from {before_en} to {value_en}; months from then on are "
    "measured against it.",
)
REFERENCE_WAGE_SAME = Message(
    "{on}起积分参考工资仍为{value}。",
    "From {on} the points reference wage stays at {value_en}.",
)


def _calendar_trigger(kind: str, on: date, total: int, indicator: str | None, text: Outcome) -> Trigger:
    return Trigger(kind, on, 0, total, indicator, text.render())


def calendar_triggers(
    facts: Facts, policy: Policy, after: date, until: date, total_on: Callable[[date], int]
) -> list[Trigger]:
    """Dated events worth knowing that change no points by themselves."""
    out = []
    permit = facts.residence_permit
    if permit is not None:
        window = policy.resolve("advice.endorsement_window_days", after).value
        assert isinstance(window, int)  # noqa: S101
        opens = permit.valid_until - timedelta(days=window)
        args = {"opens": opens, "until": permit.valid_until, "window": window}
        if after < opens <= until:
            out.append(
                _calendar_trigger("endorsement_window", opens, total_on(opens), None, Outcome(0, ENDORSEMENT, args))
            )
        expires = next_day(permit.valid_until)  # None: valid until date.max, the end of dates
        if expires is not None and after < expires <= until:
            out.append(
                _calendar_trigger("permit_expiry", expires, total_on(expires), None, Outcome(0, PERMIT_ENDS, args))
            )
    out.extend(_reference_wage_triggers(policy, after, until, total_on))
    return out


def _reference_wage_triggers(
    policy: Policy, after: date, until: date, total_on: Callable[[date], int]
) -> list[Trigger]:
    """Each new value of the points reference wage in (after, until], under the selected readings. A value
    not yet published is the previous one carried forward: it is said so, never called an adjustment."""
    parameter = policy.parameters["si_base.reference_wage"]
    out = []
    for entry in parameter.values:
        on = entry.effective_from
        if not after < on <= until:
            continue
        value = policy.resolve(parameter.name, on).value
        before = policy.resolve(parameter.name, on - timedelta(days=1)).value if on > parameter.starts[0] else None
        words = value_words(parameter, value) or {"zh": str(value), "en": str(value)}
        if entry.provisional:
            explanation = not_published(parameter, on, value)
            explanation = {k: v + ("。" if k == "zh" else ".") for k, v in explanation.items()}
        else:
            previous = value_words(parameter, before) if before is not None else None
            args = {"on": on, "value": words["zh"], "value_en": words["en"]}
            if previous is None or before == value:
                explanation = Outcome(0, REFERENCE_WAGE_SAME, args).render()
            else:
                args |= {"before": previous["zh"], "before_en": previous["en"]}
                explanation = Outcome(0, REFERENCE_WAGE_CHANGED, args).render()
        out.append(Trigger("reference_wage", on, 0, total_on(on), "si_base", explanation))
    return out
