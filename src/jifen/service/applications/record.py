"""One record of a holder's points: at most one open application, the latest decision, the approval in force.

- Open: submitted, accepted, correction requested, resubmitted or appealed (复核). A draft is not open: it
  may wait beside an open application, but cannot be submitted while one is.
- The latest decision is the one decided last (an appealed application keeps the decision under re-check).
  Only it can be appealed: an older decision has been followed by a newer one.
- The approval in force is the latest approved decision, including one under re-check (it stands until the
  re-check decides otherwise). A rejected change leaves the approval before it in force.
"""

from __future__ import annotations

from django.db.models import F, Max, Q

from jifen.service.accounts.models import Account
from jifen.service.applications.models import OPEN_STATUSES, Application, Status

LATEST_FIRST = (F("decision_number").desc(nulls_last=True), F("decided_at").desc(nulls_last=True), "-created_at")


def next_decision_number(holder_id: int) -> int:
    """The number of the holder's next decision."""
    found = Application.objects.filter(holder_id=holder_id).aggregate(Max("decision_number"))["decision_number__max"]
    return (found or 0) + 1


def open_application(holder: Account, *, other_than: Application | None = None) -> Application | None:
    """The holder's open application, if any (besides ``other_than``)."""
    found = Application.objects.filter(holder=holder, status__in=OPEN_STATUSES)
    if other_than is not None:
        found = found.exclude(pk=other_than.pk)
    return found.order_by("-created_at").first()


def latest_decision(holder: Account) -> Application | None:
    """The application of ``holder`` decided last (approved, rejected, or appealed against that decision)."""
    return (
        Application.objects.filter(holder=holder, decided_at__isnull=False)
        .exclude(status=Status.WITHDRAWN)
        .order_by(*LATEST_FIRST)
        .first()
    )


def approval_in_force(holder: Account) -> Application | None:
    """The holder's current points: the latest approval, standing while it is under re-check."""
    return (
        Application.objects.filter(holder=holder)
        .filter(Q(status=Status.APPROVED) | Q(status=Status.APPEALED, points__isnull=False))
        .order_by(*LATEST_FIRST)
        .first()
    )
