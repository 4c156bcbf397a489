"""Whether to file, what it changes, when, and the dated steps around it: endorsement, renewal, filing.

- What a filing changes (renewal-and-appeals.md Q2): only reaching the standard (120) brings anything.
  A filing that crosses it is an *entitlement*; keeping approved points valid through the permit's
  endorsement is *validity*; raising a total that already meets the standard, or one that stays below
  it, is *optional*: said plainly, with the headroom it gives before the next renewal.
- Worth filing on a day: eligible on it, and above the last approved total (a change, 变更) or, with
  none approved, at or above the standard (a first application).
- Earliest: when the change shows in the records. A contribution month shows once the month after it,
  in which it is paid and recorded (``advice.insurance_record_lag_months``), has ended; after the yearly
  base adjustment (``advice.base_adjustment_month``), gains that rest on the months after it (a base
  tier, the title's 1x condition) wait ``advice.base_sync_lag_days`` when the holder's base or the
  reference wage changed then. Other gains (a birthday, a period's year, a degree) show on their day.
- Latest: so that the decision, at most ``acceptance + review`` working days after filing, lands before
  the next loss of points, and a change (变更) before the permit's end: a change does not extend the
  points' validity; only the endorsement and the renewal do. A gain whose decision would come later is
  claimed in the renewal, which re-checks the points on its day.
- File now or wait: a further gain before the decision of filing now, or within
  ``advice.waiting_horizon_days``, is weighed as an option (one filing can be in review at a time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from jifen.advisor.events import InsuranceStates
from jifen.advisor.permit import PermitCycle, permit_cycle
from jifen.advisor.result import Decision, Option, Recommendation, Step, TargetPlan, Trigger
from jifen.advisor.triggers import KIND_LABELS
from jifen.dates import add_days_capped, first_day, month_of
from jifen.facts.model import Facts, LastApproved
from jifen.policy.model import Policy
from jifen.policy.wording import date_words
from jifen.rules.result import Score
from jifen.workdays import Day, WorkdayCalendar

_DAY = timedelta(days=1)
INSURANCE_KINDS = ("insurance_year", "si_base_tier", "qualification_condition", "eligibility")
BASE_KINDS = ("si_base_tier", "qualification_condition")  # gains that rest on the bases themselves


def _zh(day: date) -> str:
    """A day in a Chinese sentence: "2027年3月1日"."""
    return date_words(day)["zh"]


def _en(day: date) -> str:
    """A day in an English sentence: "1 March 2027"."""
    return date_words(day)["en"]


@dataclass(frozen=True, slots=True)
class Planning:
    acceptance: int
    review: int

    @property
    def longest(self) -> int:
        return self.acceptance + self.review


@dataclass(frozen=True, slots=True)
class Candidate:
    """A day worth filing on: the score then, and the first working day its change can be filed."""

    day: date
    score: Score
    earliest: date


def _int(policy: Policy, name: str, day: date) -> int:
    value = policy.resolve(name, day).value
    assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
    return value


def planning(policy: Policy, day: date) -> Planning:
    return Planning(
        _int(policy, "advice.acceptance_working_days", day), _int(policy, "advice.review_working_days", day)
    )


def _adjustment(policy: Policy, day: date) -> date:
    """The latest yearly base adjustment on or before ``day``."""
    month = _int(policy, "advice.base_adjustment_month", day)
    this_year = date(day.year, month, 1)
    return this_year if this_year <= day else date(day.year - 1, month, 1)


def _reference_changed(policy: Policy, adjusted: date) -> bool:
    before = policy.resolve("si_base.reference_wage", adjusted - _DAY).value
    return bool(policy.resolve("si_base.reference_wage", adjusted).value != before)


def base_sync(facts: Facts, policy: Policy, day: date) -> date | None:
    """When bases from the latest yearly adjustment on or before ``day`` show in the records, if the holder's
    base or the reference wage changed at that adjustment and that date is still ahead; else None."""
    adjusted = _adjustment(policy, day)
    synced = add_days_capped(adjusted, _int(policy, "advice.base_sync_lag_days", adjusted))
    if synced <= day:
        return None
    starts = month_of(adjusted)
    by_first = {s.first: s for s in facts.social_insurance if s.counted}
    changed = starts in by_first and any(
        s.counted and (s.last is not None and s.last == starts - 1) and s.base_fen != by_first[starts].base_fen
        for s in facts.social_insurance
    )
    return synced if changed or _reference_changed(policy, adjusted) else None


def visible_from(facts: Facts, policy: Policy, day: date, kinds: set[str]) -> date:
    """The earliest day the changes of ``kinds`` happening on ``day`` show in the records."""
    if not kinds & set(INSURANCE_KINDS):
        return day
    needed = month_of(day) - 1  # a change on a month's first day rests on the month before
    lag = _int(policy, "advice.insurance_record_lag_months", day)
    visible = max(day, first_day(needed + lag + 1))
    if kinds & set(BASE_KINDS) and needed >= month_of(_adjustment(policy, first_day(needed))):
        synced = base_sync(facts, policy, first_day(needed))
        if synced is not None:
            visible = max(visible, synced)
    return visible


def _worth_filing(last: LastApproved | None, s: Score) -> bool:
    if not s.eligible:
        return False
    if last is not None:
        return s.total > last.total
    return s.total >= s.standard


def _crosses(last: LastApproved | None, s: Score) -> bool:
    """Whether approving ``s`` changes an entitlement: the standard reached where it was not."""
    return s.total >= s.standard and (last is None or last.total < s.standard)


def _candidates(
    facts: Facts,
    policy: Policy,
    calendar: WorkdayCalendar,
    timeline: list[tuple[date, Score]],
    triggers: list[Trigger],
    rescore: Callable[[date], Score],
    last: LastApproved | None,
) -> list[Candidate]:
    """Days worth filing on, each filed later than the one before and for more points. A day's score holds
    every change since ``as_of``, so it can be filed once the last of them shows in the records."""
    as_of = timeline[0][0]
    visible = _now_visible(facts, policy, as_of, rescore)
    out: list[Candidate] = []
    for day, s in timeline:
        if day > as_of:
            gains = {t.kind for t in triggers if t.on == day and t.points_delta > 0}
            visible = max(visible, visible_from(facts, policy, day, gains))
        if not _worth_filing(last, s):
            continue
        candidate = Candidate(day, s, calendar.next_workday(max(as_of, visible)))
        while out and out[-1].earliest >= candidate.earliest and out[-1].score.total < s.total:
            out.pop()  # filed no sooner, for fewer points
        if not out or s.total > out[-1].score.total:
            out.append(candidate)
    return out


_INSURANCE_ITEMS = ("si_years", "si_base", "qualification")


def _now_visible(facts: Facts, policy: Policy, as_of: date, rescore: Callable[[date], Score]) -> date:
    """When what the score on ``as_of`` rests on shows in the records: the insurance months of the last
    ``lag`` month starts may not have been recorded yet, and new bases wait for the sync."""
    visible = as_of
    lag = _int(policy, "advice.insurance_record_lag_months", as_of)
    scheme_starts = policy.versions[0].effective_from
    states = InsuranceStates(facts, policy, max(first_day(month_of(as_of) - lag) - _DAY, scheme_starts), as_of)
    for back in range(lag + 1):
        start = first_day(month_of(as_of) - back)
        if start - _DAY < scheme_starts:
            continue  # no scheme to score on before its first day: nothing to have been recorded
        if states.on(start - _DAY) == states.on(start):
            continue  # the rules read the contributions the same on both days: nothing new to record
        before, after = rescore(start - _DAY), rescore(start)
        changed = {i.indicator for i, j in zip(before.items, after.items, strict=True) if i.points != j.points}
        kinds = {"insurance_year"} if changed & set(_INSURANCE_ITEMS) or before.eligible != after.eligible else set()
        if "si_base" in changed or "qualification" in changed:
            kinds.add("si_base_tier")
        if kinds:
            visible = max(visible, visible_from(facts, policy, start, kinds))
    synced = base_sync(facts, policy, as_of)
    return max(visible, synced) if synced is not None else visible


def _decision(calendar: WorkdayCalendar, plan: Planning, filed: date) -> Decision:
    first, last = calendar.add(filed, plan.review), calendar.add(filed, plan.longest)
    return Decision(filed, first.date, last.date, (plan.review, plan.longest), first.provisional or last.provisional)


def _score_on(timeline: list[tuple[date, Score]], day: date) -> Score:
    return next(s for d, s in reversed(timeline) if d <= day)


def _latest(calendar: WorkdayCalendar, plan: Planning, before: date) -> Day:
    """The last working day to file so that the decision comes on or before ``before``."""
    day = calendar.latest_start_for(before, plan.longest)
    return Day(calendar.previous_workday(day.date), day.provisional)


def recommend(
    facts: Facts,
    policy: Policy,
    calendar: WorkdayCalendar,
    timeline: list[tuple[date, Score]],
    triggers: list[Trigger],
    target: date | None,
    rescore: Callable[[date], Score],
    last: LastApproved | None = None,
) -> Recommendation:
    """``rescore`` scores the projected facts on another day (to see what the records show already);
    ``last``: the last approved total, which a change (变更) must exceed."""
    as_of, current = timeline[0]
    plan = planning(policy, as_of)
    cycle = permit_cycle(facts, policy, calendar, as_of)
    candidates = _candidates(facts, policy, calendar, timeline, triggers, rescore, last)
    steps: list[Step] = []
    options: tuple[Option, ...] = ()
    chosen = candidates[0] if candidates else None
    if chosen is not None:
        options, chosen = _weigh(last, policy, calendar, plan, candidates)
    moved = _employer_change(facts, last, policy, as_of, cycle)
    filing = _Filing.plan(last, calendar, plan, cycle, triggers, chosen, moved, as_of) if chosen is not None else None
    if filing is not None and filing.too_late and not _crosses(last, filing.candidate.score):
        filing = None  # an optional gain that would be lost before it could be decided
    renewal = _renewal(last, timeline, triggers, cycle, filing)
    if filing is not None and filing.step is not None:
        if filing.wait is not None:
            steps.append(filing.wait)
        steps.append(_check_records(filing.step.start, filing.step.until))
        steps.append(filing.step)
    if moved is not None and moved.filing is not None and not (filing is not None and filing.carries_move):
        if cycle is None or _decision(calendar, plan, moved.filing.start).latest <= cycle.valid_until:
            steps.append(moved.filing)
        elif renewal is not None:  # too late for a change before the permit ends: done in the renewal
            renewal = _also(renewal, moved.in_renewal)
    if moved is not None and moved.registration is not None:
        steps.append(moved.registration)
    if cycle is not None:
        steps.append(_endorse_step(cycle))
    if renewal is not None:
        steps.append(renewal)
    steps.sort(key=lambda s: (s.start, _ORDER.index(s.kind)))
    effect = _effect(last, filing, renewal)
    refresh = effect == "entitlement" and filing is not None and filing.now(calendar, as_of, cycle)
    earliest = None if filing is None else filing.filed_on
    latest = None if filing is None or filing.latest is None else filing.latest.date
    decision = None if filing is None else _decision(calendar, plan, filing.filed_on)
    return Recommendation(
        refresh=refresh,
        earliest=earliest,
        latest=latest,
        reason=_reason(last, current, effect, filing, renewal, cycle, _int(policy, "age.full_points_max_age", as_of)),
        expected_decision=decision,
        target=_target(calendar, plan, target, earliest),
        effect=effect,
        steps=tuple(steps),
        options=options,
        latest_provisional=filing is not None and filing.latest is not None and filing.latest.provisional,
    )


_ORDER = ("update_registration", "endorse", "renew", "wait", "check_records", "file_first", "file_change")


def _weigh(
    last: LastApproved | None, policy: Policy, calendar: WorkdayCalendar, plan: Planning, candidates: list[Candidate]
) -> tuple[tuple[Option, ...], Candidate]:
    """The first day worth filing against a better one soon after it; which to take, and the options."""
    first = candidates[0]
    horizon = add_days_capped(first.earliest, _int(policy, "advice.waiting_horizon_days", first.earliest))
    within = max(_decision(calendar, plan, first.earliest).latest, horizon)
    later = [c for c in candidates[1:] if c.earliest <= within]
    if not later:
        return (), first
    best = later[-1]
    if _crosses(last, first.score):
        chosen = first  # the entitlement sooner; the later gain can be filed once this is decided
    else:
        chosen = best  # nothing is gained by filing twice: one filing, with more points
    options = []
    for c in (first, best):
        decision = _decision(calendar, plan, c.earliest)
        options.append(
            Option(c.earliest, c.score.total, decision.earliest, decision.latest, decision.provisional, c is chosen)
        )
    return tuple(options), chosen


@dataclass(frozen=True, slots=True)
class _Filing:
    candidate: Candidate
    kind: str  # file_first or file_change
    filed_on: date  # the first day the plan files on
    latest: Day | None
    step: Step | None  # None: the gain is claimed in the renewal instead
    wait: Step | None
    in_renewal: bool
    too_late: bool  # no filing day gets a decision before the next loss of points
    carries_move: bool  # the filing also makes the new employer's change (单位信息变更)

    def now(self, calendar: WorkdayCalendar, as_of: date, cycle: PermitCycle | None) -> bool:
        """Whether something is to be done now: filing, or the endorsement that the renewal carrying the
        gain starts with."""
        soon = calendar.next_workday(as_of)
        if self.in_renewal:
            return cycle is not None and cycle.endorse_on <= soon
        return self.filed_on <= soon

    @staticmethod
    def plan(
        last: LastApproved | None,
        calendar: WorkdayCalendar,
        plan: Planning,
        cycle: PermitCycle | None,
        triggers: list[Trigger],
        chosen: Candidate,
        moved: _EmployerChange | None,
        as_of: date,
    ) -> _Filing:
        kind = "file_change" if last is not None else "file_first"
        start = chosen.earliest
        bounds: list[date] = []
        loss = next((t for t in triggers if t.on > start and t.points_delta < 0), None)
        if loss is not None:
            bounds.append(loss.on - _DAY)
        in_renewal = False
        if cycle is not None and not cycle.late:
            decided = _decision(calendar, plan, start).latest
            if start <= cycle.valid_until and decided <= cycle.valid_until:
                if kind == "file_change":
                    bounds.append(cycle.valid_until)  # a change does not extend the validity
            elif kind == "file_change" and start <= cycle.renew_until:
                in_renewal = True  # claimed at the renewal, which re-checks the points on its day
            else:
                start = max(
                    start, calendar.next_workday(cycle.renew_from if kind == "file_change" else cycle.endorse_on)
                )
        latest = min((_latest(calendar, plan, b) for b in bounds), key=lambda d: d.date, default=None)
        too_late = latest is not None and latest.date < start
        if too_late:
            latest = None
        if in_renewal:
            return _Filing(chosen, kind, start, None, None, None, in_renewal=True, too_late=False, carries_move=False)
        inside = cycle is None or start <= cycle.valid_until
        carries = moved if kind == "file_change" and inside else None
        text = _file_text(last, chosen, kind, loss, carries)
        step = Step(kind, start, None if latest is None else latest.date, text)
        wait = None
        if start > calendar.next_workday(as_of):
            wait = Step("wait", as_of, start - _DAY, _wait_text(chosen, start))
        return _Filing(
            chosen,
            kind,
            start,
            latest,
            step,
            wait,
            in_renewal=False,
            too_late=too_late,
            carries_move=carries is not None,
        )


def _effect(last: LastApproved | None, filing: _Filing | None, renewal: Step | None) -> str:
    if filing is not None and _crosses(last, filing.candidate.score):
        return "entitlement"
    if renewal is not None:
        return "validity"
    if filing is not None:
        return "optional"
    return "none"


def _endorse_step(cycle: PermitCycle) -> Step:
    if cycle.late:
        text = {
            "zh": f"居住证已于{_zh(cycle.valid_until)}到期，最迟可于{_zh(cycle.late_until)}补办签注（到期后至签注前，居住证功能暂停，"
            "积分显示为清零状态）；请尽快办理。",
            "en": f"The permit ended on {_en(cycle.valid_until)}; a late endorsement is possible until "
            f"{_en(cycle.late_until)} "
            "(until then its functions are suspended and the points show as cleared). Endorse as soon as possible.",
        }
        return Step("endorse", cycle.endorse_on, cycle.late_until, text)
    text = {
        "zh": f"居住证有效期至{_zh(cycle.valid_until)}，{_zh(cycle.endorse_from)}至{_zh(cycle.valid_until)}可办理签注"
        "（社区事务受理服务中心或随申办线上办理）。建议在窗口开始后尽早签注，使积分续办在到期前完成，"
        "积分通知书不会显示过期。",
        "en": f"The permit is valid until {_en(cycle.valid_until)} and can be endorsed from {_en(cycle.endorse_from)} "
        f"to {_en(cycle.valid_until)} (at a community affairs centre or online through 随申办). Endorse early in the "
        "window, so that the points are renewed before the end and the notice never shows as expired.",
    }
    return Step("endorse", cycle.endorse_from, cycle.valid_until, text)


def _renewal(
    last: LastApproved | None,
    timeline: list[tuple[date, Score]],
    triggers: list[Trigger],
    cycle: PermitCycle | None,
    filing: _Filing | None,
) -> Step | None:
    """续办 after the endorsement, for approved points that meet the standard: re-checked on its day."""
    planned = filing is not None and _crosses(last, filing.candidate.score)
    if cycle is None or ((last is None or last.total < timeline[0][1].standard) and not planned):
        return None
    day = cycle.renew_from
    s = _score_on(timeline, day)
    fails = not s.eligible or s.total < s.standard
    deadline = (
        f"签注后超过{(cycle.renewal_deadline - cycle.endorse_on).days}日未续办的，据部分机构说法须重新申请（另有说法称无期限），"
        f"请最迟于{_zh(cycle.renew_until)}办理。"
    )
    deadline_en = (
        f"Agencies say a renewal more than {(cycle.renewal_deadline - cycle.endorse_on).days} days after the endorsement "
        f"needs a new application (one says there is no limit): renew by {_en(cycle.renew_until)}."
    )
    if fails:
        lost = [t for t in triggers if timeline[0][0] < t.on <= day and (t.points_delta < 0 or t.kind == "eligibility")]
        why_zh = "；".join(t.explanation["zh"] for t in lost) or "条件不再满足"
        why_en = " ".join(t.explanation["en"] for t in lost) or "the conditions are no longer met."
        zh = (
            f"续办时（{_zh(day)}起）按当时事实重新核对积分，预计为{s.total}分{'' if s.eligible else '且不符合申请条件'}，"
            f"低于标准分值{s.standard}分，续办将不获通过：{why_zh}。要保住积分，需在续办前恢复所缺条件"
            f"（如按不低于所需倍数的基数连续缴费、保持在职缴纳本市职工社保），或以其他可计分项目（如新取得的学历）替代。"
        )
        en = (
            f"The renewal (from {_en(day)}) re-checks the points on the facts of that day: {s.total} expected"
            f"{'' if s.eligible else ', and not eligible'}, below the standard {s.standard}, so the renewal would "
            f"fail: {why_en} To keep the points, restore what is missing before renewing (contributions at the "
            "base multiple needed, employment with Shanghai employee insurance) or claim another item (a new degree)."
        )
        return Step(
            "renew", day, cycle.renew_until, {"zh": zh + deadline, "en": f"{en} {deadline_en}"}, would_fail=True
        )
    zh = f"签注同步后（约{_zh(day)}起）由单位办理积分续办，按当时事实重新核对积分，预计为{s.total}分，积分有效期随新的居住证有效期延续。"
    en = (
        f"Once the endorsement has synced (from about {_en(day)}), the employer renews the points; they are re-checked "
        f"on the facts of that day ({s.total} expected) and stay valid with the endorsed permit."
    )
    if filing is not None and filing.in_renewal and last is not None:
        gain = filing.candidate.score.total - last.total
        zh += f"新增的{gain}分可在本次续办中一并申报（需提交变更事项的材料）。"
        en += f" The {gain} more points can be claimed in this renewal (with the materials for what changed)."
    return Step("renew", day, cycle.renew_until, {"zh": zh + deadline, "en": f"{en} {deadline_en}"})


def _also(step: Step, text: dict[str, str]) -> Step:
    return Step(
        step.kind,
        step.start,
        step.until,
        {"zh": step.explanation["zh"] + text["zh"], "en": f"{step.explanation['en']} {text['en']}"},
        step.would_fail,
    )


def _check_records(start: date, until: date | None) -> Step:
    return Step(
        "check_records",
        start,
        until,
        {
            "zh": "递交前在随申办或一网通办查询本人社保缴费记录，确认所需月份及缴费基数均已入账；个人所得税记录可在个人所得税App查询。",
            "en": "Before filing, look up the insurance record (随申办 or 一网通办) and check that the months and bases "
            "needed have been recorded; the income-tax record is in the 个人所得税 app.",
        },
    )


def _file_text(
    last: LastApproved | None, chosen: Candidate, kind: str, loss: Trigger | None, carries: _EmployerChange | None
) -> dict[str, str]:
    """What the filing is; a change also carries a change of employer, which makes it more than optional."""
    s = chosen.score
    optional = not _crosses(last, s) and carries is None
    if kind == "file_change":
        assert last is not None  # noqa: S101 - a change follows an approval
        zh = f"由单位在积分有效期内申请变更：预计{s.total}分（上次核定{last.total}分）。变更不延长积分有效期。"
        en = (
            f"The employer files a change inside the points' validity: {s.total} expected (last approved "
            f"{last.total}). A change does not extend the validity."
        )
    else:
        zh = f"由单位为持证人首次申请积分：预计{s.total}分（标准分值{s.standard}分）。"
        en = f"The employer files the first application: {s.total} expected (standard {s.standard})."
    if optional:
        zh = "可选：" + zh
        en = "Optional: " + en[:1].lower() + en[1:]
    if carries is not None:
        zh += carries.text["zh"]
        en += " " + carries.text["en"]
    if loss is not None:
        label = KIND_LABELS.get(loss.kind, {"zh": "积分变化", "en": "a change"})
        zh += f"自{_zh(loss.on)}起，因{label['zh']}积分减少{-loss.points_delta}分，核定宜在此之前完成。"
        en += (
            f" From {_en(loss.on)} ({label['en']}) the points fall by {-loss.points_delta}: "
            "the decision should come before."
        )
    return {"zh": zh, "en": en}


def _wait_text(chosen: Candidate, start: date) -> dict[str, str]:
    s = chosen.score
    if start > chosen.day:
        return {
            "zh": f"{_zh(start)}前暂不递交：{_zh(chosen.day)}起积分为{s.total}分，但所需缴费记录须至{_zh(start)}方可查到，"
            "提前递交将按旧记录核定。",
            "en": f"Do not file before {_en(start)}: from {_en(chosen.day)} the points are {s.total}, but the records "
            f"needed show only from {_en(start)}; filing earlier would be decided on the old records.",
        }
    return {
        "zh": f"{_zh(start)}前暂不递交：{_zh(chosen.day)}起积分为{s.total}分，届时递交一次即可。",
        "en": f"Do not file before {_en(start)}: from {_en(chosen.day)} the points are {s.total}; one filing then "
        "covers it.",
    }


@dataclass(frozen=True, slots=True)
class _EmployerChange:
    registration: Step | None  # update_registration, while it is still due
    filing: Step | None  # the new employer's file_change, while the points are valid
    text: dict[str, str]  # what the new employer's change involves, for a filing planned anyway

    @property
    def in_renewal(self) -> dict[str, str]:
        return {
            "zh": "工作单位已变更：续办时由新单位办理，并填写新单位的统一社会信用代码；" + self.text["zh"],
            "en": "The employer changed: the new employer renews, entering its credit code. " + self.text["en"],
        }


def _employer_change(
    facts: Facts, last: LastApproved | None, policy: Policy, as_of: date, cycle: PermitCycle | None
) -> _EmployerChange | None:
    """A new employer in the insurance runs: register the change within the period, and let the new employer
    file a change while the points are valid (renewal-and-appeals.md Q7)."""
    runs = sorted((s for s in facts.social_insurance if s.employer_uscc), key=lambda s: s.first)
    if len(runs) < 2 or runs[-1].employer_uscc == runs[-2].employer_uscc:
        return None
    changed = first_day(runs[-1].first)
    days = _int(policy, "advice.registration_change_days", as_of)
    until = add_days_capped(changed, days)
    registration = None
    if until >= as_of:
        registration = Step(
            "update_registration",
            changed,
            until,
            {
                "zh": f"工作单位已变更（{_zh(changed)}起由新单位缴纳社保），须在{days}日内（最迟于{_zh(until)}）到社区事务受理服务中心"
                "办理居住登记信息变更。",
                "en": f"The employer changed (the new one pays insurance from {_en(changed)}): register the change "
                f"with the community affairs centre within {days} days (by {_en(until)}).",
            },
        )
    text = {
        "zh": "由新单位申请单位信息变更，材料：与新单位签订的一年以上劳动合同（剩余期限不少于两个月）、"
        "新单位营业执照及统一社会信用代码、原单位退工单。职称、社保基数等计分项须在新单位继续满足，"
        "否则下次续办时可能不获通过。",
        "en": "The new employer files the change of employer. Materials: a labour contract of at least one year "
        "with at least two months left, the new employer's licence and credit code, and the previous employer's "
        "termination record (退工单). The title and base routes must still hold with the new employer, or the "
        "next renewal may fail.",
    }
    filing = None
    if last is not None and cycle is not None and not cycle.late:
        filing = Step(
            "file_change",
            max(changed, as_of),
            cycle.valid_until,
            {"zh": "积分有效期内" + text["zh"], "en": "While the points are valid: " + text["en"]},
        )
    return _EmployerChange(registration, filing, text)


def _reason(
    last: LastApproved | None,
    current: Score,
    effect: str,
    filing: _Filing | None,
    renewal: Step | None,
    cycle: PermitCycle | None,
    max_age: int,
) -> dict[str, str]:
    """Why, in words; ``max_age``: the last age with full age points (the headroom an optional rise gives)."""
    zh: list[str] = []
    en: list[str] = []
    if filing is not None:
        s = filing.candidate.score
        if last is not None:
            zh.append(f"较上次核定（{_zh(last.on)}，{last.total}分）预计增加{s.total - last.total}分，为{s.total}分。")
            en.append(
                f"{s.total} points expected, {s.total - last.total} more than last approved ({last.total} on "
                f"{_en(last.on)})."
            )
        else:
            zh.append(f"当前{current.total}分；预计达到{s.total}分，不低于标准分值{s.standard}分。")
            en.append(f"Now {current.total}; {s.total} expected, at or above the standard {s.standard}.")
        if effect == "entitlement":
            zh.append(f"达到{s.standard}分会改变可享受的待遇（如子女在沪参加中高考），值得申请。")
            en.append(
                f"Reaching {s.standard} changes the entitlements (such as the children's exams in Shanghai): worth filing."
            )
        else:
            zh.append(
                f"上海居住证积分只看是否达到{s.standard}分，超过部分不带来额外待遇；这次变更可有可无，只是为下次续办时可能减少的分数"
                f"（如{max_age}周岁后年龄分下降、基数档次移出统计期）留出余量。"
            )
            en.append(
                f"Shanghai points only count whether you reach {s.standard}; points above it bring no extra entitlement. "
                f"This change is optional: it only leaves headroom for what the next renewal may lose (age points "
                f"after {max_age}, a base tier leaving its window)."
            )
        if filing.in_renewal:
            zh.append("核定将晚于居住证到期，新增分数可在签注后的积分续办中一并申报。")
            en.append(
                "A decision would come after the permit ends: claim the gain in the renewal after the endorsement."
            )
        elif filing.step is not None:
            when = filing.filed_on
            latest = filing.latest
            zh.append(f"建议{_zh(when)}起递交" + (f"，最迟{_zh(latest.date)}。" if latest is not None else "。"))
            en.append(f"File from {_en(when)}" + (f", by {_en(latest.date)}." if latest is not None else "."))
    elif last is not None:
        zh.append(f"未来36个月内预计积分不会高于上次核定的{last.total}分（或不符合申请条件），无需申请变更。")
        en.append(
            f"Within the next 36 months the points are not expected to exceed the last approved {last.total} "
            "(or the holder is not eligible): no change to file."
        )
    else:
        zh.append(f"当前{current.total}分；未来36个月内预计达不到标准分值{current.standard}分或不符合申请条件。")
        en.append(
            f"Now {current.total} points; the standard {current.standard} is not expected to be reached with "
            "the conditions to apply met within the next 36 months."
        )
    if not current.eligible:
        failed = [c.explanation for c in current.eligibility if not c.met and c.explanation]
        if failed:
            zh.append("当前不符合申请条件：" + "；".join(f["zh"] for f in failed))
            en.append("Not eligible now: " + " ".join(f["en"] for f in failed))
    if renewal is not None and renewal.would_fail:
        zh.append("下次续办预计不获通过，详见续办步骤。")
        en.append("The next renewal is expected to fail: see the renewal step.")
    if cycle is not None:
        zh.append("积分不必每年刷新：积分有效期随居住证，每年按时签注并续办即可保持；以上预测假设居住证按时签注。")
        en.append(
            "Points need no yearly refresh: they stay valid with the permit when it is endorsed and the points "
            "renewed each year; this projection assumes the permit is endorsed on time."
        )
    return {"zh": "".join(zh), "en": " ".join(en)}


def _target(calendar: WorkdayCalendar, plan: Planning, target: date | None, earliest: date | None) -> TargetPlan | None:
    if target is None:
        return None
    latest = _latest(calendar, plan, target)
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
