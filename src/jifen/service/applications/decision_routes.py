"""What the pages and messages show of a decision: the decision, its date, the points, the reasons, and what
the holder can do about it with each last day (jifen.advisor.after_decision), in one language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.utils import timezone

from jifen.advisor.after_decision import Route, routes_after
from jifen.policy.loader import default_policy
from jifen.service.accounts.models import Account
from jifen.service.applications.models import Application, Status
from jifen.service.applications.record import latest_decision, open_application

DECIDED = {Status.APPROVED: "approved", Status.REJECTED: "rejected"}


@dataclass(frozen=True, slots=True)
class RouteShown:
    kind: str
    last_day: date | None
    text: str
    confidence: str


@dataclass(frozen=True, slots=True)
class DecisionShown:
    application_id: UUID
    decision: str  # "approved" or "rejected"
    decided_on: date
    points: int | None
    reasons: tuple[tuple[bool, str], ...]  # (the holder's appeal reason?, the text)
    routes: tuple[RouteShown, ...]


def decided_on(app: Application) -> date | None:
    """The day of the application's decision in Shanghai (the appeal period counts from it too)."""
    return timezone.localtime(app.decided_at).date() if app.decided_at is not None else None


def routes(app: Application) -> list[Route]:
    """The routes after the application's decision, both languages; none unless it is approved or rejected."""
    decision, day = DECIDED.get(Status(app.status)), decided_on(app)
    if decision is None or day is None:
        return []
    return routes_after(decision, day, default_policy())


def decision_shown(app: Application, language: str) -> DecisionShown | None:
    """The application's decision and the routes after it in ``language`` ("zh" or "en"); None unless the
    application is approved or rejected."""
    decision, day = DECIDED.get(Status(app.status)), decided_on(app)
    if decision is None or day is None:
        return None
    lang = "en" if language == "en" else "zh"
    return DecisionShown(
        application_id=app.pk,
        decision=decision,
        decided_on=day,
        points=app.points,
        reasons=tuple(app.reason_lines()),
        routes=tuple(RouteShown(r.kind, r.last_day, r.text[lang], r.confidence) for r in routes(app)),
    )


def latest_rejection_shown(holder: Account, language: str) -> DecisionShown | None:
    """The holder's latest decision with its routes, if it is a rejection and nothing is open since (a new
    filing under way is the route taken; a re-check cannot be asked for beside it); else None."""
    latest = latest_decision(holder)
    if latest is None or latest.status != Status.REJECTED or open_application(holder) is not None:
        return None
    return decision_shown(latest, language)
