"""The review workflow: one table of transitions, checked the same way by the API, the pages and the steps.

``TRANSITIONS`` lists each action with the states it starts from, the state it leads to and the role that
may take it; :func:`refusal` adds the conditions beyond the table (the agent's own employer, a verified
employer, one open application per holder, the latest decision and the period for a re-check, another
reviewer for it). The pages show exactly the actions :func:`available` returns; the API's endpoints and the
pages' forms call the steps below, which check the same.

Every step is a compare-and-set update guarded by the status it starts from, written with its audit row in
one transaction: of two reviewers acting at once, exactly one wins and the other gets a Conflict naming the
status it found. A step returns the events it caused; they are dispatched (inbox messages and e-mails)
only once the transaction has committed, so a message can read every row it describes (a correction's
reasons, the notice).

draft -> submitted -> accepted -> (correction_requested -> resubmitted -> accepted)* -> approved | rejected
draft, submitted, accepted, correction_requested, resubmitted -> withdrawn
approved | rejected (the holder's latest decision, within the period) -> appealed (复核) -> approved | rejected
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jifen.facts.parse import FactsError, parse_facts
from jifen.policy.loader import default_policy
from jifen.policy.model import PolicyError
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts.models import Employer, Role
from jifen.service.applications.models import (
    APPEAL_TAG,
    AdviceSummary,
    Application,
    CorrectionRequest,
    Penalty,
    Status,
)
from jifen.service.applications.record import latest_decision, next_decision_number, open_application
from jifen.service.audit.log import record
from jifen.service.errors import Conflict, Forbidden, Invalid, WorkflowError
from jifen.service.inputs import plain_json
from jifen.service.notices.issue import issue_notice, withdraw_notices
from jifen.service.notifications.send import notify_application
from jifen.workdays import default_calendar


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: tuple[str, ...]  # the states it starts from
    target: str  # the state it leads to
    role: str  # who may take it
    label: str | Promise  # the page's button
    endpoint: str  # the API's: POST /api/v1/applications/{id}/<endpoint>


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", (Status.DRAFT,), Status.SUBMITTED, Role.AGENT, _("提交"), "submit"),
    Transition(
        "withdraw",
        (Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.CORRECTION_REQUESTED, Status.RESUBMITTED),
        Status.WITHDRAWN,
        Role.AGENT,
        _("撤回"),
        "withdraw",
    ),
    Transition("accept", (Status.SUBMITTED, Status.RESUBMITTED), Status.ACCEPTED, Role.REVIEWER, _("受理"), "accept"),
    Transition(
        "request_correction",
        (Status.ACCEPTED,),
        Status.CORRECTION_REQUESTED,
        Role.REVIEWER,
        _("要求补正"),
        "request-correction",
    ),
    Transition("resubmit", (Status.CORRECTION_REQUESTED,), Status.RESUBMITTED, Role.AGENT, _("提交补正"), "resubmit"),
    Transition("approve", (Status.ACCEPTED, Status.APPEALED), Status.APPROVED, Role.REVIEWER, _("核定通过"), "approve"),
    Transition("reject", (Status.ACCEPTED, Status.APPEALED), Status.REJECTED, Role.REVIEWER, _("不予核定"), "reject"),
    Transition("appeal", (Status.APPROVED, Status.REJECTED), Status.APPEALED, Role.AGENT, _("申请复核"), "appeal"),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}
STATUS_FIELDS = (
    "status",
    "decision_number",
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


@dataclass(frozen=True, slots=True)
class Event:
    """What a step did, for the people to tell once it has committed."""

    action: str
    application_id: Any


def _refusal(app: Application, action: str) -> Conflict:
    return Conflict(
        f"cannot {PHRASES.get(action, action)} an application that is {app.status}",
        f"申请当前状态为“{app.get_status_display()}”，不能执行此操作",
    )


def _role(user: User) -> str:
    account = getattr(user, "account", None)
    return account.role if account is not None else ""


def refusal(app: Application, user: User, action: str) -> WorkflowError | None:
    """Why ``user`` may not take ``action`` on ``app`` now; None when they may."""
    transition = BY_ACTION[action]
    if transition.role == Role.AGENT:
        if not is_agent_of(app, user):
            return Forbidden("only an agent of the holder's employer can do this", "只有持证人所在单位的经办人可以操作")
    elif _role(user) != transition.role:
        return Forbidden("only a reviewer can do this", "只有审核人员可以操作")
    if app.status not in transition.sources:
        return _refusal(app, action)
    if action == "submit" and not Employer.objects.filter(pk=app.employer_id, verified_at__isnull=False).exists():
        return Forbidden("the employer has not been verified by a reviewer yet", "单位尚未通过审核人员核验")
    if action in ("submit", "appeal"):
        other = open_application(app.holder, other_than=app)
        if other is not None:
            return _another_open(other)
    if action == "appeal":
        return _appeal_refusal(app)
    if action in ("approve", "reject") and app.status == Status.APPEALED and app.decided_by_id == user.pk:
        return Forbidden(
            "an appeal must be decided by another reviewer than the first decision",
            "复核须由原审核人员以外的审核人员决定",
        )
    return None


def is_agent_of(app: Application, user: User) -> bool:
    """Whether ``user`` is an agent of the employer that filed ``app``."""
    account = getattr(user, "account", None)
    return account is not None and account.role == Role.AGENT and account.employer_id == app.employer_id


def require_agent(app: Application, user: User) -> None:
    if not is_agent_of(app, user):
        raise Forbidden("only an agent of the holder's employer can do this", "只有持证人所在单位的经办人可以操作")


def available(app: Application, user: User) -> list[Transition]:
    """The actions ``user`` may take on ``app`` now, in the table's order: the buttons a page shows."""
    role = _role(user)
    return [
        t for t in TRANSITIONS if t.role == role and app.status in t.sources and refusal(app, user, t.action) is None
    ]


