"""``jifen tick``: periodic reminders, safe on several nodes at once (each has a unique dedupe key).

- reviewers: the decision deadline of an accepted application is N working days away or less;
- holders: the permit's endorsement window has opened; the points' validity has ended;
- holders: a refresh has become worthwhile (the advisor says so against the last approved total);
- maintainers: the policy data lacks a yearly value or a calendar year (:mod:`jifen.policy.staleness`).

A failure on one holder's data is logged with the holder's id and the run goes on with the others; the
report names the holders (:attr:`TickReport.failed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings

from jifen.policy.loader import default_policy
from jifen.policy.wording import date_words
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application, Status
from jifen.service.applications.refresh import holder_advice, store_summary
from jifen.service.notifications.policy_due import tell_maintainers
from jifen.service.notifications.send import notify
from jifen.service.per_holder import NotComputed, computed
from jifen.workdays import WorkdayCalendar, default_calendar


@dataclass
class TickReport:
    deadlines: int = 0
    endorsements: int = 0
    expiries: int = 0
    refreshes: int = 0
    policy: int = 0  # messages to maintainers about overdue policy data
    failed: list[int] = field(default_factory=list)  # holders whose reminders could not be computed (logged)

    @property
    def total(self) -> int:
        return self.deadlines + self.endorsements + self.expiries + self.refreshes + self.policy


def tick(today: date) -> TickReport:
    report = TickReport()
    calendar = default_calendar()
    for app in Application.objects.filter(status=Status.ACCEPTED, deadline__isnull=False).select_related("reviewer"):
        done = computed(app.holder_id, f"the deadline of {app.pk}", partial(_deadline, app, today, calendar, report))
        if isinstance(done, NotComputed) and app.holder_id not in report.failed:
            report.failed.append(app.holder_id)
    window = default_policy().resolve("advice.endorsement_window_days", today).value
    assert isinstance(window, int)  # noqa: S101
    for holder in Account.objects.filter(role=Role.HOLDER, permit_valid_until__isnull=False).select_related("user"):
        done = computed(holder.pk, "the reminders", partial(_reminders, holder, today, window, report))
        if isinstance(done, NotComputed) and holder.pk not in report.failed:
            report.failed.append(holder.pk)
    report.policy = tell_maintainers(today)
    return report


def _deadline(app: Application, today: date, calendar: WorkdayCalendar, report: TickReport) -> None:
    assert app.deadline is not None  # noqa: S101 - filtered by the caller
    left = calendar.working_days_left(today, app.deadline).working_days
    if app.reviewer is not None and left <= settings.JIFEN_DEADLINE_WARNING_WORKING_DAYS:
        by = date_words(app.deadline)
        sent = notify(
            app.reviewer,
            "deadline",
            {"zh": f"核定期限临近：剩余{left}个工作日", "en": f"Deadline in {left} working days"},
            {
                "zh": f"{app.holder.display_name}的积分申请须在{by['zh']}前核定（剩余{left}个工作日）。",
                "en": f"The application of {app.holder.display_name} must be decided by {by['en']} "
                f"({left} working days left).",
            },
            dedupe_key=f"deadline:{app.pk}:{app.deadline}:{min(left, 0)}",
            application=app,
        )
        report.deadlines += sent is not None


def _reminders(holder: Account, today: date, window: int, report: TickReport) -> None:
    until = holder.permit_valid_until
    assert until is not None  # noqa: S101 - filtered by the caller
    if until - timedelta(days=window) <= today <= until:
        sent = notify(
            holder.user,
            "endorsement",
            {"zh": "居住证可以签注", "en": "Permit endorsement due"},
            {
                "zh": f"居住证有效期至{until}，请在到期前办理签注，签注时确认积分。",
                "en": f"Your permit ends on {until}: endorse it before then; the points are confirmed then.",
            },
            dedupe_key=f"endorsement:{holder.pk}:{until}",
        )
        report.endorsements += sent is not None
    elif today > until:
        sent = notify(
            holder.user,
            "validity_ended",
            {"zh": "积分有效期已结束", "en": "Points validity ended"},
            {
                "zh": f"居住证已于{until}到期，积分随之失效。",
                "en": f"The permit ended on {until}, and the points with it.",
            },
            dedupe_key=f"expired:{holder.pk}:{until}",
        )
        report.expiries += sent is not None
    report.refreshes += _refresh(holder, today)


def _refresh(holder: Account, today: date) -> int:
    found = holder_advice(holder, today)
    store_summary(holder, today, found)  # what the employer's list shows, fresh for the day
    if found is None or not found.advice.recommendation.refresh:
        return 0
    approved, advice = found.approved, found.advice
    total = advice.current.total
    sent = notify(
        holder.user,
        "refresh",
        {"zh": "积分可以刷新", "en": "A refresh is worthwhile"},
        {
            "zh": f"按现有材料，积分为{total}分，高于上次核定的{approved.points}分。"
            f"{advice.recommendation.reason['zh']}",
            "en": f"Your points are {total}, above the {approved.points} last approved. "
            f"{advice.recommendation.reason['en']}",
        },
        dedupe_key=f"refresh:{holder.pk}:{approved.pk}:{total}",
        application=approved,  # the approval the points are compared with
    )
    return int(sent is not None)
