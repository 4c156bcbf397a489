"""The review workflow. Every step is a compare-and-set update guarded by the status it starts from,
written with its audit row and notifications in one transaction: of two reviewers acting at once,
exactly one wins and the other gets a Conflict naming the status it found.

draft -> submitted -> accepted -> (correction_requested -> resubmitted -> accepted)* -> approved | rejected
any open state -> withdrawn; approved | rejected -> appealed (复核, another reviewer) -> approved | rejected
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from jifen.facts.parse import FactsError, parse_facts
from jifen.policy.loader import default_policy
from jifen.policy.model import PolicyError
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts.models import Employer, Role
from jifen.service.applications.models import AdviceSummary, Application, CorrectionRequest, Penalty, Status
from jifen.service.audit.log import record
from jifen.service.errors import Conflict, Forbidden, Invalid
from jifen.service.inputs import plain_json
from jifen.workdays import default_calendar

OPEN = (Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.CORRECTION_REQUESTED, Status.RESUBMITTED)
STATUS_FIELDS = (
    "status",
    "accepted_on",
    "deadline",
    "remaining_working_days",
    "reviewer_id",
    "decided_by_id",
    "points",
    "policy_version",
    "valid_until",
    "reasons",
)


PHRASES = {"request_correction": "request correction of"}


def _refusal(app: Application, action: str) -> Conflict:
    return Conflict(
        f"cannot {PHRASES.get(action, action)} an application that is {app.status}",
        f"申请当前状态为“{app.get_status_display()}”，不能执行此操作",
    )


def snapshot(app: Application) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in STATUS_FIELDS:
        value = getattr(app, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _policy_int(name: str, day: date) -> int:
    value = default_policy().resolve(name, day).value
    assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
    return value


def _role(user: User) -> str:
    account = getattr(user, "account", None)
    return account.role if account is not None else ""


def _require_agent(app: Application, user: User) -> None:
    account = getattr(user, "account", None)
    if account is None or account.role != Role.AGENT or account.employer_id != app.employer_id:
        raise Forbidden("only an agent of the holder's employer can do this", "只有持证人所在单位的经办人可以操作")


def _require_reviewer(user: User) -> None:
    if _role(user) != Role.REVIEWER:
        raise Forbidden("only a reviewer can do this", "只有审核人员可以操作")


def _move(
    app: Application, user: User, action: str, sources: tuple[str, ...], target: str, **changes: Any
) -> Application:
    """Compare-and-set ``app`` from one of ``sources`` to ``target`` with ``changes``, audited."""
    if app.status not in sources:
        raise _refusal(app, action)
    before = snapshot(app)
    updated = Application.objects.filter(pk=app.pk, status=app.status).update(
        status=target, updated_at=clock.now(), **changes
    )
    if updated != 1:
        current = Application.objects.filter(pk=app.pk).values_list("status", flat=True).first()
        raise Conflict(f"the application changed meanwhile: it is now {current}", "申请已被他人处理，请刷新后查看")
    app.refresh_from_db()
    record(user, action, "application", app.pk, before, snapshot(app))
    from jifen.service.notifications.send import notify_application  # a cycle: notifications read applications

    notify_application(app, action)
    return app


@transaction.atomic
def submit(app: Application, user: User) -> Application:
    _require_agent(app, user)
    if not Employer.objects.filter(pk=app.employer_id, verified_at__isnull=False).exists():
        raise Forbidden("the employer has not been verified by a reviewer yet", "单位尚未通过审核人员核验")
    return _move(app, user, "submit", (Status.DRAFT,), Status.SUBMITTED, submitted_at=clock.now())


@transaction.atomic
def withdraw(app: Application, user: User) -> Application:
    _require_agent(app, user)
    return _move(app, user, "withdraw", OPEN, Status.WITHDRAWN, deadline=None)


def _pauses_on_return(day: date) -> bool:
    """Whether a return (补正) keeps the working days left for the next acceptance (the reading
    ``return_clock``, parameter ``procedure.clock_after_return``): "restart" by default, the review
    period starting again from the resubmission's acceptance; "pause" the alternative."""
    value = default_policy().resolve("procedure.clock_after_return", day).value
    if value not in ("restart", "pause"):
        raise PolicyError(f"procedure.clock_after_return: expected restart or pause, got {value!r}")
    return value == "pause"


@transaction.atomic
def accept(app: Application, user: User) -> Application:
    """受理: the deadline is the N-th working day after acceptance. After a return and resubmission the
    N days start again (reading return_clock=restart), or, under the alternative reading
    (return_clock=pause), the working days left before the return continue."""
    _require_reviewer(user)
    today = clock.today()
    days = _policy_int("advice.review_working_days", today)
    if app.status == Status.RESUBMITTED and app.remaining_working_days and _pauses_on_return(today):
        days = app.remaining_working_days
    deadline = default_calendar().add(today, days)
    return _move(
        app,
        user,
        "accept",
        (Status.SUBMITTED, Status.RESUBMITTED),
        Status.ACCEPTED,
        accepted_on=today,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        remaining_working_days=None,
        reviewer=user,
    )


