"""``jifen tick``: periodic reminders, safe on several nodes at once (each has a unique dedupe key).

- reviewers: the decision deadline of an accepted application is N working days away or less;
- holders: the permit's endorsement window has opened; the points' validity has ended;
- holders: a refresh has become worthwhile (the advisor says so against the last approved total);
- maintainers: the policy data lacks a yearly value or a calendar year (:mod:`jifen.policy.staleness`).

Each holder's reminders are a background task (issue 16.2), enqueued one a holder. A failure on one holder's data
is logged with the holder's id and the run goes on with the others; with the immediate backend (the default) the
report names the holders (:attr:`TickReport.failed`), with a queue it says how many tasks it enqueued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django_tasks import TaskResultStatus

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
    enqueued: int = 0  # holders' reminder tasks enqueued, one a holder
    queued: int = 0  # of those, left for a worker (`jifen worker`): their counts are not above, failures only logged

    @property
    def total(self) -> int:
        return self.deadlines + self.endorsements + self.expiries + self.refreshes + self.policy

    def add(self, holder_id: int, counts: dict[str, int]) -> None:
        """One holder's task's counts (:meth:`TickReport.counts`)."""
        for name in ("deadlines", "endorsements", "expiries", "refreshes"):
            setattr(self, name, getattr(self, name) + int(counts.get(name, 0)))
        if counts.get("failed") and holder_id not in self.failed:
            self.failed.append(holder_id)

    def counts(self) -> dict[str, int]:
        """The counts of one holder's reminders, as their task returns them (JSON)."""
        out = {k: getattr(self, k) for k in ("deadlines", "endorsements", "expiries", "refreshes")}
        return {**out, "failed": int(bool(self.failed))}


def tick(today: date) -> TickReport:
    """Enqueue each holder's reminders (:func:`jifen.service.notifications.tasks.holder_reminders`), one task a
    holder, then tell the maintainers of overdue policy data. With the immediate backend each task has run by the
    time it is enqueued: its counts and failure are in the report; with a queue, the report counts the tasks left
    for the worker, which logs a holder's failure with the holder's id."""
    from jifen.service.notifications.tasks import holder_reminders

    report = TickReport()
    due = Application.objects.filter(status=Status.ACCEPTED, deadline__isnull=False).order_by("holder_id")
    holders = list(dict.fromkeys(due.values_list("holder_id", flat=True)))
    permits = Account.objects.filter(role=Role.HOLDER, permit_valid_until__isnull=False).order_by("pk")
    seen = set(holders)
    holders += [pk for pk in permits.values_list("pk", flat=True) if pk not in seen]
    for holder_id in holders:
        result = holder_reminders.enqueue(holder_id, today.isoformat())
        report.enqueued += 1
        if not result.is_finished:
            report.queued += 1
        elif result.status == TaskResultStatus.SUCCESSFUL and isinstance(result.return_value, dict):
            report.add(holder_id, result.return_value)
        elif holder_id not in report.failed:  # the task itself failed (logged by the tasks framework)
            report.failed.append(holder_id)
    report.policy = tell_maintainers(today)
    return report


def holder_reminders_now(holder_id: int, today: date) -> TickReport:
    """One holder's reminders, sent now: the deadlines of their accepted applications (to the reviewer) and, for
    a holder with a permit, its endorsement window or end and a worthwhile refresh. A failure is logged with the
    holder's id and named in ``failed``; the rest of the holder's reminders are still sent."""
    report = TickReport()
    calendar = default_calendar()
    due = Application.objects.filter(holder_id=holder_id, status=Status.ACCEPTED, deadline__isnull=False)
    for app in due.select_related("reviewer", "holder"):
        done = computed(holder_id, f"the deadline of {app.pk}", partial(_deadline, app, today, calendar, report))
        if isinstance(done, NotComputed) and holder_id not in report.failed:
            report.failed.append(holder_id)
    holder = (
        Account.objects.filter(pk=holder_id, role=Role.HOLDER, permit_valid_until__isnull=False)
        .select_related("user")
        .first()
    )
    if holder is not None:
        window = default_policy().resolve("advice.endorsement_window_days", today).value
        assert isinstance(window, int)  # noqa: S101
        done = computed(holder.pk, "the reminders", partial(_reminders, holder, today, window, report))
        if isinstance(done, NotComputed) and holder.pk not in report.failed:
            report.failed.append(holder.pk)
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
