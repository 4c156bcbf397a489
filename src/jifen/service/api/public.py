"""Anonymous endpoints: score and advise (rate-limited), employer registration, passwords, tokens."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import login as session_login
from django.http import HttpRequest
from ninja import Body, Router
from ninja.responses import Status

from jifen.advisor import advise
from jifen.rules.engine import score
from jifen.service.accounts import services
from jifen.service.accounts.models import Account
from jifen.service.api.schemas import Credentials, EmployerOut, EmployerRegistration, MeOut, SetPasswordIn, TokenOut
from jifen.service.api.security import rate_limit

router = Router(tags=["public"])


@router.post("/score", auth=None, summary="Score facts (jifen.facts/1 in, jifen.score/1 out)")
def score_endpoint(request: HttpRequest, facts: Body[dict[str, Any]], on: date | None = None) -> dict[str, Any]:
    rate_limit(request, "score")
    return score(facts, on=on).to_dict()


@router.post("/advise", auth=None, summary="Refresh advice (jifen.facts/1 in, jifen.advice/1 out)")
def advise_endpoint(
    request: HttpRequest,
    facts: Body[dict[str, Any]],
    on: date | None = None,
    target: date | None = None,
) -> dict[str, Any]:
    rate_limit(request, "advise")
    return advise(facts, on=on, target=target).to_dict()


@router.post("/employers", auth=None, response={201: EmployerOut}, summary="Register an employer and its agent")
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


@router.post("/accounts/set-password", auth=None, summary="Set a password through a one-time link")
def set_password(request: HttpRequest, payload: SetPasswordIn) -> dict[str, str]:
    user = services.set_password(payload.uid, payload.token, payload.password)
    return {"username": user.get_username()}


@router.post("/auth/token", auth=None, response=TokenOut, summary="Exchange credentials for an API token")
def token(request: HttpRequest, payload: Credentials) -> dict[str, str]:
    user = services.login(payload.username, payload.password)
    return {"token": services.issue_token(user)}


@router.post("/auth/login", auth=None, response=MeOut, summary="Start a session (for pages)")
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