@transaction.atomic
def request_correction(app: Application, user: User, reasons: list[dict[str, Any]]) -> Application:
    """补正: the application goes back to the employer. Under return_clock=pause the working days left
    until the deadline are kept for the next acceptance; by default (restart) none are kept."""
    _require_reviewer(user)
    if not reasons:
        raise Invalid("reasons: at least one reason is required", "请填写原因")
    plain_json(reasons, "reasons")
    today = clock.today()
    if app.status != Status.ACCEPTED or app.deadline is None:
        raise _refusal(app, "request_correction")
    left = None
    if _pauses_on_return(today):
        left = max(default_calendar().working_days_left(today, app.deadline).working_days, 1)
    moved = _move(
        app,
        user,
        "request_correction",
        (Status.ACCEPTED,),
        Status.CORRECTION_REQUESTED,
        deadline=None,
        remaining_working_days=left,
    )
    CorrectionRequest.objects.create(application=app, requested_by=user, reasons=reasons)
    return moved


@transaction.atomic
def resubmit(app: Application, user: User) -> Application:
    _require_agent(app, user)
    moved = _move(app, user, "resubmit", (Status.CORRECTION_REQUESTED,), Status.RESUBMITTED)
    CorrectionRequest.objects.filter(application=app, answered_at=None).update(answered_at=clock.now())
    return moved


def verified_facts(app: Application) -> dict[str, Any]:
    """The facts filed, with the penalties recorded on the holder by earlier decisions."""
    facts = dict(app.facts)
    recorded = [{"kind": p.kind, "on": p.on.isoformat()} for p in app.holder.penalties.all()]
    if recorded:
        facts["penalties"] = [*facts.get("penalties", []), *recorded]
    return facts


@transaction.atomic
def approve(app: Application, user: User) -> Application:
    """核定: the engine scores the verified facts; score, trace and policy version are stored."""
    _require_reviewer(user)
    now = clock.now()
    today = timezone.localdate(now)
    try:
        result = score(parse_facts(verified_facts(app)), on=today)
    except FactsError as exc:
        raise Invalid(f"facts: {exc}", f"申报事实有误：{exc}") from None
    moved = _decide(
        app,
        user,
        "approve",
        Status.APPROVED,
        now,
        points=result.total,
        score=result.to_dict(),
        policy_version=result.policy.id,
        valid_until=app.holder.permit_valid_until,
        reasons=[],
    )
    from jifen.service.notices.issue import issue_notice

    issue_notice(moved)
    return moved


@transaction.atomic
def reject(
    app: Application,
    user: User,
    reasons: list[str],
    *,
    false_material: bool = False,
) -> Application:
    _require_reviewer(user)
    if not reasons:
        raise Invalid("reasons: at least one reason is required", "请填写原因")
    plain_json(reasons, "reasons")
    now = clock.now()
    today = timezone.localdate(now)
    moved = _decide(app, user, "reject", Status.REJECTED, now, reasons=reasons, points=None)
    if false_material:
        Penalty.objects.create(holder=app.holder, kind="false_material", on=today, application=app)
        record(user, "record_penalty", "account", app.holder_id, None, {"kind": "false_material", "on": str(today)})
    return moved


def _decide(app: Application, user: User, action: str, target: str, now: datetime, **changes: Any) -> Application:
    if app.status == Status.APPEALED:
        if app.decided_by_id == user.pk:
            raise Forbidden(
                "an appeal must be decided by another reviewer than the first decision",
                "复核须由原审核人员以外的审核人员决定",
            )
        sources: tuple[str, ...] = (Status.APPEALED,)
    else:
        sources = (Status.ACCEPTED,)
    moved = _move(app, user, action, sources, target, decided_at=now, decided_by=user, deadline=None, **changes)
    AdviceSummary.objects.filter(holder_id=app.holder_id).delete()  # lists advise this holder again
    return moved


@transaction.atomic
def appeal(app: Application, user: User, reason: str) -> Application:
    """复核: within the appeal period after the decision; another reviewer decides it."""
    _require_agent(app, user)
    if not reason.strip():
        raise Invalid("reason: required", "请填写复核理由")
    plain_json(reason, "reason")
    today = clock.today()
    if app.decided_at is not None:
        period = _policy_int("review.appeal_days", today)
        decided = timezone.localtime(app.decided_at).date()
        if today > decided + timedelta(days=period):
            raise Conflict(
                f"the appeal period of {period} days after the decision on {decided} has ended",
                f"已超过决定（{decided}）后{period}日的复核期限",
            )
    return _move(
        app,
        user,
        "appeal",
        (Status.APPROVED, Status.REJECTED),
        Status.APPEALED,
        reasons=[*app.reasons, f"appeal: {reason}"],
    )