def _another_open(other: Application) -> Conflict:
    filed = timezone.localtime(other.submitted_at or other.created_at).date()
    return Conflict(
        f"another application of this holder is open: {other.pk} ({other.kind}, filed {filed}, {other.status}); "
        "it must be decided or withdrawn first",
        f"该持证人已有一件办理中的申请（{other.get_kind_display()}，{filed}提交，{other.get_status_display()}），"
        "须待其办结或撤回后再提交",
    )


def _appeal_refusal(app: Application) -> WorkflowError | None:
    latest = latest_decision(app.holder)
    if latest is not None and latest.pk != app.pk:
        decided = timezone.localtime(latest.decided_at).date() if latest.decided_at else None
        return Conflict(
            f"only the holder's latest decision can be re-checked: a later decision was made on {decided}",
            f"只能对该持证人最近一次核定申请复核：{decided}已有更新的核定",
        )
    if app.decided_at is not None:
        today = clock.today()
        period = _policy_int("review.appeal_days", today)
        decided = timezone.localtime(app.decided_at).date()
        if today > decided + timedelta(days=period):
            return Conflict(
                f"the appeal period of {period} days after the decision on {decided} has ended",
                f"已超过决定（{decided}）后{period}日的复核期限",
            )
    return None


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


def _check(app: Application, user: User, action: str) -> Transition:
    found = refusal(app, user, action)
    if found is not None:
        raise found
    return BY_ACTION[action]


def _move(app: Application, user: User, transition: Transition, **changes: Any) -> tuple[Event, ...]:
    """Compare-and-set ``app`` along ``transition`` with ``changes``, audited; the events it caused."""
    if app.status not in transition.sources:
        raise _refusal(app, transition.action)
    before = snapshot(app)
    try:
        with transaction.atomic():  # a savepoint: the one-open constraint may refuse the update
            updated = Application.objects.filter(pk=app.pk, status=app.status).update(
                status=transition.target, updated_at=clock.now(), **changes
            )
    except IntegrityError:
        other = open_application(app.holder, other_than=app)
        if other is None:
            raise
        raise _another_open(other) from None
    if updated != 1:
        current = Application.objects.filter(pk=app.pk).values_list("status", flat=True).first()
        raise Conflict(f"the application changed meanwhile: it is now {current}", "申请已被他人处理，请刷新后查看")
    app.refresh_from_db()
    record(user, transition.action, "application", app.pk, before, snapshot(app))
    return (Event(transition.action, app.pk),)


def _dispatch(events: tuple[Event, ...]) -> None:
    """Tell the people concerned once the transaction has committed (every row they read exists then)."""
    for event in events:
        transaction.on_commit(partial(_tell, event))


def _tell(event: Event) -> None:
    related = Application.objects.select_related("holder__user", "employer", "reviewer")
    app = related.filter(pk=event.application_id).first()
    if app is not None:
        notify_application(app, event.action)


@transaction.atomic
def submit(app: Application, user: User) -> Application:
    _dispatch(_move(app, user, _check(app, user, "submit"), submitted_at=clock.now()))
    return app


