"""``jifen tick``: periodic reminders, safe on several nodes at once (each has a unique dedupe key).

- reviewers: the decision deadline of an accepted application is N working days away or less;
- holders: the permit's endorsement window has opened; the points' validity has ended;
- holders: a refresh has become worthwhile (the advisor says so against the last approved total).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from jifen.policy.loader import default_policy
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application, Status
from jifen.service.applications.refresh import holder_advice
from jifen.service.notifications.send import notify
from jifen.workdays import default_calendar


@dataclass
class TickReport:
    deadlines: int = 0
    endorsements: int = 0
    expiries: int = 0
    refreshes: int = 0

    @property
    def total(self) -> int:
        return self.deadlines + self.endorsements + self.expiries + self.refreshes


def tick(today: date) -> TickReport:
    report = TickReport()
    calendar = default_calendar()
    for app in Application.objects.filter(status=Status.ACCEPTED, deadline__isnull=False).select_related("reviewer"):
        assert app.deadline is not None  # noqa: S101 - filtered above
        left = calendar.between(today, app.deadline).working_days
        if app.reviewer is not None and left <= settings.JIFEN_DEADLINE_WARNING_WORKING_DAYS:
            sent = notify(
                app.reviewer,
                "deadline",
                f"核定期限临近 / deadline in {left} working days",
                f"申请 {app.pk} 须在 {app.deadline} 前核定（剩余{left}个工作日）。\n"
                f"Application {app.pk} must be decided by {app.deadline} ({left} working days left).",
                dedupe_key=f"deadline:{app.pk}:{app.deadline}:{min(left, 0)}",
                application=app,
            )
            report.deadlines += sent is not None
    window = default_policy().resolve("advice.endorsement_window_days", today).value
    assert isinstance(window, int)  # noqa: S101
    for holder in Account.objects.filter(role=Role.HOLDER, permit_valid_until__isnull=False).select_related("user"):
        until = holder.permit_valid_until
        assert until is not None  # noqa: S101
        if until - timedelta(days=window) <= today <= until:
            sent = notify(
                holder.user,
                "endorsement",
                "居住证可以签注 / permit endorsement due",
                f"居住证有效期至{until}，请在到期前办理签注，签注时确认积分。\n"
                f"Your permit ends on {until}: endorse it before then; the points are confirmed then.",
                dedupe_key=f"endorsement:{holder.pk}:{until}",
            )
            report.endorsements += sent is not None
        elif today > until:
            sent = notify(
                holder.user,
                "validity_ended",
                "积分有效期已结束 / points validity ended",
                f"居住证已于{until}到期，积分随之失效。\nThe permit ended on {until}, and the points with it.",
                dedupe_key=f"expired:{holder.pk}:{until}",
            )
            report.expiries += sent is not None
        report.refreshes += _refresh(holder, today)
    return report


def _refresh(holder: Account, today: date) -> int:
    found = holder_advice(holder, today)
    if found is None or not found.advice.recommendation.refresh:
        return 0
    approved, advice = found.approved, found.advice
    total = advice.current.total
    sent = notify(
        holder.user,
        "refresh",
        "积分可以刷新 / a refresh is worthwhile",
        f"按现有材料，积分为{total}分，高于上次核定的{approved.points}分。{advice.recommendation.reason['zh']}\n"
        f"Your points are {total}, above the {approved.points} last approved. "
        f"{advice.recommendation.reason['en']}",
        dedupe_key=f"refresh:{holder.pk}:{approved.pk}:{total}",
    )
    return int(sent is not None)
