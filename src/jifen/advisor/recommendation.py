"""Whether to file now, the window to file in, when a decision can be expected, and backwards planning.

- Worth filing: eligible, and above the last approved total (a change, 变更) or, with none approved,
  at or above the standard (a first application).
- Earliest: when the change is visible in the records. An insurance month shows from the month after
  it (``advice.insurance_record_lag_months``); after the yearly base adjustment
  (``advice.base_adjustment_month``) new bases show only after ``advice.base_sync_lag_days``.
- Latest: so that the decision, at most ``acceptance + review`` working days after filing, lands
  before the next loss of points (a birthday, a lapsing condition, the permit's end).
- Decision: from ``review`` to ``acceptance + review`` working days after filing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jifen.advisor.result import Decision, Recommendation, TargetPlan, Trigger
from jifen.advisor.triggers import KIND_LABELS
from jifen.dates import first_day, month_of
from jifen.facts.model import Facts
from jifen.policy.model import Policy
from jifen.rules.result import Score
from jifen.workdays import Day, WorkdayCalendar

_DAY = timedelta(days=1)
INSURANCE_KINDS = ("insurance_year", "si_base_tier", "qualification_condition", "eligibility")


@dataclass(frozen=True, slots=True)
class Planning:
    acceptance: int
    review: int

    @property
    def longest(self) -> int:
        return self.acceptance + self.review


def _int(policy: Policy, name: str, day: date) -> int:
    value = policy.resolve(name, day).value
    assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
    return value


def planning(policy: Policy, day: date) -> Planning:
    return Planning(
        _int(policy, "advice.acceptance_working_days", day), _int(policy, "advice.review_working_days", day)
    )


def base_sync(facts: Facts, policy: Policy, day: date) -> date | None:
    """When new bases from the latest yearly adjustment on or before ``day`` show in the records, if the
    holder's base changed at that adjustment and that date is still ahead; else None."""
    month = _int(policy, "advice.base_adjustment_month", day)
    adjusted = date(day.year, month, 1) if date(day.year, month, 1) <= day else date(day.year - 1, month, 1)
    lag = _int(policy, "advice.base_sync_lag_days", adjusted)
    synced = adjusted + timedelta(days=lag)
    if synced <= day:
        return None
    starts = month_of(adjusted)
    by_first = {s.first: s for s in facts.social_insurance if s.counted}
    changed = starts in by_first and any(
        s.counted and (s.last is not None and s.last == starts - 1) and s.base_fen != by_first[starts].base_fen
        for s in facts.social_insurance
    )
    return synced if changed else None


def visible_from(facts: Facts, policy: Policy, day: date, kinds: set[str]) -> date:
    """The earliest day the changes of ``kinds`` happening on ``day`` show in the records."""
    visible = day
    if kinds & set(INSURANCE_KINDS):
        lag = _int(policy, "advice.insurance_record_lag_months", day)
        visible = max(visible, first_day(month_of(day) - 1 + lag))
        synced = base_sync(facts, policy, visible)
        if synced is not None:
            visible = synced
    return visible


def _worth_filing(facts: Facts, s: Score) -> bool:
    if not s.eligible:
        return False
    if facts.last_approved is not None:
        return s.total > facts.last_approved.total
    return s.total >= s.standard


def recommend(
    facts: Facts,
    policy: Policy,
    calendar: WorkdayCalendar,
    timeline: list[tuple[date, Score]],
    triggers: list[Trigger],
    target: date | None,
) -> Recommendation:
    as_of, current = timeline[0]
    plan = planning(policy, as_of)
    good = next(((d, s) for d, s in timeline if _worth_filing(facts, s)), None)
    if good is None:
        return Recommendation(
            refresh=False,
            earliest=None,
            latest=None,
            reason=_never(facts, current),
            expected_decision=None,
            target=_target(calendar, plan, target, None),
        )
    day, s = good
    kinds = {t.kind for t in triggers if t.on == day}
    visible = visible_from(facts, policy, day, kinds) if day > as_of else _now_visible(facts, policy, as_of)
    earliest = calendar.next_workday(max(as_of, visible))  # materials are filed on a working day
    loss = next((t for t in triggers if t.on > earliest and (t.points_delta < 0 or t.kind == "permit_expiry")), None)
    latest = None
    if loss is not None:
        latest = calendar.previous_workday(calendar.latest_start_for(loss.on - _DAY, plan.longest).date)
    if latest is not None and latest < earliest:
        latest = None
    refresh = earliest <= calendar.next_workday(as_of) and day == as_of
    decision_from = calendar.add(earliest, plan.review)
    decision_to = calendar.add(earliest, plan.longest)
    decision = Decision(
        earliest,
        decision_from.date,
        decision_to.date,
        (plan.review, plan.longest),
        decision_from.provisional or decision_to.provisional,
    )
    reason = _reason(facts, current, day, s, visible, earliest, latest, loss)
    return Recommendation(refresh, earliest, latest, reason, decision, _target(calendar, plan, target, earliest))


