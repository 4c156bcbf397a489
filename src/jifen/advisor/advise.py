"""Refresh advice for one holder: triggers, the 36-month projection, the recommendation, materials."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import pairwise

from jifen.advisor.after_filing import after_filing
from jifen.advisor.events import InsuranceStates, event_dates
from jifen.advisor.materials import default_checklist
from jifen.advisor.permit import endorsed_on_time
from jifen.advisor.recommendation import planning, recommend
from jifen.advisor.result import Advice, Trigger
from jifen.advisor.triggers import calendar_triggers, point_triggers
from jifen.advisor.warnings import RecordingCalendar, advice_warnings, dates_in
from jifen.dates import add_months_capped, today_in_shanghai
from jifen.facts.model import Facts, LastApproved
from jifen.facts.parse import parse_document
from jifen.policy.loader import default_policy
from jifen.policy.model import Policy
from jifen.rules.engine import score
from jifen.rules.result import Score
from jifen.workdays import WorkdayCalendar, default_calendar

PROJECTION_MONTHS = 36  # contract section 5
REACH_HORIZON_MONTHS = 120  # contract section 5: reaches_standard_on is null beyond 10 years


def advise(
    facts: Facts | Mapping[str, object],
    *,
    last_approved: LastApproved | None = None,
    on: date | None = None,
    policy: Policy | None = None,
    target: date | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Advice:
    """Advice on ``on`` (else the facts' ``as_of``, else today in Asia/Shanghai); raises FactsError.

    ``last_approved``: the total the advice compares against; else the one a document carries.
    """
    parsed, last_approved = _facts_and_approval(facts, last_approved)
    policy = policy or default_policy()
    counting = RecordingCalendar(calendar or default_calendar())  # notes the estimated years counted over
    calendar = counting
    as_of = on or parsed.as_of or today_in_shanghai()
    current = score(parsed, on=as_of, policy=policy)

    end = add_months_capped(as_of, PROJECTION_MONTHS)  # stored facts may reach date.max
    projected = endorsed_on_time(parsed, add_months_capped(as_of, REACH_HORIZON_MONTHS))
    timeline: list[tuple[date, Score]] = [(as_of, current)]
    triggers: list[Trigger] = []
    others = set(event_dates(projected, as_of, end, policy, months=False))
    states = InsuranceStates(projected, policy, as_of, end)
    state = states.on(as_of)
    for day in event_dates(projected, as_of, end, policy):
        before, state = state, states.on(day)
        if day not in others and state == before:
            continue  # only the contributions could change today, and the rules read them as on the last day scored
        later = score(projected, on=day, policy=policy, explain=False, basis=True)  # texts only where shown
        triggers.extend(point_triggers(projected, timeline[-1][1], later))
        timeline.append((day, later))
    triggers.extend(calendar_triggers(parsed, policy, as_of, end, lambda day: _total_on(timeline, day)))
    triggers.sort(key=lambda t: t.on)

    projection = tuple((day, s.total) for (_, before), (day, s) in pairwise(timeline) if s.total != before.total)
    recommendation = recommend(
        parsed,
        policy,
        calendar,
        timeline,
        triggers,
        target,
        lambda day: score(projected, on=day, policy=policy, explain=False),
        last=last_approved,
    )
    filing = recommendation.earliest or as_of
    at_filing = next((s for d, s in reversed(timeline) if d <= filing), current)
    plan = planning(policy, filing)
    estimated = counting.estimated_years_behind(dates_in(recommendation.to_dict()))
    return Advice(
        as_of=as_of,
        current=current,
        change_since_last_approved=None if last_approved is None else current.total - last_approved.total,
        triggers=tuple(triggers),
        projection=projection,
        reaches_standard_on=_reaches_standard(projected, policy, timeline, end),
        recommendation=recommendation,
        materials=default_checklist().for_filing(parsed, at_filing, policy, filing),
        warnings=tuple(advice_warnings(policy, (s for _, s in timeline), estimated)),
        after_filing=after_filing(policy, filing, recommendation.expected_decision, (plan.review, plan.longest)),
    )


def _facts_and_approval(
    facts: Facts | Mapping[str, object], last_approved: LastApproved | None
) -> tuple[Facts, LastApproved | None]:
    """The legal facts, and the last approval: the one given, else the one a ``jifen.facts/1`` document
    carries (the rules never see it)."""
    if isinstance(facts, Facts):
        return facts, last_approved
    document = parse_document(facts)
    return document.facts, last_approved or document.last_approved


def _total_on(timeline: list[tuple[date, Score]], day: date) -> int:
    """The projected total on ``day`` (the timeline is sorted by date and starts at as_of)."""
    return next(s.total for d, s in reversed(timeline) if d <= day)


def _reaches_standard(facts: Facts, policy: Policy, timeline: list[tuple[date, Score]], end: date) -> date | None:
    """The first date on or after as_of with a total at or above the standard, looking 10 years ahead."""
    for day, s in timeline:
        if s.total >= s.standard:
            return day
    as_of = timeline[0][0]
    for day in event_dates(facts, end, add_months_capped(as_of, REACH_HORIZON_MONTHS), policy):
        s = score(facts, on=day, policy=policy, explain=False)
        if s.total >= s.standard:
            return day
    return None
