"""Anonymous endpoints: score and advise (rate-limited), employer registration, passwords, tokens."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import login as session_login
from django.http import HttpRequest
from ninja import Body, Router
from ninja.responses import Status

from jifen.advisor import advise
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE
from jifen.facts.parse import FactsError, FieldError
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts import services
from jifen.service.accounts.models import Account
from jifen.service.api.contract_schemas import uses
from jifen.service.api.schemas import (
    Credentials,
    EmployerOut,
    EmployerRegistration,
    MeOut,
    SetPasswordIn,
    TokenOut,
    UsernameOut,
    errors,
)
from jifen.service.api.security import rate_limit

router = Router(tags=["public"])


@router.post(
    "/score",
    auth=None,
    response={200: dict[str, Any], **errors(400, 429)},
    openapi_extra=uses(body="JifenFacts", ok="JifenScore", dates=("on",)),
    summary="Score facts (jifen.facts/1 in, jifen.score/1 out)",
)
def score_endpoint(request: HttpRequest, facts: Body[dict[str, Any]], on: date | None = None) -> dict[str, Any]:
    rate_limit(request, "score")
    return score(facts, on=scoring_date(facts, on)).to_dict()


@router.post(
    "/advise",
    auth=None,
    response={200: dict[str, Any], **errors(400, 429)},
    openapi_extra=uses(body="JifenFacts", ok="JifenAdvice", dates=("on", "target")),
    summary="Refresh advice (jifen.facts/1 in, jifen.advice/1 out)",
)
def advise_endpoint(
    request: HttpRequest,
    facts: Body[dict[str, Any]],
    on: date | None = None,
    target: date | None = None,
) -> dict[str, Any]:
    rate_limit(request, "advise")
    return advise(facts, on=scoring_date(facts, on), target=query_date(target, "target")).to_dict()


def scoring_date(facts: dict[str, Any], on: date | None) -> date | None:
    """``?on=``, else the facts' own ``as_of`` (the engine reads it), else the service's today."""
    if on is not None or "as_of" in facts:
        return query_date(on, "on")
    return clock.today()


def query_date(value: date | None, name: str) -> date | None:
    """A date from the query string, refused like a date in the facts when outside the accepted range."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise FactsError([FieldError(name, f"{value} is outside {EARLIEST_DATE} to {LATEST_DATE}")])
    return value


@router.post(
    "/employers",
    auth=None,
    response={201: EmployerOut, **errors(400, 409, 429)},
    summary="Register an employer and its agent",
)
def register_employer(request: HttpRequest, payload: EmployerRegistration) -> Status[Any]:
    rate_limit(request, "register")
    account = services.register_employer(**payload.dict())
    employer = account.employer
    assert employer is not None  # noqa: S101
    return Status(201, employer_out(employer))


def employer_out(employer: Any) -> dict[str, Any]:
    return {
        "id": employer.pk,
        "uscc": employer.uscc,
        "name": employer.name,
        "district": employer.district,
        "verified": employer.verified,
    }


@router.post(
    "/accounts/set-password",
    auth=None,
    response={200: UsernameOut, **errors(400)},
    summary="Set a password through a one-time link",
)
def set_password(request: HttpRequest, payload: SetPasswordIn) -> dict[str, str]:
    user = services.set_password(payload.uid, payload.token, payload.password)
    return {"username": user.get_username()}


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **errors(400, 403)},
    summary="Exchange credentials for an API token",
)
def token(request: HttpRequest, payload: Credentials) -> dict[str, str]:
    user = services.login(payload.username, payload.password)
    return {"token": services.issue_token(user)}


@router.post("/auth/login", auth=None, response={200: MeOut, **errors(400, 403)}, summary="Start a session (for pages)")
def login(request: HttpRequest, payload: Credentials) -> dict[str, Any]:
    user = services.login(payload.username, payload.password)
    session_login(request, user)
    return me_out(user.account)


def me_out(account: Account) -> dict[str, Any]:
    return {
        "username": account.user.get_username(),
        "role": account.role,
        "name": account.display_name,
        "employer_id": account.employer_id,
    }