@transaction.atomic
def withdraw(app: Application, user: User) -> Application:
    _dispatch(_move(app, user, _check(app, user, "withdraw"), deadline=None))
    return app


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
    transition = _check(app, user, "accept")
    today = clock.today()
    days = _policy_int("advice.review_working_days", today)
    if app.status == Status.RESUBMITTED and app.remaining_working_days and _pauses_on_return(today):
        days = app.remaining_working_days
    deadline = default_calendar().add(today, days)
    events = _move(
        app,
        user,
        transition,
        accepted_on=today,
        deadline=deadline.date,
        deadline_provisional=deadline.provisional,
        remaining_working_days=None,
        reviewer=user,
    )
    _dispatch(events)
    return app


@transaction.atomic
def request_correction(app: Application, user: User, reasons: list[dict[str, Any]]) -> Application:
    """补正: the application goes back to the employer with the reasons, per material. Under
    return_clock=pause the working days left until the deadline are kept for the next acceptance; by
    default (restart) none are kept."""
    transition = _check(app, user, "request_correction")
    if not reasons:
        raise Invalid("reasons: at least one reason is required", "请填写原因")
    plain_json(reasons, "reasons")
    today = clock.today()
    if app.deadline is None:
        raise _refusal(app, "request_correction")
    left = None
    if _pauses_on_return(today):
        left = max(default_calendar().working_days_left(today, app.deadline).working_days, 1)
    events = _move(app, user, transition, deadline=None, remaining_working_days=left)
    CorrectionRequest.objects.create(application=app, requested_by=user, reasons=reasons)
    _dispatch(events)
    return app


@transaction.atomic
def resubmit(app: Application, user: User) -> Application:
    events = _move(app, user, _check(app, user, "resubmit"))
    CorrectionRequest.objects.filter(application=app, answered_at=None).update(answered_at=clock.now())
    _dispatch(events)
    return app


def verified_facts(app: Application) -> dict[str, Any]:
    """The facts filed, with the penalties recorded on the holder by earlier decisions."""
    facts = dict(app.facts)
    recorded = [{"kind": p.kind, "on": p.on.isoformat()} for p in app.holder.penalties.all()]
    if recorded:
        facts["penalties"] = [*facts.get("penalties", []), *recorded]
    return facts


@transaction.atomic
def approve(app: Application, user: User) -> Application:
    """核定: the engine scores the verified facts; score, trace and policy version are stored, and the
    notice issued (a re-check's approval withdraws the notice of the decision it re-checked)."""
    transition = _check(app, user, "approve")
    now = clock.now()
    today = timezone.localdate(now)
    try:
        result = score(parse_facts(verified_facts(app)), on=today)
    except FactsError as exc:
        raise Invalid(f"facts: {exc}", f"申报事实有误：{exc}") from None
    events = _decide(
        app,
        user,
        transition,
        now,
        points=result.total,
        score=result.to_dict(),
        policy_version=result.policy.id,
        valid_until=app.holder.permit_valid_until,
        reasons=[],
    )
    issue_notice(app)
    _dispatch(events)
    return app


@transaction.atomic
def reject(
    app: Application,
    user: User,
    reasons: list[str],
    *,
    false_material: bool = False,
) -> Application:
    """不予核定; a re-check that rejects an approval withdraws its notice."""
    transition = _check(app, user, "reject")
    if not reasons:
        raise Invalid("reasons: at least one reason is required", "请填写原因")
    plain_json(reasons, "reasons")
    now = clock.now()
    today = timezone.localdate(now)
    events = _decide(app, user, transition, now, reasons=reasons, points=None, score=None, valid_until=None)
    withdraw_notices(app)
    if false_material:
        Penalty.objects.create(holder=app.holder, kind="false_material", on=today, application=app)
        record(user, "record_penalty", "account", app.holder_id, None, {"kind": "false_material", "on": str(today)})
    _dispatch(events)
    return app


def _decide(app: Application, user: User, transition: Transition, now: datetime, **changes: Any) -> tuple[Event, ...]:
    number = next_decision_number(app.holder_id)
    events = _move(
        app, user, transition, decided_at=now, decided_by=user, deadline=None, decision_number=number, **changes
    )
    AdviceSummary.objects.filter(holder_id=app.holder_id).delete()  # lists advise this holder again
    return events


@transaction.atomic
def appeal(app: Application, user: User, reason: str) -> Application:
    """复核: the holder's latest decision, within the appeal period after it; another reviewer decides it.
    An approval stands while it is re-checked."""
    transition = _check(app, user, "appeal")
    if not reason.strip():
        raise Invalid("reason: required", "请填写复核理由")
    plain_json(reason, "reason")
    _dispatch(_move(app, user, transition, reasons=[*app.reasons, f"{APPEAL_TAG}{reason}"]))
    return app
