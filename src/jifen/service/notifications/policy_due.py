"""Overdue policy data (:mod:`jifen.policy.staleness`) for the service: on the maintainer's pages, and told
to every maintainer by ``jifen tick`` once for each gap (a yearly value's year, a calendar year)."""

from __future__ import annotations

from datetime import date

from jifen.policy.loader import default_policy, policy_dir
from jifen.policy.staleness import Overdue, overdue
from jifen.service.accounts.models import Account, Role
from jifen.service.notifications.send import notify
from jifen.workdays import default_calendar


def policy_due(today: date) -> list[Overdue]:
    """What the policy data in use lacks on ``today``."""
    return overdue(default_policy(), default_calendar(), today, policy_dir())


def tell_maintainers(today: date) -> int:
    """Tell each maintainer of each overdue item, once per item and period; the number of messages sent."""
    items = policy_due(today)
    if not items:
        return 0
    sent = 0
    for maintainer in Account.objects.filter(role=Role.MAINTAINER).select_related("user"):
        for item in items:
            message = notify(
                maintainer.user,
                "policy_overdue",
                {
                    "zh": f"政策数据待更新：{item.subject} {item.period}",
                    "en": f"Policy data overdue: {item.subject} {item.period}",
                },
                item.message,
                dedupe_key=f"policy:{maintainer.user.pk}:{item.key}",
            )
            sent += message is not None
    return sent