def _now_visible(facts: Facts, policy: Policy, as_of: date) -> date:
    synced = base_sync(facts, policy, as_of)
    return synced if synced is not None else as_of


def _never(facts: Facts, current: Score) -> dict[str, str]:
    if facts.last_approved is not None:
        old = facts.last_approved.total
        return {
            "zh": f"未来36个月内预计积分不会高于上次核定的{old}分（或不符合申请条件），无需申请变更。",
            "en": f"Within the next 36 months the points are not expected to exceed the last approved {old} "
            "(or the holder is not eligible): no change to file.",
        }
    return {
        "zh": f"当前{current.total}分；未来36个月内预计达不到标准分值{current.standard}分或不符合申请条件。",
        "en": f"Now {current.total} points; the standard {current.standard} is not expected to be reached "
        "with the conditions to apply met within the next 36 months.",
    }


def _reason(
    facts: Facts,
    current: Score,
    day: date,
    s: Score,
    visible: date,
    earliest: date,
    latest: date | None,
    loss: Trigger | None,
) -> dict[str, str]:
    last = facts.last_approved
    if last is not None:
        zh = (
            f"较上次核定（{last.on}，{last.total}分）增加{s.total - last.total}分，为{s.total}分。"
            if day == current.as_of
            else f"当前{current.total}分未高于上次核定的{last.total}分；预计{day}起为{s.total}分。"
        )
        en = (
            f"{s.total} points, {s.total - last.total} more than last approved ({last.total} on {last.on})."
            if day == current.as_of
            else f"Now {current.total}, not above the last approved {last.total}; {s.total} expected from {day}."
        )
    else:
        zh = (
            f"当前{s.total}分，已达到标准分值{s.standard}分且符合申请条件，可由用人单位申请。"
            if day == current.as_of
            else f"当前{current.total}分；预计{day}起为{s.total}分，达到标准分值且符合申请条件。"
        )
        en = (
            f"{s.total} points, at or above the standard {s.standard}, and eligible: the employer can apply."
            if day == current.as_of
            else f"Now {current.total}; {s.total} expected from {day}, at or above the standard and eligible."
        )
    if visible > day:
        zh += f"变化需待{visible}后在缴费记录中体现，建议{earliest}起递交。"
        en += f" The change shows in the records from {visible}; file from {earliest}."
    else:
        zh += f"建议{'现在' if earliest == current.as_of else f'{earliest}起'}递交。"
        en += " File now." if earliest == current.as_of else f" File from {earliest}."
    if loss is not None and latest is not None:
        kind = KIND_LABELS[loss.kind] if loss.kind in KIND_LABELS else {"zh": loss.kind, "en": loss.kind}
        zh += f"请在{latest}前递交，使核定在{loss.on}（{kind['zh']}）前完成。"
        en += f" File by {latest} so that the decision comes before {loss.on} ({kind['en']})."
    elif loss is not None:
        zh += f"{loss.on}起积分将减少，递交后核定可能晚于该日。"
        en += f" Points drop on {loss.on}; a decision may come after that day."
    return {"zh": zh, "en": en}


def _target(calendar: WorkdayCalendar, plan: Planning, target: date | None, earliest: date | None) -> TargetPlan | None:
    if target is None:
        return None
    latest = calendar.latest_start_for(target, plan.longest)
    latest = Day(calendar.previous_workday(latest.date), latest.provisional)
    possible = earliest is not None and latest.date >= earliest
    assumption = {
        "zh": f"假设递交时材料齐全，{plan.acceptance}个工作日内受理（无明文时限，本项目假设），"
        f"受理后{plan.review}个工作日内核定（实施细则第七条），共{plan.longest}个工作日，按国务院放假调休安排计算"
        f"{'（含尚无官方安排的年份，为估算）' if latest.provisional else ''}。",
        "en": f"Assumes complete materials at filing, acceptance within {plan.acceptance} working days (no time "
        f"limit found; this project's assumption) and 核定 within {plan.review} working days after it "
        f"(实施细则 第七条): {plan.longest} working days, counted with the State Council's holiday arrangements"
        f"{' (partly in a year with no official arrangement yet: an estimate)' if latest.provisional else ''}.",
    }
    return TargetPlan(target, latest.date, possible, latest.provisional, assumption)
